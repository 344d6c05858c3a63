from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "examdesk.centres"
    label = "centres"
    verbose_name = "Centres"
