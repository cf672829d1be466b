"""Planning a session: the planning form, the agenda editor, presenters and attendance."""

from django.urls import URLPattern, path

from werkstatt.office.views import planning

urlpatterns: list[URLPattern] = [
    path("werkstaetten/<int:number>/sitzung-planen/", planning.meeting_plan, name="meeting-plan"),
]
