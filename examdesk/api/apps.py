from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "examdesk.api"
    label = "api"
    verbose_name = "REST API"
