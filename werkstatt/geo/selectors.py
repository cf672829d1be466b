from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from werkstatt.geo.models import District, Municipality


def municipality_find_by_name(name: str) -> Municipality | None:
    return Municipality.objects.select_related("district").filter(name=name).first()


def district_get_by_ags(ags: str) -> District:
    """The district with this Kreisschlüssel (five digits, e.g. ``12062``); 404 for any other value."""
    district = District.objects.filter(ags=ags).first() if ags.isascii() and ags.isdigit() and len(ags) == 5 else None
    if district is None:
        raise Http404(_("Einen Landkreis oder eine kreisfreie Stadt mit diesem Schlüssel gibt es nicht."))
    return district


def district_list() -> QuerySet[District]:
    """All districts by name, each with how many municipalities it has (``municipality_count``). One query."""
    return District.objects.annotate(municipality_count=Count("municipalities")).order_by("name")


def municipalities_of(district: District) -> QuerySet[Municipality]:
    return Municipality.objects.filter(district=district).order_by("name")
