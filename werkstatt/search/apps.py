from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "werkstatt.search"
    label = "search"
    verbose_name = "Suche"

    def ready(self) -> None:
        from werkstatt.search import signals

        signals.connect()
