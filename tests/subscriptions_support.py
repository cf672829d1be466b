"""Shared helpers of the subscription tests: reading mails, links in them."""

import re
from typing import Any

from tests.mail_support import parsed, text_parts


def parts(mail: Any) -> dict[str, str]:
    """The text/plain and text/html parts, decoded."""
    return text_parts(mail)


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
