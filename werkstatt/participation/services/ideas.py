"""Ideas from the public ("Idee einreichen"): submission with double opt-in, and the office's triage.

An idea counts once its address is confirmed (``confirmed_at``); only then does the office see it. The office
answers it, merges a duplicate into another idea, forwards it to a coming session of its workshop, adopts it as a
project at state "idea", or declines it with a public reason. Every triage step is public (the idea page shows
status and answer) and the submitter hears of it by mail, sent after commit by a job.
"""

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from werkstatt.accounts import rules
from werkstatt.core.services import save_validated
from werkstatt.core.text import normalise_text
from werkstatt.documents.validators import FILE_TYPES, MEGABYTE, base_name
from werkstatt.geo.models import Municipality
from werkstatt.meetings.models import AgendaItem, Meeting
from werkstatt.meetings.services.planning import agenda_item_add
from werkstatt.meetings.workflow import LOCKED_MINUTES_STATES, MeetingState
from werkstatt.organizations.models import Workshop
from werkstatt.participation.jobs import enqueue_after_commit
from werkstatt.participation.mail import absolute_url, confirmation_mail, participation_mail
from werkstatt.participation.models import Idea, IdeaStatus
from werkstatt.participation.services.abuse import check_text
from werkstatt.participation.services.participants import (
    Confirmed,
    gone,
    participant_mark_confirmed,
    participant_register,
)
from werkstatt.projects.models import Project
from werkstatt.projects.workflow import ProjectState

TITLE_MAX_CHARS = 200

# The Lausitz (the five districts of the reference data, a little margin around them): a point chosen on the
# map must lie inside. South, west, north, east in degrees (WGS 84).
LAUSITZ_BOUNDS = (Decimal("51.30"), Decimal("13.00"), Decimal("52.50"), Decimal("14.85"))

# What an attachment may be: checked by its first bytes, not only by its name.
ATTACHMENT_TYPES = tuple(t for t in FILE_TYPES if t.label in ("PDF", "JPEG", "PNG"))
ATTACHMENT_ACCEPT = ",".join(sorted(ext for t in ATTACHMENT_TYPES for ext in t.extensions))

# From which states each triage step may be taken. Merged, forwarded, adopted and declined ideas are decided;
# a forwarded idea may still become a project or be declined after its session.
ANSWER, MERGE, FORWARD, ADOPT, DECLINE = "answer", "merge", "forward", "adopt", "decline"
OPEN_STATES = frozenset({IdeaStatus.NEW, IdeaStatus.ANSWERED})
ALLOWED_FROM: dict[str, frozenset[str]] = {
    ANSWER: OPEN_STATES,
    MERGE: OPEN_STATES,
    FORWARD: OPEN_STATES,
    ADOPT: OPEN_STATES | {IdeaStatus.ON_AGENDA},
    DECLINE: OPEN_STATES | {IdeaStatus.ON_AGENDA},
}
AGENDA_NOTE = "Idee aus der Öffentlichkeit"
# Sessions an idea can be forwarded to: still to come, not cancelled or held.
FORWARDABLE_MEETING_STATES = frozenset({MeetingState.PLANNED, MeetingState.INVITED})


# --- submission ----------------------------------------------------------------------------------------------


def _check_point(latitude: Decimal | None, longitude: Decimal | None) -> None:
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        raise ValidationError(
            _("Der Punkt auf der Karte ist unvollständig. Bitte wählen Sie ihn noch einmal."), code="point_incomplete"
        )
    south, west, north, east = LAUSITZ_BOUNDS
    if not (south <= latitude <= north and west <= longitude <= east):
        raise ValidationError(
            _(
                "Der gewählte Punkt liegt außerhalb der Lausitz. Bitte wählen Sie einen Ort in den Landkreisen "
                "Dahme-Spreewald, Elbe-Elster, Oberspreewald-Lausitz, Spree-Neiße oder in Cottbus/Chóśebuz."
            ),
            code="point_outside",
        )


