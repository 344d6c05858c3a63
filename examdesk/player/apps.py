from django.apps import AppConfig


class PlayerConfig(AppConfig):
    name = "examdesk.player"
    label = "player"
    verbose_name = "The student's way in"
