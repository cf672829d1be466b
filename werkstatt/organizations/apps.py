from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "werkstatt.organizations"
    verbose_name = "Werkstätten und Akteure"
