from django.apps import AppConfig


class MarkingConfig(AppConfig):
    name = "examdesk.marking"
    label = "marking"
    verbose_name = "Marking and response codes"
