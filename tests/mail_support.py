"""Reading sent mails as a mail program does: the bytes Django would send, parsed by the email package."""

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any


def parsed(mail: Any) -> EmailMessage:
    """The sent message, parsed."""
    message = message_from_bytes(mail.message().as_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def text_parts(mail: Any) -> dict[str, str]:
    """The text parts of a sent message by content type (text/plain, text/html), decoded."""
    found: dict[str, str] = {}
    for part in parsed(mail).walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found[part.get_content_type()] = payload.decode(part.get_content_charset() or "utf-8")
    return found
