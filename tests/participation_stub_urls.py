"""The site's URLs plus stand-ins for participation pages another part delivers (see tests/ideas_support.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from config import urls as site_urls
from werkstatt.participation import urls as participation_urls


def _stand_in(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Platzhalter", content_type="text/plain; charset=utf-8")


_stand_ins = [
    path("mitmachen/", _stand_in, name="overview"),
    path("mitmachen/datenschutz/", _stand_in, name="privacy"),
    path("mitmachen/meine-daten/", _stand_in, name="mydata-request"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    pattern
    for pattern in site_urls.urlpatterns
    if not (isinstance(pattern, URLResolver) and getattr(pattern, "namespace", None) == "participation")
]
urlpatterns.append(
    path("", include((list(participation_urls.urlpatterns) + _stand_ins, "participation"), namespace="participation"))
)
