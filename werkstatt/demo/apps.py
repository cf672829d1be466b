from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "werkstatt.demo"
    verbose_name = "Demodaten"
