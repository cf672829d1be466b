"""Recording the minutes: results, files, comments, approval, publication and errata."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
