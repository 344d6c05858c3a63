from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "examdesk.transfer"
    label = "transfer"
    verbose_name = "Import and export"
