"""Helpers for page tests: the URLs of every public page type in the demo, visible text, query counts."""

import re
from collections.abc import Callable
from html.parser import HTMLParser

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from werkstatt.meetings.models import Meeting
from werkstatt.news.models import NewsItem
from werkstatt.organizations.models import Organization, Person
from werkstatt.projects.models import Project


def demo_page_urls() -> dict[str, str]:
    """One URL per public page type, pointing at the demo data."""
    session_16 = Meeting.objects.get(workshop__number=4, number=16)
    return {
        "home": reverse("portal:home"),
        "workshop-list": reverse("portal:workshop-list"),
        "workshop-detail": reverse("portal:workshop-detail", args=[4]),
        "meeting-detail": reverse("portal:meeting-detail", args=[session_16.pk]),
        "news-list": reverse("portal:news-list"),
        "news-detail": reverse("portal:news-detail", args=[NewsItem.objects.order_by("-date").first().pk]),  # type: ignore[union-attr]
        "organization-detail": reverse(
            "portal:organization-detail", args=[Organization.objects.get(short_name="LAG Elbe-Elster").pk]
        ),
        "person-detail": reverse("portal:person-detail", args=[Person.objects.get(family_name="Guntermann").pk]),
        "project-list": reverse("portal:project-list"),
        "project-detail": reverse(
            "portal:project-detail", args=[Project.objects.get(title__startswith="Telemedizinische Einbindung").pk]
        ),
        "open-data": reverse("portal:open-data"),
    }


INLINE_TAGS = frozenset({"a", "span", "strong", "em", "b", "i", "time", "abbr", "small", "code"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._skip += 1
        if tag not in INLINE_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head") and self._skip:
            self._skip -= 1
        if tag not in INLINE_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text a reader sees, whitespace folded to single spaces."""
    parser = _TextExtractor()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def query_counts(client: Client, urls: dict[str, str]) -> dict[str, int]:
    return {name: count_queries(client, url) for name, url in urls.items()}


Grower = Callable[[], None]
