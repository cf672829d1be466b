"""Public pages: parse the request, call selectors, render. No writes here."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import condition, require_safe

from werkstatt.accounts import rules
from werkstatt.exports import catalogue, csv_excel
from werkstatt.exports.licence import data_licence
from werkstatt.geo import selectors as geo_selectors
from werkstatt.meetings import selectors as meeting_selectors
from werkstatt.news import selectors as news_selectors
from werkstatt.organizations import selectors as org_selectors
from werkstatt.participation.views.comments import meeting_comments_context, project_comments_context
from werkstatt.portal import facts as facts_figures
from werkstatt.portal import maps
from werkstatt.portal.forms import ProjectFilterForm
from werkstatt.projects import selectors as project_selectors
from werkstatt.projects.models import Project
from werkstatt.projects.selectors import DEFAULT_SORT, MapEntry, ProjectFilter

HOME_NEWS_COUNT = 3
WORKSHOP_NEWS_COUNT = 3
WORKSHOP_PROJECT_COUNT = 5
REGISTER_PAGE_SIZE = 25
# The register's sortable columns: sort key of ``ProjectFilter`` -> column heading.
REGISTER_SORT_COLUMNS = {
    "titel": gettext_lazy("Titel"),
    "werkstatt": gettext_lazy("Federführende Werkstatt"),
    "stand": gettext_lazy("Stand"),
    "bestaetigt": gettext_lazy("IMAG-bestätigt am"),
}


def home(request: HttpRequest) -> HttpResponse:
    workshops = list(org_selectors.workshop_list(request.user))
    return render(
        request,
        "portal/home.html",
        {
            "workshops": workshops,
            "announced": [w for w in workshops if w.next_session_date],
            "upcoming": list(meeting_selectors.meetings_upcoming(request.user)),
            "news_items": list(news_selectors.news_item_list_for_user(request.user)[:HOME_NEWS_COUNT]),
            "key_figures": project_selectors.project_key_figures(),
        },
    )


def workshop_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/workshop_list.html", {"workshops": list(org_selectors.workshop_list(request.user))})


def open_data(request: HttpRequest) -> HttpResponse:
    """Every export, feed and API with format, URL and licence, from ``exports.catalogue``."""
    return render(
        request,
        "portal/open_data.html",
        {"groups": catalogue.catalogue(request.build_absolute_uri), "licence": data_licence(), "crumbs": []},
    )


def workshop_detail(request: HttpRequest, number: int) -> HttpResponse:
    workshop = org_selectors.workshop_get_by_number(request.user, number)
    workshop_projects = project_selectors.projects_for_workshop(request.user, workshop, limit=WORKSHOP_PROJECT_COUNT)
    workshop_filter = ProjectFilter(workshop=workshop.number)
    return render(
        request,
        "portal/workshop_detail.html",
        {
            **_map_context(),
            "crumbs": [(reverse("portal:workshop-list"), _("Werkstätten"))],
            "workshop": workshop,
            "speakers": workshop.current_speakers,  # type: ignore[attr-defined]
            "member_links": workshop.current_member_links,  # type: ignore[attr-defined]
            "meetings": list(meeting_selectors.meeting_list_for_workshop(request.user, workshop)),
            "presentations": list(meeting_selectors.project_presentations_for_workshop(request.user, workshop)),
            "project_count": workshop_projects.count,
            "projects": workshop_projects.latest,
            "register_url": _register_url(workshop_filter),
            "project_map": _project_map(workshop_projects.entries, workshop_filter),
            "news_items": list(news_selectors.news_items_for_workshop(request.user, workshop)[:WORKSHOP_NEWS_COUNT]),
        },
    )


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = meeting_selectors.meeting_get_for_user(request.user, pk, with_projects=True)
    workshop = page.meeting.workshop
    crumbs = [
        (reverse("portal:workshop-list"), _("Werkstätten")),
        (reverse("portal:workshop-detail", args=[workshop.number]), workshop.label),
    ]
    return render(
        request,
        "portal/meeting_detail.html",
        {"page": page, "meeting": page.meeting, "crumbs": crumbs, **meeting_comments_context(request, page.meeting)},
    )


def news_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "portal/news_list.html", {"news_items": list(news_selectors.news_item_list_for_user(request.user))}
    )


def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = news_selectors.news_item_get_for_user(request.user, pk)
    crumbs = [(reverse("portal:news-list"), _("Neuigkeiten"))]
    return render(request, "portal/news_detail.html", {"item": item, "crumbs": crumbs})


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = org_selectors.organization_get_for_user(request.user, pk)
    return render(request, "portal/organization_detail.html", {"page": page, "organization": page.organization})


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = org_selectors.person_get_for_user(request.user, pk)
    return render(
        request,
        "portal/person_detail.html",
        {"person": person, "presentations": list(meeting_selectors.presentations_by_person(request.user, person))},
    )


# --- the project register --------------------------------------------------------------------


def _register_url(filters: ProjectFilter, **changes: object) -> str:
    query = urlencode(filters.as_query(**changes))
    return reverse("portal:project-list") + (f"?{query}" if query else "")


@dataclass(frozen=True)
class SortColumn:
    label: str
    url: str
    aria_sort: str  # "ascending", "descending" or "" for a column the register is not sorted by
    next_direction: str


def _sort_columns(filters: ProjectFilter) -> dict[str, SortColumn]:
    columns = {}
    for key, label in REGISTER_SORT_COLUMNS.items():
        active = filters.sort.lstrip("-") == key
        descending = active and filters.sort.startswith("-")
        target = f"-{key}" if active and not descending else key
        columns[key] = SortColumn(
            label=str(label),
            # A new sort starts again on the first page.
            url=_register_url(filters, sortierung=None if target == DEFAULT_SORT else target, seite=None),
            aria_sort=("descending" if descending else "ascending") if active else "",
            next_direction=_("absteigend sortieren") if target.startswith("-") else _("aufsteigend sortieren"),
        )
    return columns


def _page_number(raw: str, num_pages: int, errors: list[str]) -> int:
    """The page asked for; a number that is no page falls back to the first or last one, with a message."""
    raw = raw.strip()
    if not raw:
        return 1
    if raw.isascii() and raw.isdigit() and len(raw) <= 6 and 1 <= int(raw) <= num_pages:
        return int(raw)
    last = raw.isascii() and raw.isdigit() and len(raw) <= 6 and int(raw) > num_pages
    errors.append(
        _("Die Seite „%(value)s“ gibt es nicht; gezeigt wird Seite %(page)s.")
        % {"value": raw[:20], "page": num_pages if last else 1}
    )
    return num_pages if last else 1


@dataclass(frozen=True)
class FeedLink:
    url: str
    title: str  # the feed's name, for <link rel="alternate" title="…">

    @property
    def label(self) -> str:
        return _("%(title)s als Feed abonnieren (Atom)") % {"title": self.title}


def _milestones_feed(filters: ProjectFilter, form: ProjectFilterForm) -> FeedLink:
    """The milestones feed that fits the register's filter: of the workshop or the district filtered for (when it
    is the only one of the two and exists: the form's choices know, no query more), else of all projects."""
    workshops = {str(key) for key, _label in form.fields["werkstatt"].choices}  # type: ignore[attr-defined]
    districts = dict(form.fields["kreis"].choices)  # type: ignore[attr-defined]
    if filters.workshop is not None and not filters.district and str(filters.workshop) in workshops:
        return FeedLink(
            reverse("exports:milestones-feed-workshop", args=[filters.workshop]),
            _("Meilensteine der Projekte der Werkstatt %(number)s") % {"number": filters.workshop},
        )
    if filters.district and filters.district in districts and filters.workshop is None:
        return FeedLink(
            reverse("exports:milestones-feed-district", args=[filters.district]),
            _("Meilensteine der Projekte in %(district)s") % {"district": districts[filters.district]},
        )
    return FeedLink(reverse("exports:milestones-feed"), _("Meilensteine aller öffentlichen Projekte"))


