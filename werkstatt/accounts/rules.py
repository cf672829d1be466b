"""Every permission question in one place, one function per question.

Selectors, services' callers and views ask these; nothing else decides who may see or do what.

Who is who (DESIGN.md section 1):
- the office (Geschäftsstelle) and admins run every workshop;
- the speaker (and deputy) of a workshop runs the sessions of that workshop;
- the minute-taker of a session records its attendance and results;
- delegates read the internal material of their workshops and comment on circulated minutes;
- the bank and the State Chancellery read everything internal, and change nothing here.
"""

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from werkstatt.accounts.models import Role

if TYPE_CHECKING:
    from werkstatt.documents.models import File
    from werkstatt.meetings.models import Meeting
    from werkstatt.organizations.models import Workshop
    from werkstatt.participation.models import Idea
    from werkstatt.projects.models import Project
    from werkstatt.projects.workflow import Step

STAFF_ROLES = frozenset({Role.OFFICE, Role.ADMIN})
READ_ALL_ROLES = frozenset({Role.OFFICE, Role.ADMIN, Role.BANK, Role.CHANCELLERY})
LEADING_MEMBERSHIP_ROLES = frozenset({"speaker", "deputy"})
READING_MEMBERSHIP_ROLES = frozenset({"speaker", "deputy", "delegate"})
_ROLES_CACHE = "_werkstatt_workshop_roles"
_TAKER_CACHE = "_werkstatt_takes_minutes"


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "is_active", False)


def workshop_roles(user: Any) -> dict[int, frozenset[str]]:
    """The user's current membership roles per workshop id, loaded once and kept on the user object."""
    if not _authenticated(user):
        return {}
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is not None:
        return cached
    from werkstatt.organizations.models import Membership

    today = timezone.localdate()
    roles: dict[int, set[str]] = {}
    rows = Membership.objects.filter(person__user=user).values_list("workshop_id", "role", "start_date", "end_date")
    for workshop_id, role, start, end in rows:
        if (start is None or start <= today) and (end is None or end >= today):
            roles.setdefault(workshop_id, set()).add(role)
    frozen = {workshop_id: frozenset(r) for workshop_id, r in roles.items()}
    setattr(user, _ROLES_CACHE, frozen)
    return frozen


def _has_role(user: Any, roles: frozenset[str]) -> bool:
    return _authenticated(user) and (user.is_superuser or user.role in roles)


def is_office(user: Any) -> bool:
    return _has_role(user, STAFF_ROLES)


def reads_everything(user: Any) -> bool:
    """Office, admin, bank and State Chancellery read all internal material."""
    return _has_role(user, READ_ALL_ROLES)


def leads_workshop(user: Any, workshop_id: int) -> bool:
    return bool(workshop_roles(user).get(workshop_id, frozenset()) & LEADING_MEMBERSHIP_ROLES)


def sits_in_workshop(user: Any, workshop_id: int) -> bool:
    return bool(workshop_roles(user).get(workshop_id, frozenset()) & READING_MEMBERSHIP_ROLES)


def _is_minute_taker(user: Any, meeting: "Meeting") -> bool:
    person = meeting.minute_taker
    return _authenticated(user) and person is not None and person.user_id == user.pk


# --- the back office ------------------------------------------------------------------------


def takes_minutes_somewhere(user: Any) -> bool:
    """Whether ``user`` is the minute-taker of a session whose minutes are still open."""
    if not _authenticated(user):
        return False
    cached = getattr(user, _TAKER_CACHE, None)
    if cached is None:
        from werkstatt.meetings.models import Meeting
        from werkstatt.meetings.workflow import LOCKED_MINUTES_STATES

        cached = (
            Meeting.objects.filter(minute_taker__user=user).exclude(minutes_state__in=LOCKED_MINUTES_STATES).exists()
        )
        setattr(user, _TAKER_CACHE, cached)
    return bool(cached)


def can_use_office(user: Any) -> bool:
    """Whether ``user`` has any business in the back office at /office/."""
    return reads_everything(user) or bool(workshop_roles(user)) or takes_minutes_somewhere(user)


def can_plan_meeting(user: Any, workshop: "Workshop") -> bool:
    return is_office(user) or leads_workshop(user, workshop.pk)


