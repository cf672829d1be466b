"""Triage of the ideas from the public in the back office (namespace ``office``)."""

from django.urls import URLPattern, path

from werkstatt.participation.views import office_ideas

urlpatterns: list[URLPattern] = [
    path("ideen/", office_ideas.idea_list, name="idea-list"),
    path("ideen/<int:pk>/", office_ideas.idea_detail, name="idea-detail"),
    path("ideen/<int:pk>/anhang/", office_ideas.idea_attachment, name="idea-attachment"),
    path("ideen/<int:pk>/<str:action>/", office_ideas.idea_action, name="idea-action"),
]
