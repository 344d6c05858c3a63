from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "examdesk.audit"
    label = "audit"
    verbose_name = "Audit log"
