"""The search page ``/suche/`` (``portal:search``): parse the query string, ask the selector, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from werkstatt.geo.models import District
from werkstatt.organizations.selectors import workshop_list
from werkstatt.search.models import SearchKind
from werkstatt.search.selectors import PAGE_SIZE, SearchFilter, search


def _url(filters: SearchFilter, **changes: object) -> str:
    query = filters.as_query(**changes)
    return reverse("portal:search") + ("?" + urlencode(query) if query else "")


def search_page(request: HttpRequest) -> HttpResponse:
    filters = SearchFilter.from_query(request.GET)
    results = search(request.user, filters)
    kinds = [
        (kind.value, str(kind.label), results.kind_totals.get(kind.value, 0), _url(filters, art=kind.value, seite=None))
        for kind in SearchKind
    ]
    groups = [(group, _url(filters, art=group.kind, seite=None)) for group in results.groups]
    pages: list[tuple[int, str]] = []
    if filters.kind and results.num_pages > 1:
        pages = [(n, _url(filters, seite=n if n != 1 else None)) for n in range(1, results.num_pages + 1)]
    return render(
        request,
        "search/search.html",
        {
            "filters": filters,
            "results": results,
            "kinds": kinds,
            "groups": groups,
            "pages": pages,
            "first_number": (results.page - 1) * PAGE_SIZE + 1,
            "previous_url": _url(filters, seite=results.page - 1 if results.page > 2 else None)
            if results.page > 1
            else "",
            "next_url": _url(filters, seite=results.page + 1) if results.page < results.num_pages else "",
            "all_kinds_url": _url(filters, art=None, seite=None),
            "suggestions": [(s, _url(filters, q=s.q, seite=None)) for s in results.suggestions],
            "workshops": workshop_list(request.user).prefetch_related(None).only("number", "title"),
            "districts": District.objects.order_by("name").only("ags", "name", "name_dsb"),
            "kind_choices": [(kind.value, str(kind.label)) for kind in SearchKind],
        },
    )
