"""A URL configuration for tests of the subscriptions while the participation's sibling pages are not merged yet.

The participation's mails and link pages name ``participation:privacy``, ``participation:mydata-request`` and
``participation:overview``, which other parts of the work add. Where a name is missing, this configuration adds
a placeholder page under ``/_platzhalter/``; once the real page exists it adds nothing and equals
``config.urls`` (the fixture ``participation_url_stubs`` then leaves ``ROOT_URLCONF`` alone).
"""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, include, path

from config import urls as root
from werkstatt.participation import urls as participation

NAMES = ("privacy", "mydata-request", "overview")


def _placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Platzhalter", content_type="text/plain; charset=utf-8")


def missing_names() -> list[str]:
    known = get_resolver(participation).reverse_dict
    return [name for name in NAMES if name not in known]


_patterns: list[URLPattern | URLResolver] = [
    *participation.urlpatterns,
    *(path(f"_platzhalter/{name}/", _placeholder, name=name) for name in missing_names()),
]
urlpatterns: list[URLPattern | URLResolver] = [
    *(p for p in root.urlpatterns if getattr(p, "namespace", None) != "participation"),
    path("", include((_patterns, "participation"))),
]
