from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "examdesk.documents"
    label = "documents"
    verbose_name = "Documents"
