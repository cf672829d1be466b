from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "werkstatt.office"
    verbose_name = "Geschäftsstelle"
