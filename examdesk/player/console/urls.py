"""The invigilator's console of one sitting, at /centres/<number>/sittings/<sitting_id>/console/."""

from django.urls import path

from examdesk.player.console import views

app_name = "console"

urlpatterns = [
    path("", views.console, name="console"),
    path("live/", views.live, name="live"),
    path("pause-all/", views.pause_all, name="pause_all"),
    path("resume-all/", views.resume_all, name="resume_all"),
    path("attempts/<int:attempt_id>/", views.attempt, name="attempt"),
    path("attempts/<int:attempt_id>/pause/", views.pause, name="pause"),
    path("attempts/<int:attempt_id>/resume/", views.resume, name="resume"),
    path("attempts/<int:attempt_id>/add-time/", views.add_time, name="add_time"),
    path("attempts/<int:attempt_id>/irregularity/", views.irregularity, name="irregularity"),
    path("attempts/<int:attempt_id>/arrangements/", views.arrangements, name="arrangements"),
]
