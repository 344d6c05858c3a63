from django.urls import path

from examdesk.results.verification import views

app_name = "verify"

urlpatterns = [
    path("", views.check, name="check"),
]
