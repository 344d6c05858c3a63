from django.urls import path

from examdesk.access import views

app_name = "access"

urlpatterns = [
    path("", views.status, name="status"),
    path("edit/", views.edit, name="edit"),
    path("letters/", views.make_letters, name="make_letters"),
    path("candidates/", views.candidates, name="candidates"),
    path("letters/<str:run_id>/<str:which>/download/", views.download, name="download"),
    path("letters/<str:run_id>/email/", views.emails_start, name="emails_start"),
    path("letters/<str:run_id>/emails/", views.emails_status, name="emails"),
]
