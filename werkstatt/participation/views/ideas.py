"""The public pages of ideas: submit one (two forms, the second for children and young people), the page after
submitting, the list of ideas the public may read, and one idea with its status, answer and links."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from werkstatt.participation import selectors_ideas as selectors
from werkstatt.participation.forms import client_ip
from werkstatt.participation.forms_ideas import IdeaForm, YoungIdeaForm
from werkstatt.participation.services.abuse import rate_limit_hit
from werkstatt.participation.services.ideas import LAUSITZ_BOUNDS, idea_submit
from werkstatt.portal import maps

LIST_PAGE_SIZE = 25
# Service errors that belong to no single visible field: shown above the form.
POINT_FIELDS = ("point", "latitude", "longitude")


def _add_service_errors(form: IdeaForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = name if name in form.fields and name not in POINT_FIELDS else None
            form.add_error(target, messages)
    else:
        form.add_error(None, error.messages)


def _initial_workshop(request: HttpRequest) -> dict[str, Any]:
    raw = request.GET.get("werkstatt", "")
    if raw.isascii() and raw.isdigit() and len(raw) <= 4:
        workshop = selectors.workshops_for_ideas().filter(number=int(raw)).first()
        if workshop is not None:
            return {"workshop": workshop}
    return {}


def _create(request: HttpRequest, form_class: type[IdeaForm]) -> HttpResponse:
    young = form_class.young
    posted = request.method == "POST"
    form = form_class(request.POST, request.FILES) if posted else form_class(initial=_initial_workshop(request))
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            rate_limit_hit(scope="idea", ip=client_ip(request), email=data["email"])
            idea_submit(
                workshop=data["workshop"],
                title=data["title"],
                description=data["description"],
                municipality=data["municipality"],
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                attachment=data.get("attachment") or None,
                by_young_person=young,
                email=data["email"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            url = reverse("participation:idea-submitted")
            return redirect(url + ("?" + urlencode({"jugend": "1"}) if young else ""))
    south, west, north, east = LAUSITZ_BOUNDS
    return render(
        request,
        "participation/ideas/create.html",
        {
            "form": form,
            "young": young,
            "title": _("Deine Idee für die Lausitz") if young else _("Idee einreichen"),
            "bounds": {"south": south, "west": west, "north": north, "east": east},
            "geodata": maps.GEODATA,
            "tile_url": maps.tile_layer()[0],
            "tile_attribution": maps.tile_layer()[1],
        },
    )


def idea_create(request: HttpRequest) -> HttpResponse:
    return _create(request, IdeaForm)


def idea_create_young(request: HttpRequest) -> HttpResponse:
    return _create(request, YoungIdeaForm)


def idea_submitted(request: HttpRequest) -> HttpResponse:
    young = request.GET.get("jugend") == "1"
    return render(request, "participation/ideas/submitted.html", {"young": young})


def idea_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.IdeaFilter.from_query(request.GET, statuses=selectors.status_choices(public=True))
    page = Paginator(selectors.idea_list_public(request.user, filters), LIST_PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "participation/ideas/list.html",
        {
            "filters": filters,
            "page": page,
            "query": filters.as_query(),
            "workshops": list(selectors.workshops_for_ideas()),
            "statuses": selectors.status_choices(public=True),
        },
    )


def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.idea_get_public(request.user, pk)
    crumbs = [(reverse("participation:idea-list"), _("Ideen aus der Öffentlichkeit"))]
    return render(request, "participation/ideas/detail.html", {"page": page, "idea": page.idea, "crumbs": crumbs})
