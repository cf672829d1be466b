"""Shared set-up of the comment tests: a public project and published minutes to comment on, writing and
confirming through the real pages, and reading the mails that the real worker sent."""

import re
from email.message import EmailMessage
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import MeetingFactory, ProjectFactory
from tests.mail_support import parsed, text_parts
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.participation.models import Comment


def public_project(workshop: Any, **kwargs: Any) -> Any:
    return ProjectFactory(**{"body": workshop.body, "lead_workshop": workshop, "public": True, **kwargs})


def published_meeting(workshop: Any, **kwargs: Any) -> Any:
    values = {"state": MeetingState.HELD, "minutes_state": MinutesState.PUBLISHED, **kwargs}
    return MeetingFactory(workshop=workshop, **values)


def create_url(target: Any) -> str:
    if hasattr(target, "lead_workshop"):
        return reverse("participation:comment-create-project", args=[target.pk])
    return reverse("participation:comment-create-meeting", args=[target.pk])


def page_url(target: Any) -> str:
    if hasattr(target, "lead_workshop"):
        return reverse("portal:project-detail", args=[target.pk])
    return reverse("portal:meeting-detail", args=[target.pk])


def form_data(**changes: str) -> dict[str, str]:
    return {
        "body": "Ein guter Plan.",
        "author_name": "Erika M.",
        "email": "erika@example.org",
        "website": "",
        **changes,
    }


def parts(message: Any) -> tuple[EmailMessage, str, str]:
    """The sent message as the mail program reads it: the parsed message, its text/plain and text/html parts."""
    texts = text_parts(message)
    return parsed(message), texts["text/plain"], texts["text/html"]


def confirm_path(message: Any) -> str:
    """The confirmation link of a mail, taken from its plain text and checked against its HTML part."""
    _parsed, text, html = parts(message)
    found = re.findall(r"https?://\S+/mitmachen/bestaetigen/[^/\s]+/", text)
    assert len(found) == 1, text
    assert f'href="{found[0]}"' in html
    return "/" + found[0].split("/", 3)[3]


def submit_and_mail(client: Client, target: Any, run_jobs: Any, capture: Any, **changes: str) -> tuple[Comment, Any]:
    """Write a comment as a visitor through the real form, let the worker send the mail; the comment and mail."""
    before = len(mail.outbox)
    with capture(execute=True):
        response = client.post(create_url(target), form_data(**changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert run_jobs() == 1
    assert len(mail.outbox) == before + 1
    return Comment.objects.latest("pk"), mail.outbox[-1]


def confirm(client: Client, path: str) -> Any:
    assert client.get(path).status_code == 200
    return client.post(path)
