"""The search page ``/suche/`` (``portal:search``): parse the query string, ask the selector, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from werkstatt.geo.models import District
from werkstatt.organizations.selectors import workshop_list
from werkstatt.search.models import SearchKind
from werkstatt.search.selectors import PAGE_SIZE, SearchFilter, SearchResults, search


def _url(filters: SearchFilter, **changes: object) -> str:
    query = filters.as_query(**changes)
    return reverse("portal:search") + ("?" + urlencode(query) if query else "")


def _page_window(results: SearchResults, around: int = 2) -> list[int | None]:
    """The page numbers to link: the first, the last and ``around`` either side of the current one; ``None`` marks
    a gap (a common word can have hundreds of pages)."""
    last, current = results.num_pages, results.page
    shown = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    window: list[int | None] = []
    for number in shown:
        if window and number - (window[-1] or 0) > 1:
            window.append(None)
        window.append(number)
    return window


def search_page(request: HttpRequest) -> HttpResponse:
    filters = SearchFilter.from_query(request.GET)
    results = search(request.user, filters)
    kinds = [
        (kind.value, str(kind.label), results.kind_totals.get(kind.value, 0), _url(filters, art=kind.value, seite=None))
        for kind in SearchKind
    ]
    groups = [(group, _url(filters, art=group.kind, seite=None)) for group in results.groups]
    pages: list[tuple[int | None, str]] = []
    if filters.kind and results.num_pages > 1:
        pages = [(n, _url(filters, seite=n if n != 1 else None) if n else "") for n in _page_window(results)]
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
