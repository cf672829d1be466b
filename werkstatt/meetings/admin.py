from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from werkstatt.meetings.models import AgendaItem, AgendaItemPresenter, Erratum, Meeting, MinutesComment
from werkstatt.meetings.workflow import LOCKED_MINUTES_STATES


def _minutes_locked(obj: Any) -> bool:
    meeting = obj.meeting if isinstance(obj, AgendaItem) else obj
    return meeting is not None and meeting.minutes_state in LOCKED_MINUTES_STATES


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    fk_name = "meeting"
    extra = 0
    fields = ("order", "number", "title", "note", "kind", "approves_meeting", "public", "result")
    autocomplete_fields = ("approves_meeting",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _minutes_locked(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _minutes_locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _minutes_locked(obj) and super().has_delete_permission(request, obj)


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "date", "start_time", "state", "minutes_state")
    list_filter = ("workshop", "state", "minutes_state")
    search_fields = ("workshop__title", "agenda_items__title")
    date_hierarchy = "date"
    autocomplete_fields = ("location", "chair", "minute_taker", "attendees", "attending_organizations", "files")
    # Written by the services only (meetings/services/documents.py): the published PDFs are never swapped by hand.
    readonly_fields = ("minutes_document", "invitation_document")
    list_select_related = ("workshop",)
    inlines = (AgendaItemInline,)


class PresenterInline(admin.TabularInline):
    model = AgendaItemPresenter
    extra = 0
    autocomplete_fields = ("person", "organization")


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    """Items of approved minutes are read-only: recorded results never change silently."""

    list_display = ("number", "title", "meeting", "kind", "public")
    list_filter = ("kind", "public", "meeting__workshop")
    search_fields = ("title", "result")
    autocomplete_fields = ("meeting", "approves_meeting", "files")
    list_select_related = ("meeting", "meeting__workshop")
    inlines = (PresenterInline,)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and _minutes_locked(obj)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and _minutes_locked(obj)) and super().has_delete_permission(request, obj)


@admin.register(AgendaItemPresenter)
class AgendaItemPresenterAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "agenda_item")
    autocomplete_fields = ("agenda_item", "person", "organization")
    list_select_related = ("person", "agenda_item")


@admin.register(MinutesComment)
class MinutesCommentAdmin(SimpleHistoryAdmin):
    list_display = ("meeting", "agenda_item", "author", "created")
    list_select_related = ("meeting", "meeting__workshop", "agenda_item", "author")
    search_fields = ("text",)


@admin.register(Erratum)
class ErratumAdmin(SimpleHistoryAdmin):
    """Errata are records too: they are added through the office pages and never edited."""

    list_display = ("meeting", "agenda_item", "author", "created")
    list_select_related = ("meeting", "meeting__workshop", "agenda_item", "author")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
