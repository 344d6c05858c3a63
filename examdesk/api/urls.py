"""The pages of a centre's API keys and webhooks (under /centres/<number>/api-keys/), and the board's keys."""

from django.urls import path

from examdesk.api import views

app_name = "api"

urlpatterns = [
    path("", views.key_list, name="keys"),
    path("<int:key_id>/revoke/", views.key_revoke, name="key_revoke"),
    path("webhooks/", views.webhook_list, name="webhooks"),
    path("webhooks/<int:webhook_id>/remove/", views.webhook_remove, name="webhook_remove"),
]
