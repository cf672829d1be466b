from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "werkstatt.participation"
    label = "participation"
    verbose_name = "Beteiligung"

    def ready(self) -> None:
        from werkstatt.participation import signals

        signals.connect()
