from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "werkstatt.projects"
    verbose_name = "Projekte"
