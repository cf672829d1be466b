from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "werkstatt.portal"
    verbose_name = "Öffentliche Seiten"
