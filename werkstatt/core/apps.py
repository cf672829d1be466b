from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "werkstatt.core"
    verbose_name = "Grundlagen"