def can_edit_meeting(user: Any, meeting: "Meeting") -> bool:
    """Date, place, chair, minute-taker and agenda, until the minutes are approved."""
    from werkstatt.meetings.workflow import LOCKED_MINUTES_STATES, MeetingState

    if meeting.state == MeetingState.CANCELLED or meeting.minutes_state in LOCKED_MINUTES_STATES:
        return False
    return is_office(user) or leads_workshop(user, meeting.workshop_id)


def can_invite(user: Any, meeting: "Meeting") -> bool:
    return is_office(user) or leads_workshop(user, meeting.workshop_id)


def can_mark_held(user: Any, meeting: "Meeting") -> bool:
    return is_office(user) or leads_workshop(user, meeting.workshop_id)


def can_cancel_meeting(user: Any, meeting: "Meeting") -> bool:
    return is_office(user) or leads_workshop(user, meeting.workshop_id)


def can_record_minutes(user: Any, meeting: "Meeting") -> bool:
    """Attendance, results and files of a held session whose minutes are not yet approved."""
    from werkstatt.meetings.workflow import LOCKED_MINUTES_STATES

    if meeting.minutes_state in LOCKED_MINUTES_STATES:
        return False
    return is_office(user) or leads_workshop(user, meeting.workshop_id) or _is_minute_taker(user, meeting)


def can_circulate_minutes(user: Any, meeting: "Meeting") -> bool:
    return is_office(user) or leads_workshop(user, meeting.workshop_id) or _is_minute_taker(user, meeting)


def can_publish_minutes(user: Any, meeting: "Meeting") -> bool:
    return is_office(user)


def can_add_erratum(user: Any, meeting: "Meeting") -> bool:
    return is_office(user)


def can_import_minutes(user: Any) -> bool:
    """Import legacy result minutes (any workshop): they arrive approved and published, so only the office."""
    return is_office(user)


def can_comment_minutes(user: Any, meeting: "Meeting") -> bool:
    from werkstatt.meetings.workflow import MinutesState

    return meeting.minutes_state == MinutesState.CIRCULATED and (
        is_office(user) or sits_in_workshop(user, meeting.workshop_id)
    )


def writes_minutes(user: Any, meeting: "Meeting") -> bool:
    """Whether ``user`` is one of those who write this session's minutes, approved or not.

    Asked before a write to the minutes, so that the service can say in German why approved
    minutes are refused, instead of a bare 403.
    """
    return is_office(user) or leads_workshop(user, meeting.workshop_id) or _is_minute_taker(user, meeting)


def can_approve_minutes(user: Any, meeting: "Meeting") -> bool:
    """Record, under the approval item of the held session ``meeting``, that earlier minutes are approved."""
    return writes_minutes(user, meeting)


# --- reading ---------------------------------------------------------------------------------


def can_view_unpublished_minutes(user: Any) -> bool:
    """Whether ``user`` may read minutes of every workshop before they are published."""
    return reads_everything(user)


def can_view_internal(user: Any, meeting: "Meeting") -> bool:
    """Non-public agenda items, files and planning of a session."""
    return reads_everything(user) or sits_in_workshop(user, meeting.workshop_id) or _is_minute_taker(user, meeting)


def can_view_minutes(user: Any, meeting: "Meeting") -> bool:
    """Published minutes are public; drafts are for those who write them; circulated ones for the members."""
    from werkstatt.meetings.workflow import MinutesState

    if meeting.minutes_are_public or can_view_unpublished_minutes(user):
        return True
    if meeting.minutes_state == MinutesState.DRAFT:
        return leads_workshop(user, meeting.workshop_id) or _is_minute_taker(user, meeting)
    return sits_in_workshop(user, meeting.workshop_id) or _is_minute_taker(user, meeting)


def can_view_minutes_internally(user: Any, meeting: "Meeting") -> bool:
    """The minutes page of the back office: the minutes with comments, errata and internal files."""
    return can_view_internal(user, meeting) and can_view_minutes(user, meeting)


def can_download_file(user: Any, file: "File", meeting: "Meeting") -> bool:
    """A file attached to ``meeting`` (or one of its items): public ones for all, the others internally."""
    return file.public or can_view_internal(user, meeting)


