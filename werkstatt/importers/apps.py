from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "werkstatt.importers"
    verbose_name = "Importe"
