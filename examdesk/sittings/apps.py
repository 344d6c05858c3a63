from django.apps import AppConfig


class SittingsConfig(AppConfig):
    name = "examdesk.sittings"
    label = "sittings"
    verbose_name = "Credits, sittings and access codes"
