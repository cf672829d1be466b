"""Shared helpers of the subscription tests: reading mails, links in them."""

import re
from email import message_from_bytes, policy
from email.message import Message
from typing import Any


def parsed(mail: Any) -> Message:
    """The message as a mail program reads it: the bytes sent, parsed by the email package."""
    return message_from_bytes(mail.message().as_bytes(), policy=policy.default)


def parts(mail: Any) -> dict[str, str]:
    """The text/plain and text/html parts, decoded."""
    found: dict[str, str] = {}
    for part in parsed(mail).walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found[part.get_content_type()] = payload.decode(part.get_content_charset() or "utf-8")
    return found


def links(text: str, fragment: str) -> list[str]:
    """Absolute links in ``text`` that contain ``fragment``."""
    return [url for url in re.findall(r"https?://[^\s\"<>]+", text) if fragment in url]


def path_of(url: str) -> str:
    """The path of an absolute link of the site (the test client and the live server take paths)."""
    return re.sub(r"^https?://[^/]+", "", url)


def list_unsubscribe(mail: Any) -> str:
    header = parsed(mail)["List-Unsubscribe"]
    assert header is not None
    match = re.fullmatch(r"<(https?://[^>]+)>", str(header).strip())
    assert match, header
    return match.group(1)


def subject(mail: Any) -> str:
    """The subject as a mail program shows it (a long one is folded onto the next line when sent)."""
    return str(parsed(mail)["Subject"]).strip()
