from django.urls import path

from examdesk.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report, name="report"),
    path("report.<str:fmt>", views.export, name="export"),
]
