from django.urls import path

from examdesk.results import views_verify as views

app_name = "verify"

urlpatterns = [
    path("", views.check, name="check"),
]
