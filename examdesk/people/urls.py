from django.urls import path

from examdesk.people import views

app_name = "people"

urlpatterns = [
    path("", views.candidate_list, name="list"),
    path("new/", views.candidate_create, name="create"),
    path("<int:candidate_id>/", views.candidate_detail, name="detail"),
    path("<int:candidate_id>/edit/", views.candidate_edit, name="edit"),
    path("<int:candidate_id>/arrangements/", views.candidate_arrangements, name="arrangements"),
    path("<int:candidate_id>/change-id/", views.candidate_change_id, name="change_id"),
    path("<int:candidate_id>/active/", views.candidate_set_active, name="set_active"),
]
