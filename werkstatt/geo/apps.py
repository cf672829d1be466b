from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "werkstatt.geo"
    verbose_name = "Orte und Gebiete"
