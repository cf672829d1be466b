"""Importing a project list from CSV: upload and check, then commit."""

from django.urls import URLPattern, path

from werkstatt.office.views import project_import

urlpatterns: list[URLPattern] = [
    path("projekte/import/", project_import.project_import, name="project-import"),
    path("projekte/import/importieren/", project_import.project_import_commit, name="project-import-commit"),
]
