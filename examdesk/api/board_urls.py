"""The board staff's API keys page (under /centres/board/api-keys/)."""

from django.urls import path

from examdesk.api import views

app_name = "api_board"

urlpatterns = [
    path("", views.board_key_list, name="keys"),
    path("<int:key_id>/revoke/", views.board_key_revoke, name="key_revoke"),
]
