from django.urls import path

from examdesk.results import views_centre as views
from examdesk.results import views_statement_emails, views_statements

app_name = "centre_results"

urlpatterns = [
    path("", views.results_list, name="list"),
    path("export/", views.results_export, name="export"),
    path("link/", views.entries_link, name="link"),
    path("letters/", views.series_letters, name="series_letters"),
    path("statements/", views_statements.start, name="statements"),
    path("statements/<str:run_id>/", views_statements.status, name="statements_status"),
    path("statement-emails/", views_statement_emails.start, name="statement_emails"),
    path("statement-emails/<str:run_id>/", views_statement_emails.status, name="statement_emails_status"),
    path("candidates/<int:candidate_id>/", views.candidate_results, name="candidate"),
    path("candidates/<int:candidate_id>/link/", views.entry_link, name="entry_link"),
    path("candidates/<int:candidate_id>/letter/", views.letter, name="letter"),
    path("candidates/<int:candidate_id>/secret/", views.secret_reissue, name="secret_reissue"),
    path("candidates/<int:candidate_id>/email/", views.email_correct, name="email_correct"),
]
