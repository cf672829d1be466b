"""Importing legacy minutes: upload, preview (a dry run per document), import or discard."""

from django.urls import URLPattern, path

from werkstatt.office.views import minutes_import

urlpatterns: list[URLPattern] = [
    path("protokolle/import/", minutes_import.minutes_import_upload, name="minutes-import"),
    path("protokolle/import/vorschau/", minutes_import.minutes_import_preview, name="minutes-import-preview"),
    path("protokolle/import/importieren/", minutes_import.minutes_import_commit, name="minutes-import-commit"),
    path("protokolle/import/verwerfen/", minutes_import.minutes_import_discard, name="minutes-import-discard"),
]
