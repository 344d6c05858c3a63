from django.urls import include, path

from examdesk.results.centre import views

app_name = "centre_results"

urlpatterns = [
    path("", views.results_list, name="list"),
    path("export/", views.results_export, name="export"),
    path("link/", views.entries_link, name="link"),
    path("candidates/<int:candidate_id>/", views.candidate_results, name="candidate"),
    path("candidates/<int:candidate_id>/link/", views.entry_link, name="entry_link"),
    path("", include("examdesk.results.statements.urls")),
    path("", include("examdesk.results.registrations.urls")),
]
