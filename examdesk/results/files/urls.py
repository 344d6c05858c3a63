from django.urls import path

from examdesk.results.files import views

app_name = "results_files"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("<uuid:file_id>/", views.preview, name="preview"),
    path("<uuid:file_id>/problems/", views.report, name="report"),
]
