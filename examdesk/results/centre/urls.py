from django.urls import include, path

from examdesk.results.centre import views
from examdesk.results.registrations import views as registrations
from examdesk.results.statements import views as statements

app_name = "centre_results"

# One candidate's results and their Results Online letter.
candidate_pages = [
    path("", views.candidate_results, name="candidate"),
    path("link/", views.entry_link, name="entry_link"),
    path("letter/", registrations.letter, name="letter"),
    path("secret/", registrations.secret_reissue, name="secret_reissue"),
    path("email/", registrations.email_correct, name="email_correct"),
]

urlpatterns = [
    path("", views.results_list, name="list"),
    path("export/", views.results_export, name="export"),
    path("link/", views.entries_link, name="link"),
    path("letters/", registrations.series_letters, name="series_letters"),
    path("statements/", statements.bulk_start, name="statements"),
    path("statements/<str:run_id>/", statements.bulk_status, name="statements_status"),
    path("statement-emails/", statements.emails_start, name="statement_emails"),
    path("statement-emails/<str:run_id>/", statements.emails_status, name="statement_emails_status"),
    path("candidates/<int:candidate_id>/", include(candidate_pages)),
]
