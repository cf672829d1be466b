"""Admin for projects: the fact sheet for repairs; state, decision dates and recorded decisions read-only.

Steps through the pipeline go through ``projects.services.project_transition`` (the office pages), so
the admin never changes a state or a recorded decision behind the transition table's back.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from werkstatt.projects.models import Consultation, Milestone, Project, ProjectStatusChange

DECISION_FIELDS = (
    "state",
    "presented_on",
    "recommended_on",
    "forwarded_on",
    "confirmed_on",
    "applied_on",
    "approved_on",
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StatusChangeInline(ReadOnlyInline):
    model = ProjectStatusChange
    fields = ("created", "from_state", "to_state", "decision_date", "actor", "note", "consultation")
    readonly_fields = fields


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ("kind", "title", "planned_date", "actual_date", "note")


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("title", "lead_workshop", "instrument", "state", "confirmed_on", "approved_on", "public")
    list_filter = ("state", "instrument", "lead_workshop", "public", "district")
    search_fields = ("title", "sponsor__name", "description")
    list_select_related = ("lead_workshop",)
    autocomplete_fields = ("sponsor", "contact", "municipality", "files")
    filter_horizontal = ("other_workshops", "focus_areas")
    readonly_fields = DECISION_FIELDS
    inlines = (StatusChangeInline, MilestoneInline)


@admin.register(ProjectStatusChange)
class ProjectStatusChangeAdmin(admin.ModelAdmin):
    """Recorded decisions: to read, never to change."""

    list_display = ("project", "from_state", "to_state", "decision_date", "actor", "created")
    list_filter = ("to_state",)
    search_fields = ("project__title", "note")
    list_select_related = ("project", "actor")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    list_display = ("project", "meeting", "authoritative", "role", "outcome")
    list_filter = ("authoritative", "role", "outcome")
    search_fields = ("project__title",)
    list_select_related = ("project", "meeting__workshop")
    autocomplete_fields = ("project", "meeting", "agenda_item")
    readonly_fields = ("authoritative", "outcome", "conditions", "outcome_recorded_by")


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ("project", "kind", "title", "planned_date", "actual_date")
    list_filter = ("kind",)
    search_fields = ("project__title", "title")
    list_select_related = ("project",)
    autocomplete_fields = ("project",)
