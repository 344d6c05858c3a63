from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "examdesk.reports"
    label = "reports"
    verbose_name = "Reports"
