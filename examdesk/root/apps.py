from django.apps import AppConfig


class RootConfig(AppConfig):
    name = "examdesk.root"
    label = "root"
    verbose_name = "Examdesk"
