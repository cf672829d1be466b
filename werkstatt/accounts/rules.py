"""Every permission question in one place, one function per question.

Selectors and views ask these; nothing else decides who may see or do what.
"""

from typing import TYPE_CHECKING, Any

from werkstatt.accounts.models import Role

if TYPE_CHECKING:
    from werkstatt.meetings.models import Meeting

STAFF_ROLES = frozenset({Role.OFFICE, Role.ADMIN})


def is_office(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or user.role in STAFF_ROLES))


def can_view_unpublished_minutes(user: Any) -> bool:
    """Whether ``user`` may read minutes of any workshop before they are published."""
    return is_office(user)


def can_view_minutes(user: Any, meeting: "Meeting") -> bool:
    """Published minutes are public; earlier ones are for the office only (members follow in #3)."""
    return meeting.minutes_are_public or can_view_unpublished_minutes(user)
