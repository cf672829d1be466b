"""Planning a session: the planning form, the agenda editor, presenters and attendance."""

from django.urls import URLPattern, path

from werkstatt.office.views import agenda, planning

urlpatterns: list[URLPattern] = [
    path("werkstaetten/<int:number>/sitzung-planen/", planning.meeting_plan, name="meeting-plan"),
    path("sitzungen/<int:pk>/bearbeiten/", planning.meeting_edit, name="meeting-edit"),
    path("sitzungen/<int:pk>/tagesordnung/", agenda.agenda, name="agenda"),
    path("sitzungen/<int:pk>/tagesordnung/<int:item_pk>/", agenda.agenda_item, name="agenda-item"),
    path(
        "sitzungen/<int:pk>/tagesordnung/<int:item_pk>/verschieben/",
        agenda.agenda_item_move,
        name="agenda-item-move",
    ),
    path(
        "sitzungen/<int:pk>/tagesordnung/<int:item_pk>/loeschen/",
        agenda.agenda_item_delete,
        name="agenda-item-delete",
    ),
    path(
        "sitzungen/<int:pk>/tagesordnung/<int:item_pk>/vortragende/<int:presenter_pk>/entfernen/",
        agenda.presenter_remove,
        name="presenter-remove",
    ),
    path("sitzungen/<int:pk>/anwesenheit/", agenda.attendance, name="attendance"),
]
