from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "examdesk.results"
    label = "results"
    verbose_name = "Results"
