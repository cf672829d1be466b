from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "werkstatt.documents"
    verbose_name = "Dokumente"
