from django.urls import URLPattern, path  # noqa: F401

app_name = "centre_results"

urlpatterns: list[URLPattern] = []
