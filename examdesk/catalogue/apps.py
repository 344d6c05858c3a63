from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "examdesk.catalogue"
    label = "catalogue"
    verbose_name = "Qualifications and series"
