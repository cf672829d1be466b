from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "werkstatt.accounts"
    verbose_name = "Benutzerkonten"
