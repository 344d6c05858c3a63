from django.urls import path

from examdesk.results.centre import views
from examdesk.results.registrations import views as registrations
from examdesk.results.statements import views as statements

app_name = "centre_results"

urlpatterns = [
    path("", views.results_list, name="list"),
    path("export/", views.results_export, name="export"),
    path("link/", views.entries_link, name="link"),
    path("letters/", registrations.series_letters, name="series_letters"),
    path("statements/", statements.bulk_start, name="statements"),
    path("statements/<str:run_id>/", statements.bulk_status, name="statements_status"),
    path("statement-emails/", statements.emails_start, name="statement_emails"),
    path("statement-emails/<str:run_id>/", statements.emails_status, name="statement_emails_status"),
    path("candidates/<int:candidate_id>/", views.candidate_results, name="candidate"),
    path("candidates/<int:candidate_id>/link/", views.entry_link, name="entry_link"),
    path("candidates/<int:candidate_id>/letter/", registrations.letter, name="letter"),
    path("candidates/<int:candidate_id>/secret/", registrations.secret_reissue, name="secret_reissue"),
    path("candidates/<int:candidate_id>/email/", registrations.email_correct, name="email_correct"),
]
