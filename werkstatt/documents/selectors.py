"""Shared, permission-aware reads of documents."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from werkstatt.accounts.rules import reads_everything
from werkstatt.documents.models import File


def files_visible_to(user: object) -> QuerySet[File]:
    """The stored documents (with content) ``user`` may open from the public interfaces.

    Those who read everything see every stored file. Everyone else sees the public files attached to what they
    may see: any session (its public files are on the session page whatever its state), a visible agenda item or
    a visible project. A public file attached to nothing visible (e.g. only to a non-public project) stays hidden.
    """
    from werkstatt.meetings.models import AgendaItem, Meeting
    from werkstatt.meetings.selectors import agenda_items_visible_to
    from werkstatt.projects.models import Project
    from werkstatt.projects.selectors import projects_visible_to

    stored = File.objects.exclude(file="")
    if reads_everything(user):
        return stored
    attached = (
        Exists(Meeting.files.through.objects.filter(file_id=OuterRef("pk")))
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
