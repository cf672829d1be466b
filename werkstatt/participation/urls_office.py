"""The office pages of the participation, inside the ``office`` namespace (triage of ideas, moderation)."""

from django.urls import include, path

urlpatterns = [
    path("", include("werkstatt.participation.urls_office_ideas")),
    path("", include("werkstatt.participation.urls_office_comments")),
]