def project_list(request: HttpRequest) -> HttpResponse:
    filters = ProjectFilter.from_query(request.GET)
    errors = list(filters.errors)
    paginator = Paginator(project_selectors.project_register(request.user, filters), REGISTER_PAGE_SIZE)
    page = paginator.page(_page_number(request.GET.get("seite", ""), paginator.num_pages, errors))
    form = ProjectFilterForm(filters, project_selectors.projects_visible_to(request.user))

    def page_url(number: int) -> str:
        return _register_url(filters, seite=number if number != 1 else None)

    pages = [
        (number, page_url(number) if isinstance(number, int) else "")
        for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return render(
        request,
        "portal/project_list.html",
        {
            "filters": filters,
            # The download gets the filters in effect, never the raw query (bad values are dropped).
            "csv_query": urlencode(filters.as_query(sortierung=None)),
            "errors": errors,
            "form": form,
            "milestones_feed": _milestones_feed(filters, form),
            "page": page,
            "pages": pages,
            "previous_url": page_url(page.previous_page_number()) if page.has_previous() else "",
            "next_url": page_url(page.next_page_number()) if page.has_next() else "",
            "rows": [(project, rules.can_view_project_finances(request.user, project)) for project in page],
            "state_counts": [
                (state, label, count, _register_url(filters, stand=state))
                for state, label, count in project_selectors.project_register_state_counts(request.user, filters)
            ],
            "columns": _sort_columns(filters),
            "reset_url": reverse("portal:project-list"),
        },
    )


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = project_selectors.project_page_for_user(request.user, pk)
    crumbs = [(reverse("portal:project-list"), _("Projekte"))]
    return render(
        request,
        "portal/project_detail.html",
        {"page": page, "project": page.project, "crumbs": crumbs, **project_comments_context(request, page.project)},
    )


# --- the map ---------------------------------------------------------------------------------------


def _map_url(filters: ProjectFilter, name: str = "portal:map") -> str:
    query = urlencode(filters.as_query(sortierung=None))
    return reverse(name) + (f"?{query}" if query else "")


@dataclass(frozen=True)
class MapRow:
    """A line of the list beside a map: the project, how it is placed on the map, its marker's phase."""

    project: Project
    located_by: str
    phase: maps.Phase


@dataclass(frozen=True)
class ProjectMap:
    """What ``portal/_project_map.html`` draws: the markers' endpoint and the list with the same projects."""

    entries: list[MapEntry]
    data_url: str
    full_map_url: str
    focus_district: str = ""  # the map opens on this district (Kreisschlüssel)

    def _rows(self, located: bool) -> list[MapRow]:
        return [
            MapRow(entry.project, entry.located_by, maps.PHASE_OF_STATE[entry.project.state])
            for entry in self.entries
            if entry.located == located
        ]

    @property
    def located(self) -> list[MapRow]:
        return self._rows(located=True)

    @property
    def unlocated(self) -> list[MapRow]:
        return self._rows(located=False)


def _project_map(entries: list[MapEntry], filters: ProjectFilter, *, focus_district: str = "") -> ProjectMap:
    return ProjectMap(
        entries=entries,
        data_url=_map_url(filters, "portal:map-data"),
        full_map_url=_map_url(filters),
        focus_district=focus_district,
    )


def _map_context() -> dict[str, object]:
    tile_url, tile_attribution = maps.tile_layer()
    return {
        "phases": maps.PHASES,
        "geodata": maps.GEODATA,
        "tile_url": tile_url,
        "tile_attribution": tile_attribution,
    }


def project_map(request: HttpRequest) -> HttpResponse:
    """All projects on a map, with the register's filters; beside it the list of the same projects."""
    filters = ProjectFilter.from_query(request.GET)
    form = ProjectFilterForm(filters, project_selectors.projects_visible_to(request.user))
    return render(
        request,
        "portal/map.html",
        {
            **_map_context(),
            "filters": filters,
            "errors": filters.errors,
            "form": form,
            "project_map": _project_map(
                project_selectors.project_map(request.user, filters), filters, focus_district=filters.district
            ),
            "register_url": _register_url(filters, sortierung=None),
            "reset_url": reverse("portal:map"),
        },
    )


@require_safe
def project_map_data(request: HttpRequest) -> JsonResponse:
    """The map's markers as GeoJSON, from the same selector and filters as the register and the map page;
    filter values that cannot be used are named in German in ``messages`` (and ignored)."""
    filters = ProjectFilter.from_query(request.GET)
    data = maps.markers_geojson(
        project_selectors.project_map(request.user, filters),
        project_url=lambda pk: reverse("portal:project-detail", args=[pk]),
        messages=filters.errors,
    )
    response = JsonResponse(data, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _shapes_response(kind: str) -> HttpResponse:
    shapes = maps.shapes(kind)
    response = HttpResponse(shapes.content, content_type="application/geo+json")
    patch_cache_control(response, public=True, max_age=maps.SHAPES_MAX_AGE)
    return response


@require_safe
@condition(etag_func=lambda request: maps.shapes("districts").etag)
def map_districts(request: HttpRequest) -> HttpResponse:
    """The districts' shapes (BKG VG5000, simplified), for the maps; no query, cached by the browser."""
    return _shapes_response("districts")


@require_safe
@condition(etag_func=lambda request: maps.shapes("municipalities").etag)
def map_municipalities(request: HttpRequest) -> HttpResponse:
    """The municipalities' shapes, as ``map_districts``."""
    return _shapes_response("municipalities")


# --- the districts -----------------------------------------------------------------------------------


def district_list(request: HttpRequest) -> HttpResponse:
    counts = project_selectors.project_counts_by_district(request.user)
    rows = [(district, counts.get(district.pk, 0)) for district in geo_selectors.district_list()]
    return render(request, "portal/district_list.html", {"rows": rows})


def district_detail(request: HttpRequest, ags: str) -> HttpResponse:
    district = geo_selectors.district_get_by_ags(ags)
    filters = ProjectFilter(district=district.ags)
    project_map = _project_map(
        project_selectors.project_map(request.user, filters), filters, focus_district=district.ags
    )
    per_place: dict[int, int] = {}
    for entry in project_map.entries:
        if entry.project.municipality_id is not None:
            per_place[entry.project.municipality_id] = per_place.get(entry.project.municipality_id, 0) + 1
    municipalities = [
        (place, per_place.get(place.pk, 0), _register_url(ProjectFilter(municipality=place.ags)))
        for place in geo_selectors.municipalities_of(district)
    ]
    return render(
        request,
        "portal/district_detail.html",
        {
            **_map_context(),
            "crumbs": [(reverse("portal:district-list"), _("Landkreise"))],
            "district": district,
            "municipalities": municipalities,
            "project_map": project_map,
            "register_url": _register_url(filters),
            "milestones_feed": FeedLink(
                reverse("exports:milestones-feed-district", args=[district.ags]),
                _("Meilensteine der Projekte in %(district)s") % {"district": district.display_name},
            ),
        },
    )


# --- Zahlen und Fakten -----------------------------------------------------------------------------


@require_safe
def facts(request: HttpRequest) -> HttpResponse:
    """The register in figures, over what this user may see (the public view for everyone not logged in).
    Query parameters are ignored: the page has none."""
    return render(
        request,
        "portal/facts.html",
        {
            "figures": facts_figures.all_figures(request.user),
            "today": timezone.localdate(),
            "reads_everything": rules.reads_everything(request.user),
            "crumbs": [],
        },
    )


@require_safe
def facts_csv(request: HttpRequest, figure: str) -> HttpResponse:
    """One figure's table as CSV for Excel; an unknown figure is a 404 that names the ones there are."""
    build = facts_figures.FIGURES.get(figure)
    if build is None:
        return render(
            request,
            "portal/facts_not_found.html",
            {
                "figure": figure[:50],
                "keys": list(facts_figures.FIGURES),
                "crumbs": [(reverse("portal:facts"), _("Zahlen und Fakten"))],
            },
            status=404,
        )
    result = build(request.user)
    response = HttpResponse(b"".join(csv_excel.csv_bytes(result.table.csv_rows())), content_type=csv_excel.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=result.csv_filename) or (
        "attachment"
    )
    # What a user sees depends on who they are: never into a shared cache.
    patch_cache_control(response, private=True, no_cache=True)
    return response
