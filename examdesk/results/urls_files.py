from django.urls import path

from examdesk.results import views_files

app_name = "results_files"

urlpatterns = [
    path("", views_files.upload, name="upload"),
    path("<uuid:file_id>/", views_files.preview, name="preview"),
    path("<uuid:file_id>/problems/", views_files.report, name="report"),
]
