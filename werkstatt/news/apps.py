from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "werkstatt.news"
    verbose_name = "Neuigkeiten"
