"""Mails to participants: German, plain text and HTML, each with the links to leave again.

Every mail is built here: ``<template>.txt`` and ``<template>.html`` are rendered with the same context, the HTML
inside ``participation/mail/base.html``. A mail sent because of subscriptions carries ``List-Unsubscribe`` and
``List-Unsubscribe-Post`` (RFC 8058: one click in the mail program unsubscribes) and the same link in its text.
Mails are sent by background jobs (``werkstatt.participation.jobs``), never in the request.
"""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse


def absolute_url(path: str) -> str:
    return settings.WERKSTATT_BASE_URL + path


def participation_mail(
    *, to: str, subject: str, template: str, context: dict[str, Any], unsubscribe_url: str = ""
) -> EmailMultiAlternatives:
    """A mail to one address; ``unsubscribe_url`` (absolute) for mails sent because of subscriptions."""
    context = {
        **context,
        "subject": subject,
        "unsubscribe_url": unsubscribe_url,
        "mydata_url": absolute_url(reverse("participation:mydata-request")),
        "privacy_url": absolute_url(reverse("participation:privacy")),
        "site_url": absolute_url("/"),
    }
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def confirmation_mail(*, to: str, kind: str, pk: int, what: str, subject: str) -> EmailMultiAlternatives:
    """The double opt-in mail: ``what`` says in one German sentence what the address is to confirm."""
    from werkstatt.participation.tokens import confirmation_token

    url = absolute_url(reverse("participation:confirm", args=[confirmation_token(kind, pk)]))
    return participation_mail(
        to=to,
        subject=subject,
        template="participation/mail/confirm",
        context={"what": what, "confirm_url": url, "days": settings.PARTICIPATION_UNCONFIRMED_DAYS},
    )