def check_attachment(upload: UploadedFile) -> str:
    """The file name to keep for ``upload`` (without folders), or ``ValidationError`` (German): only PDF,
    JPEG and PNG, recognised by content, up to ``PARTICIPATION_MAX_ATTACHMENT_MB``."""
    limit = settings.PARTICIPATION_MAX_ATTACHMENT_MB
    size = upload.size or 0
    if size > limit * MEGABYTE:
        raise ValidationError(
            _("Der Anhang ist zu groß: höchstens %(limit)s MB sind erlaubt.") % {"limit": limit}, code="too_large"
        )
    if size == 0:
        raise ValidationError(_("Der Anhang ist leer."), code="empty")
    name = base_name(upload.name or "")
    extension = PurePosixPath(name.lower()).suffix
    file_type = next((t for t in ATTACHMENT_TYPES if extension in t.extensions), None)
    if file_type is None:
        raise ValidationError(
            _("Als Anhang sind nur PDF-Dateien und Bilder (JPEG, PNG) erlaubt."), code="type_not_allowed"
        )
    try:
        matches = file_type.matches(upload)
    finally:
        upload.seek(0)
    if not matches:
        raise ValidationError(str(file_type.mismatch), code="content_mismatch")
    return name[:255]


def _check_texts(title: str, description: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    title = normalise_text(title)
    try:
        title = check_text(title, max_chars=TITLE_MAX_CHARS, label=_("Der Titel"))
    except ValidationError as error:
        errors["title"] = error.messages
    if not title and "title" not in errors:
        errors["title"] = [_("Bitte geben Sie einen Titel an.")]
    try:
        description = check_text(
            description, max_chars=settings.PARTICIPATION_MAX_TEXT_CHARS, label=_("Die Beschreibung")
        )
    except ValidationError as error:
        errors["description"] = error.messages
    if not description and "description" not in errors:
        errors["description"] = [_("Bitte beschreiben Sie Ihre Idee.")]
    if errors:
        raise ValidationError(errors)
    return title, description


@transaction.atomic
def idea_submit(
    *,
    workshop: Workshop,
    title: str,
    description: str,
    municipality: Municipality | None,
    latitude: Decimal | None,
    longitude: Decimal | None,
    attachment: UploadedFile | None,
    by_young_person: bool,
    email: str,
) -> Idea:
    """Store an idea, unconfirmed, and send its confirmation link after commit. Text is stored as typed (and
    always shown escaped)."""
    title, description = _check_texts(title, description)
    try:
        _check_point(latitude, longitude)
    except ValidationError as error:
        raise ValidationError({"point": error.messages}) from error
    attachment_name = ""
    if attachment is not None:
        try:
            attachment_name = check_attachment(attachment)
        except ValidationError as error:
            raise ValidationError({"attachment": error.messages}) from error
    participant = participant_register(email=email)
    idea = Idea(
        workshop=workshop,
        title=title,
        description=description,
        municipality=municipality,
        latitude=latitude,
        longitude=longitude,
        by_young_person=by_young_person,
        participant=participant,
        attachment_name=attachment_name,
    )
    if attachment is not None:
        # A name nobody can guess: the attachment is for the office only.
        suffix = PurePosixPath(attachment_name.lower()).suffix
        attachment.name = f"{uuid.uuid4().hex}{suffix}"
        idea.attachment = attachment
    save_validated(idea, actor=None)
    from werkstatt.participation.jobs.confirm import send_confirmation

    enqueue_after_commit(send_confirmation, "idea", idea.pk)
    return idea


def idea_public_url(idea: Idea) -> str:
    return reverse("participation:idea-detail", args=[idea.pk])


@transaction.atomic
def idea_confirm(pk: int) -> Confirmed:
    """The confirmation link of idea ``pk`` was followed: from now on the idea counts."""
    idea = Idea.objects.select_for_update(of=("self",)).select_related("participant").filter(pk=pk).first()
    if idea is None:
        raise gone()
    url = idea_public_url(idea)
    if idea.confirmed_at is not None:
        message = (
            _("Deine Idee ist schon bestätigt. Du musst nichts mehr tun.")
            if idea.by_young_person
            else _("Diese Idee ist bereits bestätigt. Sie müssen nichts mehr tun.")
        )
        return Confirmed(message=message, url=url, already=True)
    idea.confirmed_at = timezone.now()
    idea.save(update_fields=["confirmed_at"])
    if idea.participant is not None:
        participant_mark_confirmed(idea.participant)
    message = (
        _(
            "Danke! Deine Idee „%(title)s“ ist angekommen. Die Geschäftsstelle schaut sie sich an und schreibt dir, "
            "wie es weitergeht."
        )
        if idea.by_young_person
        else _(
            "Ihre Idee „%(title)s“ ist bestätigt. Die Geschäftsstelle sichtet sie und schreibt Ihnen, wie es "
            "weitergeht."
        )
    ) % {"title": idea.title}
    return Confirmed(message=message, url=url)


def idea_confirmation_mail(pk: int) -> EmailMultiAlternatives | None:
    """The double opt-in mail of idea ``pk``; None when it is gone, already confirmed or has no address."""
    idea = Idea.objects.select_related("participant", "workshop").filter(pk=pk).first()
    if idea is None or idea.confirmed_at is not None or idea.participant is None:
        return None
    if idea.by_young_person:
        what = _(
            "Du hast der %(workshop)s die Idee „%(title)s“ geschickt. Bitte bestätige kurz, dass das deine "
            "E-Mail-Adresse ist. Erst dann sieht die Geschäftsstelle deine Idee."
        )
    else:
        what = _(
            "Sie haben der %(workshop)s die Idee „%(title)s“ gesandt. Erst nach der Bestätigung Ihrer Adresse "
            "sieht die Geschäftsstelle Ihre Idee."
        )
    return confirmation_mail(
        to=idea.participant.email,
        kind="idea",
        pk=idea.pk,
        what=what % {"workshop": idea.workshop.label, "title": idea.title},
        subject=_("Bitte bestätigen Sie Ihre Idee „%(title)s“") % {"title": idea.title[:80]},
    )


# --- triage by the office ---------------------------------------------------------------------------------------


def _locked(actor: Any, idea: Idea, step: str) -> Idea:
    """The idea, locked and read again, if ``actor`` may triage and ``step`` may be taken from its state."""
    if not rules.can_triage_ideas(actor):
        raise PermissionDenied(_("Nur die Geschäftsstelle bearbeitet Ideen aus der Öffentlichkeit."))
    locked = Idea.objects.select_for_update(of=("self",)).select_related("workshop").filter(pk=idea.pk).first()
    if locked is None or locked.confirmed_at is None:
        raise ValidationError(_("Diese Idee ist nicht bestätigt und kann nicht bearbeitet werden."), code="unconfirmed")
    if locked.status not in ALLOWED_FROM[step]:
        raise ValidationError(
            _("Die Idee ist „%(status)s“; dieser Schritt ist nicht mehr möglich.")
            % {"status": locked.get_status_display()},
            code="state",
        )
    return locked


def _answer_text(answer: str, *, required: bool, label: str) -> str:
    text = check_text(answer or "", max_chars=settings.PARTICIPATION_MAX_TEXT_CHARS, label=label)
    if required and not text:
        raise ValidationError({"answer": _("Bitte schreiben Sie eine Antwort; sie wird mit der Idee veröffentlicht.")})
    return text


def _decide(actor: Any, idea: Idea, *, status: str, answer: str) -> Idea:
    idea.status = status
    if answer:
        idea.answer = answer
    idea.answered_at = timezone.now()
    idea.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    save_validated(idea, actor=actor)
    from werkstatt.participation.jobs.ideas import send_idea_answer

    enqueue_after_commit(send_idea_answer, idea.pk)
    return idea


@transaction.atomic
def idea_answer(*, actor: Any, idea: Idea, answer: str) -> Idea:
    """Thank the submitter and answer; the answer is public with the idea."""
    idea = _locked(actor, idea, ANSWER)
    text = _answer_text(answer, required=True, label=_("Die Antwort"))
    return _decide(actor, idea, status=IdeaStatus.ANSWERED, answer=text)


@transaction.atomic
def idea_merge(*, actor: Any, idea: Idea, into: Idea, answer: str = "") -> Idea:
    """Merge a duplicate into another idea of the same workshop. Ideas merged into this one so far now point at
    ``into`` as well, so there are no chains and no cycles."""
    idea = _locked(actor, idea, MERGE)
    if into.pk == idea.pk:
        raise ValidationError({"into": _("Eine Idee kann nicht mit sich selbst zusammengeführt werden.")})
    target = Idea.objects.select_for_update().filter(pk=into.pk).first()
    if target is None or target.confirmed_at is None:
        raise ValidationError({"into": _("Diese Idee gibt es nicht oder sie ist nicht bestätigt.")})
    if target.workshop_id != idea.workshop_id:
        raise ValidationError({"into": _("Zusammengeführt werden nur Ideen derselben Werkstatt.")})
    if target.status == IdeaStatus.MERGED:
        raise ValidationError(
            {"into": _("Diese Idee ist selbst schon zusammengeführt; bitte wählen Sie die Idee, in der sie aufging.")}
        )
    text = _answer_text(answer, required=False, label=_("Die Antwort"))
    Idea.objects.filter(merged_into=idea).update(merged_into=target)
    idea.merged_into = target
    return _decide(actor, idea, status=IdeaStatus.MERGED, answer=text)


def forwardable_meetings(workshop: Workshop) -> QuerySet[Meeting]:
    """The sessions of ``workshop`` an idea can still be put on: to come, planned or invited, minutes open."""
    return (
        Meeting.objects.filter(workshop=workshop, state__in=FORWARDABLE_MEETING_STATES, date__gte=timezone.localdate())
        .exclude(minutes_state__in=LOCKED_MINUTES_STATES)
        .select_related("workshop")
        .order_by("date", "number")
    )


@transaction.atomic
def idea_forward_to_agenda(*, actor: Any, idea: Idea, meeting: Meeting, number: str, answer: str = "") -> Idea:
    """Put the idea on the agenda of a coming session of its workshop (a new item numbered ``number``)."""
    idea = _locked(actor, idea, FORWARD)
    if meeting.workshop_id != idea.workshop_id:
        raise ValidationError({"meeting": _("Die Idee kann nur auf die Tagesordnung ihrer eigenen Werkstatt.")})
    if not forwardable_meetings(idea.workshop).filter(pk=meeting.pk).exists():
        raise ValidationError(
            {
                "meeting": _(
                    "Diese Sitzung ist schon vorbei, durchgeführt oder abgesagt. Bitte wählen Sie eine kommende "
                    "Sitzung der Werkstatt."
                )
            }
        )
    text = _answer_text(answer, required=False, label=_("Die Antwort"))
    item: AgendaItem = agenda_item_add(
        actor=actor, meeting=meeting, number=number, title=idea.title, note=AGENDA_NOTE, public=True
    )
    idea.agenda_item = item
    return _decide(actor, idea, status=IdeaStatus.ON_AGENDA, answer=text)


@transaction.atomic
def idea_adopt_as_project(*, actor: Any, idea: Idea, answer: str = "") -> Idea:
    """Create a project at state "idea" from the idea (title, description, lead workshop, place); the idea keeps
    the link to it."""
    from werkstatt.projects.services import project_create

    idea = _locked(actor, idea, ADOPT)
    text = _answer_text(answer, required=False, label=_("Die Antwort"))
    received_on: dt.date = timezone.localdate(idea.confirmed_at)
    project: Project = project_create(
        actor=actor,
        body=idea.workshop.body,
        state=ProjectState.IDEA,
        received_on=received_on,
        note=_("Aus der Idee Nr. %(number)d aus der Öffentlichkeit") % {"number": idea.pk},
        title=idea.title,
        description=idea.description,
        lead_workshop=idea.workshop,
        municipality=idea.municipality,
        latitude=idea.latitude,
        longitude=idea.longitude,
    )
    idea.project = project
    return _decide(actor, idea, status=IdeaStatus.PROJECT, answer=text)


@transaction.atomic
def idea_decline(*, actor: Any, idea: Idea, reason: str) -> Idea:
    """Decline the idea with a public reason (required)."""
    idea = _locked(actor, idea, DECLINE)
    text = check_text(reason or "", max_chars=settings.PARTICIPATION_MAX_TEXT_CHARS, label=_("Die Begründung"))
    if not text:
        raise ValidationError({"answer": _("Bitte begründen Sie die Ablehnung; die Begründung wird veröffentlicht.")})
    return _decide(actor, idea, status=IdeaStatus.DECLINED, answer=text)


# --- the mail to the submitter ------------------------------------------------------------------------------------


def _status_sentence(idea: Idea) -> str:
    young = idea.by_young_person
    if idea.status == IdeaStatus.ANSWERED:
        return (
            _("Die Geschäftsstelle hat dir geantwortet.")
            if young
            else _("Die Geschäftsstelle hat Ihre Idee beantwortet.")
        )
    if idea.status == IdeaStatus.MERGED:
        return (
            _("Jemand hatte schon eine ganz ähnliche Idee. Deine Idee gehört jetzt zu dieser Idee.")
            if young
            else _("Ihre Idee wurde mit einer ähnlichen Idee zusammengeführt und wird dort weiter verfolgt.")
        )
    if idea.status == IdeaStatus.ON_AGENDA:
        return (
            _("Deine Idee kommt in die nächste Sitzung der Werkstatt. Dort wird darüber gesprochen.")
            if young
            else _("Ihre Idee steht auf der Tagesordnung einer kommenden Sitzung der Werkstatt.")
        )
    if idea.status == IdeaStatus.PROJECT:
        return (
            _("Aus deiner Idee wird jetzt eine Projektidee im Projektregister.")
            if young
            else _("Ihre Idee wurde als Projektidee in das Projektregister aufgenommen.")
        )
    if idea.status == IdeaStatus.DECLINED:
        return (
            _("Deine Idee wird leider nicht weiter verfolgt. Hier steht, warum.")
            if young
            else _("Ihre Idee wird nicht weiterverfolgt. Die Begründung lesen Sie unten.")
        )
    return ""


def idea_answer_mail(pk: int) -> EmailMultiAlternatives | None:
    """The mail telling the submitter of idea ``pk`` its new status and the answer; None without an address."""
    idea = Idea.objects.select_related("participant", "workshop").filter(pk=pk).first()
    if idea is None or idea.participant is None or idea.confirmed_at is None or idea.status == IdeaStatus.NEW:
        return None
    young = idea.by_young_person
    subject = (_("Neues zu deiner Idee „%(title)s“") if young else _("Neues zu Ihrer Idee „%(title)s“")) % {
        "title": idea.title[:80]
    }
    return participation_mail(
        to=idea.participant.email,
        subject=subject,
        template="participation/mail/idea_answer",
        context={
            "idea": idea,
            "young": young,
            "status_label": idea.get_status_display(),
            "status_sentence": _status_sentence(idea),
            "idea_url": absolute_url(idea_public_url(idea)),
        },
    )
