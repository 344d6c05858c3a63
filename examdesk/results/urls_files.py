from django.urls import URLPattern, path  # noqa: F401

app_name = "results_files"

urlpatterns: list[URLPattern] = []
