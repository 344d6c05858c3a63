from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "examdesk.people"
    label = "people"
    verbose_name = "Candidates"
