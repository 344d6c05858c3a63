"""A centre's statements: bulk files and e-mails to candidates (under /centres/<number>/results/)."""

from django.urls import path

from examdesk.results.statements import views

urlpatterns = [
    path("statements/", views.bulk_start, name="statements"),
    path("statements/<str:run_id>/", views.bulk_status, name="statements_status"),
    path("statement-emails/", views.emails_start, name="statement_emails"),
    path("statement-emails/<str:run_id>/", views.emails_status, name="statement_emails_status"),
]
