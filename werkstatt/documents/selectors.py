"""Shared, permission-aware reads of documents, and reading stored files back."""

from __future__ import annotations

import hashlib
import logging

from django.db.models import Exists, OuterRef, Q, QuerySet

from werkstatt.accounts.rules import reads_everything
from werkstatt.documents.models import File

logger = logging.getLogger(__name__)


def files_visible_to(user: object) -> QuerySet[File]:
    """The stored documents (with content) ``user`` may open from the public interfaces.

    Those who read everything see every stored file. Everyone else sees the public files attached to what they
    may see: any session (its public files are on the session page whatever its state), a visible agenda item or
    a visible project. A public file attached to nothing visible (e.g. only to a non-public project) stays hidden.
    The archived documents of a session count where the public page offers them: the invitation once the agenda
    is public, the minutes once they are published.
    """
    from werkstatt.meetings.models import AgendaItem, Meeting
    from werkstatt.meetings.selectors import agenda_items_visible_to, meetings_with_public_minutes
    from werkstatt.meetings.workflow import PUBLIC_AGENDA_STATES
    from werkstatt.projects.models import Project
    from werkstatt.projects.selectors import projects_visible_to

    stored = File.objects.exclude(file="")
    if reads_everything(user):
        return stored
    attached = (
        Exists(Meeting.files.through.objects.filter(file_id=OuterRef("pk")))
        | Exists(Meeting.objects.filter(invitation_document=OuterRef("pk"), state__in=PUBLIC_AGENDA_STATES))
        | Exists(meetings_with_public_minutes().filter(minutes_document=OuterRef("pk")))
        | Exists(
            AgendaItem.files.through.objects.filter(
                file_id=OuterRef("pk"), agendaitem_id__in=agenda_items_visible_to(user).values("pk")
            )
        )
        | Exists(
            Project.files.through.objects.filter(
                file_id=OuterRef("pk"), project_id__in=projects_visible_to(user).values("pk")
            )
        )
    )
    return stored.filter(Q(public=True) & attached)


def file_content(document: File) -> bytes | None:
    """The stored bytes of ``document``, checked against its size and SHA-512; ``None`` if they are gone or differ.

    A caller that promises fixed bytes (a published document with its checksum) falls back to something else
    rather than hand out a file that is not the one recorded; the log says which file is damaged.
    """
    if not document.has_content:
        return None
    try:
        with document.file.open("rb") as stream:
            content = stream.read()
    except OSError:
        logger.error("Die gespeicherte Datei %s (%s) ist nicht mehr vorhanden.", document.pk, document.file.name)
        return None
    if (document.size is not None and len(content) != document.size) or (
        document.sha512 and hashlib.sha512(content).hexdigest() != document.sha512
    ):
        logger.error(
            "Die gespeicherte Datei %s (%s) stimmt nicht mit ihrer Prüfsumme überein.", document.pk, document.file.name
        )
        return None
    return bytes(content)
