from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "examdesk.access"
    label = "access"
    verbose_name = "Results access for candidates"
