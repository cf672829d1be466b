"""Reads the exports need beyond the session page."""

from werkstatt.meetings.models import Meeting


def meeting_revision(meeting: Meeting) -> int:
    """How often the session was saved after it was created (0, 1, 2, …): the SEQUENCE of its calendar entry.

    Every change goes through a service and leaves a history row (django-simple-history), a
    cancellation included, so the number only grows and calendars take each new file as an update.
    """
    return max(0, meeting.history.count() - 1)
