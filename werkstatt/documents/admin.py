from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from werkstatt.documents.models import File


@admin.register(File)
class FileAdmin(SimpleHistoryAdmin):
    list_display = ("name", "file_name", "mime_type", "size", "public", "modified")
    list_filter = ("public", "mime_type")
    search_fields = ("name", "file_name", "text")
    readonly_fields = ("sha512", "size", "mime_type")
