"""Reads of the importers app that pages share."""

from django.db.models import QuerySet

from werkstatt.accounts import rules
from werkstatt.importers.models import MinutesSource
from werkstatt.meetings.models import Meeting


def minutes_sources_for_user(user: object, meeting: Meeting) -> QuerySet[MinutesSource] | list[MinutesSource]:
    """The documents a session's minutes were imported from, newest first, for those who import minutes.

    One query, whatever the number of versions.
    """
    if not rules.can_import_minutes(user):
        return []
    return (
        MinutesSource.objects.filter(meeting=meeting).select_related("file", "imported_by").order_by("-created", "-pk")
    )
