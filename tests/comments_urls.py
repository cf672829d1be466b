"""The site's URLs, plus placeholders for the participation pages that the comment mails and link pages link to
(privacy page, "my data", overview) while those pages are not built in this branch. Only names the real
``werkstatt.participation.urls`` lacks get a placeholder; ``tests/comments_support.py`` switches to this module
only when one is missing."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from config.urls import urlpatterns as site_patterns
from werkstatt.participation import urls as participation_urls

NEEDED = {"privacy": "mitmachen/datenschutz/", "mydata-request": "mitmachen/meine-daten/", "overview": "mitmachen/"}


def names(patterns: Iterable[Any]) -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from names(pattern.url_patterns)
        elif pattern.name:
            yield pattern.name


def placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Platzhalter", content_type="text/plain; charset=utf-8")


present = set(names(participation_urls.urlpatterns))
extra = [path(route, placeholder, name=name) for name, route in NEEDED.items() if name not in present]
urlpatterns: list[URLPattern | URLResolver] = [
    p for p in site_patterns if getattr(p, "namespace", None) != "participation"
] + [path("", include(([*participation_urls.urlpatterns, *extra], "participation")))]
