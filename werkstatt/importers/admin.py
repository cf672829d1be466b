from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from werkstatt.importers.models import MinutesSource


@admin.register(MinutesSource)
class MinutesSourceAdmin(SimpleHistoryAdmin):
    """Read-only: a source document is written by the import only, never edited by hand."""

    list_display = ("file_name", "meeting", "format", "warning_count", "imported_by", "created")
    list_filter = ("format",)
    search_fields = ("file_name", "sha512")
    list_select_related = ("meeting__workshop", "imported_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
