"""The two state machines of a session, as plain tables, and one check per table.

Meeting: planned (terminiert) -> invited (eingeladen) -> held (durchgeführt);
cancelled (abgesagt) from the first two.
Minutes: draft -> circulated (an Mitglieder versandt) -> approved (bestätigt, locked)
-> published (veröffentlicht).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("terminiert")
    INVITED = "invited", _("eingeladen")
    HELD = "held", _("durchgeführt")
    CANCELLED = "cancelled", _("abgesagt")


class MinutesState(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    CIRCULATED = "circulated", _("an Mitglieder versandt")
    APPROVED = "approved", _("bestätigt")
    PUBLISHED = "published", _("veröffentlicht")


MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingState.PLANNED: frozenset({MeetingState.INVITED, MeetingState.HELD, MeetingState.CANCELLED}),
    MeetingState.INVITED: frozenset({MeetingState.HELD, MeetingState.CANCELLED}),
    MeetingState.HELD: frozenset(),
    MeetingState.CANCELLED: frozenset(),
}

MINUTES_TRANSITIONS: dict[str, frozenset[str]] = {
    MinutesState.DRAFT: frozenset({MinutesState.CIRCULATED}),
    MinutesState.CIRCULATED: frozenset({MinutesState.DRAFT, MinutesState.APPROVED}),
    MinutesState.APPROVED: frozenset({MinutesState.PUBLISHED}),
    MinutesState.PUBLISHED: frozenset(),
}

# The agenda of a session in these states is public (invited, or held); before the invitation it is planning.
PUBLIC_AGENDA_STATES = frozenset({MeetingState.INVITED, MeetingState.HELD})

# Minutes in these states are a record: their content never changes.
LOCKED_MINUTES_STATES = frozenset({MinutesState.APPROVED, MinutesState.PUBLISHED})


def _label(states: type[models.TextChoices], value: str) -> str:
    """The German label of a state; an unknown value (from a form or the API) is shown as it came."""
    return str(states(value).label) if value in states.values else str(value)


def check_meeting_transition(current: str, target: str) -> None:
    if target not in MEETING_TRANSITIONS.get(current, frozenset()):
        raise ValidationError(
            _("Eine Sitzung im Zustand „%(current)s“ kann nicht in den Zustand „%(target)s“ wechseln."),
            params={"current": _label(MeetingState, current), "target": _label(MeetingState, target)},
            code="invalid_transition",
        )


def check_minutes_transition(current: str, target: str, *, meeting_state: str) -> None:
    if meeting_state != MeetingState.HELD:
        raise ValidationError(
            _("Ein Protokoll gibt es erst, wenn die Sitzung durchgeführt wurde."), code="meeting_not_held"
        )
    if target not in MINUTES_TRANSITIONS.get(current, frozenset()):
        raise ValidationError(
            _("Ein Protokoll im Zustand „%(current)s“ kann nicht in den Zustand „%(target)s“ wechseln."),
            params={"current": _label(MinutesState, current), "target": _label(MinutesState, target)},
            code="invalid_transition",
        )