# --- projects ---------------------------------------------------------------------------------

# Which pipeline actor (see ``projects.workflow``) each organisation-wide role speaks for.
_STEP_ACTOR_OF_ROLE = {Role.OFFICE: "office", Role.BANK: "bank", Role.CHANCELLERY: "chancellery"}


def can_manage_projects(user: Any) -> bool:
    """Create projects and see the office's project pages."""
    return is_office(user)


def can_edit_project(user: Any, project: "Project") -> bool:
    """The fact sheet: everything but state and decision dates."""
    return is_office(user)


def can_take_step(user: Any, step: "Step") -> bool:
    """A step of the pipeline, by the actor the transition table names; admins may take every step."""
    if not _authenticated(user):
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return _STEP_ACTOR_OF_ROLE.get(user.role) in step.actors


def step_actor_label(step: "Step") -> str:
    from werkstatt.projects.workflow import ACTOR_LABELS

    return " oder ".join(str(ACTOR_LABELS[actor]) for actor in sorted(step.actors))


def can_keep_milestones(user: Any) -> bool:
    return _has_role(user, frozenset({Role.OFFICE, Role.ADMIN, Role.BANK}))


def can_record_consultation(user: Any, meeting: "Meeting") -> bool:
    """Put a project on a session's agenda and record the session's outcome for it."""
    return is_office(user)


def can_view_project(user: Any, project: "Project") -> bool:
    """Public projects for all; the others for those who read everything and the lead workshop's members."""
    if project.public or reads_everything(user):
        return True
    return project.lead_workshop_id is not None and sits_in_workshop(user, project.lead_workshop_id)


def can_view_project_internals(user: Any) -> bool:
    """Non-public projects and field groups, contact and money before approval, of every workshop."""
    return reads_everything(user)


def can_view_project_finances(user: Any, project: "Project") -> bool:
    return project.finances_are_public or reads_everything(user)


def can_view_project_contact(user: Any, project: "Project") -> bool:
    return (project.public and project.public_contact) or reads_everything(user)


def can_view_status_report(user: Any, workshop: "Workshop | None") -> bool:
    """The status report ("Aktueller Sachstand der Projekte") is internal and shows non-public projects:
    for those who read everything, and for one workshop also for its members (speaker, deputy, delegates)."""
    if reads_everything(user):
        return True
    return workshop is not None and sits_in_workshop(user, workshop.pk)


def can_attach_status_report(user: Any, meeting: "Meeting") -> bool:
    """Generate the status report for a session and attach it to its standing status item."""
    return can_edit_meeting(user, meeting) and can_view_status_report(user, meeting.workshop)


def can_view_any_status_report(user: Any) -> bool:
    """Whether the back office shows ``user`` the status report at all (for every workshop or for their own)."""
    return reads_everything(user) or any(sits_in_workshop(user, pk) for pk in workshop_roles(user))


# --- participation of the public (werkstatt.participation) ----------------------------------------


def can_triage_ideas(user: Any) -> bool:
    """Answer, merge, forward, adopt or decline the ideas of the public, and read their submitters' addresses."""
    return is_office(user)


def can_view_idea(user: Any, idea: "Idea") -> bool:
    """An idea is public once its address is confirmed and the office has looked at it (any state but "new")."""
    from werkstatt.participation.models import IdeaStatus

    if can_triage_ideas(user):
        return True
    return idea.confirmed_at is not None and idea.status != IdeaStatus.NEW


def moderates_comments(user: Any) -> bool:
    """Whether ``user`` moderates comments anywhere: the office, and the speakers of a workshop."""
    return is_office(user) or any(roles & LEADING_MEMBERSHIP_ROLES for roles in workshop_roles(user).values())


def can_moderate_comments(user: Any, workshop_id: int | None) -> bool:
    """Release, reject and answer officially the comments on a workshop's projects and sessions: the office for
    all, a workshop's speakers for theirs. Comments on a project without a lead workshop (``workshop_id`` None)
    are the office's."""
    if is_office(user):
        return True
    return workshop_id is not None and leads_workshop(user, workshop_id)
