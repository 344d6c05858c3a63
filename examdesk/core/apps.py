from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "examdesk.core"
    label = "core"
    verbose_name = "Core"
