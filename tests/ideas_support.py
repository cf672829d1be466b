"""Shared set-up of the idea tests: workshops, places, submitting through the real pages, reading mails."""

import datetime as dt
import re
from email.message import Message

from django.core import mail

from tests.mail_support import parsed, text_parts


def parse(message: mail.EmailMessage) -> Message:
    """The message as a mail program sees it."""
    return parsed(message)


def parts(message: mail.EmailMessage) -> tuple[str, str]:
    """The text/plain and text/html parts of a sent message, decoded."""
    texts = text_parts(message)
    return texts["text/plain"], texts["text/html"]


def confirm_link(message: mail.EmailMessage) -> str:
    """The path of the confirmation link in the mail's text part (the same link is in the HTML part)."""
    text, html = parts(message)
    match = re.search(r"https?://[^/\s]+(/mitmachen/bestaetigen/[^\s]+/)", text)
    assert match, text
    assert match.group(1) in html
    return match.group(1)


def tomorrow(days: int = 1) -> dt.date:
    from django.utils import timezone

    return timezone.localdate() + dt.timedelta(days=days)
