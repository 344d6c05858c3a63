from django.urls import path

from examdesk.marking import views

app_name = "marking"

urlpatterns = [
    path("response-codes/", views.response_code, name="response_code"),
    path("attempts/<int:attempt_id>/marks/", views.marks, name="marks"),
    path("attempts/<int:attempt_id>/marks/<int:mark_id>/", views.override, name="override"),
    path("attempts/<int:attempt_id>/mark-again/", views.mark_again, name="mark_again"),
]
