from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "werkstatt.meetings"
    verbose_name = "Sitzungen und Protokolle"
