from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from werkstatt.organizations.models import (
    Body,
    FocusArea,
    LegislativeTerm,
    Membership,
    Organization,
    Person,
    Workshop,
    WorkshopMember,
)


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "website")


@admin.register(LegislativeTerm)
class LegislativeTermAdmin(SimpleHistoryAdmin):
    list_display = ("name", "start_date", "end_date", "body")


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "kind", "website")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    extra = 0


class WorkshopMemberInline(admin.TabularInline):
    model = WorkshopMember
    extra = 0
    autocomplete_fields = ("organization",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("person", "on_behalf_of")
    fields = ("person", "role", "on_behalf_of", "start_date", "end_date")


@admin.register(Workshop)
class WorkshopAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title", "next_session_date", "comment_moderation")
    search_fields = ("title",)
    inlines = (FocusAreaInline, WorkshopMemberInline, MembershipInline)


@admin.register(FocusArea)
class FocusAreaAdmin(SimpleHistoryAdmin):
    list_display = ("title", "workshop", "order")
    list_filter = ("workshop",)


@admin.register(WorkshopMember)
class WorkshopMemberAdmin(SimpleHistoryAdmin):
    list_display = ("organization", "workshop", "since", "until")
    list_filter = ("workshop",)
    autocomplete_fields = ("organization",)
    list_select_related = ("organization", "workshop")


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("family_name", "given_name", "title", "function", "organization")
    search_fields = ("family_name", "given_name", "function")
    autocomplete_fields = ("organization", "user")
    list_select_related = ("organization",)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("person", "workshop", "role", "on_behalf_of", "start_date", "end_date")
    list_filter = ("workshop", "role")
    autocomplete_fields = ("person", "on_behalf_of")
    list_select_related = ("person", "workshop", "on_behalf_of")
