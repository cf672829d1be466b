"""The public project register at /projekte/: filters, sorting, pages, counts, visibility per role,
money and bad input; its query count does not grow with the number of projects."""

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import OrganizationFactory, ProjectFactory, WorkshopFactory
from tests.pages import count_queries, visible_text
from werkstatt.geo.models import District, Municipality
from werkstatt.geo.services import geo_reference_data_load
from werkstatt.organizations.models import FocusArea
from werkstatt.projects.workflow import FundingInstrument, ProjectState

pytestmark = pytest.mark.django_db

URL = reverse("portal:project-list")
SPREMBERG = "12071372"
COTTBUS = "12052000"


@pytest.fixture
def portfolio(workshop2: Any, workshop4: Any) -> SimpleNamespace:
    """Five projects that differ in every filtered field, one of them not public."""
    geo_reference_data_load()
    cottbus = Municipality.objects.get(ags=COTTBUS)
    spremberg = Municipality.objects.get(ags=SPREMBERG)
    elbe_elster = District.objects.get(ags="12062")
    health = FocusArea.objects.create(workshop=workshop2, title="Gesundheit digital")
    heat = FocusArea.objects.create(workshop=workshop4, title="Wärmeversorgung (Modellprojekte)")
    body = workshop2.body
    sponsor = OrganizationFactory(body=body, name="Stadt Cottbus/Chóśebuz")
    alpha = ProjectFactory(
        body=body, title="Alpha Klinikverbund", sponsor=sponsor, lead_workshop=workshop2,
        state=ProjectState.APPROVED, municipality=cottbus, district=cottbus.district,
        confirmed_on=dt.date(2024, 3, 6), approved_on=dt.date(2024, 7, 15),
        total_cost=Decimal(716000), eligible_cost=Decimal(716000), grant=Decimal(644400), public_finances=True,
    )  # fmt: skip
    alpha.focus_areas.add(health)
    beta = ProjectFactory(
        body=body, title="Beta Lernort", lead_workshop=workshop4, instrument=FundingInstrument.STARK,
        state=ProjectState.QUALIFICATION, municipality=spremberg, district=spremberg.district,
    )  # fmt: skip
    gamma = ProjectFactory(
        body=body, title="Gamma Radweg", lead_workshop=workshop4, state=ProjectState.CONFIRMED,
        district=elbe_elster, confirmed_on=dt.date(2024, 2, 1),
    )  # fmt: skip
    gamma.other_workshops.add(workshop2)
    gamma.focus_areas.add(heat)
    # Figures are known, but the project is not approved: the money stays hidden from the public.
    epsilon = ProjectFactory(
        body=body, title="Epsilon Wärmenetz", lead_workshop=workshop2, instrument=FundingInstrument.JTF,
        state=ProjectState.RECOMMENDED, municipality=cottbus, district=cottbus.district,
        total_cost=Decimal(2_000_000), eligible_cost=Decimal(1_800_000), grant=Decimal(1_234_567),
    )  # fmt: skip
    delta = ProjectFactory(body=body, title="Delta Vertraulich", lead_workshop=workshop4, public=False)
    return SimpleNamespace(
        alpha=alpha, beta=beta, gamma=gamma, delta=delta, epsilon=epsilon, health=health, heat=heat, body=body
    )


def titles(response: Any) -> list[str]:
    assert response.status_code == 200
    return [project.title for project, _show_finances in response.context["rows"]]


def alert_text(html: str) -> str:
    match = re.search(r'<div class="kern-alert kern-alert--warning" role="alert".*?</ul>', html, re.S)
    return visible_text(match.group(0)) if match else ""


# --- filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Alpha Klinikverbund", "Beta Lernort", "Epsilon Wärmenetz", "Gamma Radweg"]),
        # A workshop's projects: those it leads and those it heard.
        ("werkstatt=2", ["Alpha Klinikverbund", "Epsilon Wärmenetz", "Gamma Radweg"]),
        ("werkstatt=4", ["Beta Lernort", "Gamma Radweg"]),
        ("stand=confirmed", ["Gamma Radweg"]),
        ("stand=approved", ["Alpha Klinikverbund"]),
        ("foerderung=stark", ["Beta Lernort"]),
        ("foerderung=jtf", ["Epsilon Wärmenetz"]),
        ("kreis=12052", ["Alpha Klinikverbund", "Epsilon Wärmenetz"]),
        ("kreis=12062", ["Gamma Radweg"]),
        (f"gemeinde={SPREMBERG}", ["Beta Lernort"]),
        ("werkstatt=4&stand=qualification", ["Beta Lernort"]),
        ("werkstatt=2&kreis=12052&foerderung=invkg_arm1", ["Alpha Klinikverbund"]),
        ("stand=completed", []),
    ],
)
def test_each_filter_narrows_the_register(portfolio, client, query, expected):
    response = client.get(f"{URL}?{query}")
    assert titles(response) == expected
    text = visible_text(response.content.decode())
    assert "Nicht alle Angaben konnten berücksichtigt werden" not in text
    heading = {0: "0 Projekte", 1: "1 Projekt"}.get(len(expected), f"{len(expected)} Projekte")
    assert f" {heading} " in text


def test_focus_area_filter(portfolio, client):
    assert titles(client.get(f"{URL}?schwerpunkt={portfolio.health.pk}")) == ["Alpha Klinikverbund"]
    assert titles(client.get(f"{URL}?schwerpunkt={portfolio.heat.pk}")) == ["Gamma Radweg"]


def test_empty_result_says_so_and_offers_to_reset(portfolio, client):
    text = visible_text(client.get(f"{URL}?stand=completed").content.decode())
    assert "0 Projekte" in text
    assert "Zu diesen Filtern gibt es keine Projekte. Alle Projekte anzeigen" in text


def test_counts_per_state_follow_the_filter(portfolio, client):
    text = visible_text(client.get(f"{URL}?werkstatt=2").content.decode())
    assert (
        "3 Projekte Davon nach Stand: zur Weiterleitung empfohlen: 1 durch die IMAG bestätigt: 1 "
        "bewilligt (Zuwendungsbescheid): 1"
    ) in text
    html = client.get(f"{URL}?werkstatt=4").content.decode()
    assert "in Qualifizierung</a>: 1" in html
    assert "bewilligt (Zuwendungsbescheid)</a>" not in html
    # A state's count links to the register narrowed to that state, keeping the other filters.
    assert 'href="/projekte/?werkstatt=4&amp;stand=qualification"' in html


def test_form_shows_the_filters_in_effect_with_labels(portfolio, client):
    html = client.get(f"{URL}?werkstatt=4&kreis=12062&sortierung=-titel").content.decode()
    for name, label in [
        ("werkstatt", "Werkstatt"),
        ("stand", "Stand"),
        ("foerderung", "Förderinstrument"),
        ("kreis", "Landkreis / kreisfreie Stadt"),
        ("gemeinde", "Gemeinde"),
        ("schwerpunkt", "Schwerpunkt"),
    ]:
        assert f'<label class="kern-label" for="id_{name}">{label}</label>' in html
        assert f'<select name="{name}" class="kern-form-input__select" id="id_{name}">' in html
    assert '<option value="4" selected>' in html
    assert '<option value="12062" selected>Elbe-Elster</option>' in html
    # The sort survives applying other filters.
    assert '<input type="hidden" name="sortierung" value="-titel" id="id_sortierung">' in html
    # Only places with projects are offered.
    assert f'<option value="{SPREMBERG}">Spremberg/Grodk</option>' in html
    assert "Forst (Lausitz)" not in html


def test_places_and_sponsors_mark_lower_sorbian(portfolio, client):
    html = client.get(URL).content.decode()
    assert 'Stadt Cottbus/<span lang="dsb">Chóśebuz</span>' in html
    assert (
        'Spremberg/<span lang="dsb">Grodk</span> (<a class="kern-link" href="/landkreise/12071/">Spree-Neiße</a>)'
        in html
    )


# --- sorting and pages -----------------------------------------------------------------------


def test_sorting_by_each_column(portfolio, client):
    assert titles(client.get(f"{URL}?sortierung=-titel")) == [
        "Gamma Radweg", "Epsilon Wärmenetz", "Beta Lernort", "Alpha Klinikverbund",
    ]  # fmt: skip
    # Along the pipeline, not alphabetically by the state's name.
    assert titles(client.get(f"{URL}?sortierung=stand")) == [
        "Beta Lernort", "Epsilon Wärmenetz", "Gamma Radweg", "Alpha Klinikverbund",
    ]  # fmt: skip
    assert titles(client.get(f"{URL}?sortierung=-stand"))[0] == "Alpha Klinikverbund"
    assert titles(client.get(f"{URL}?sortierung=werkstatt"))[:2] == ["Alpha Klinikverbund", "Epsilon Wärmenetz"]
    confirmed = titles(client.get(f"{URL}?sortierung=bestaetigt&stand=confirmed"))
    assert confirmed == ["Gamma Radweg"]
    by_confirmation = titles(client.get(f"{URL}?sortierung=-bestaetigt"))
    assert by_confirmation.index("Alpha Klinikverbund") < by_confirmation.index("Gamma Radweg")


def test_sort_headers_say_the_direction(portfolio, client):
    html = client.get(f"{URL}?werkstatt=2&sortierung=-stand").content.decode()
    headers = re.findall(r"<th scope=\"col\"[^>]*>.*?</th>", html)
    by_label = {visible_text(h).split(" (")[0]: h for h in headers}
    assert 'aria-sort="descending"' in by_label["Stand"]
    assert "(aufsteigend sortieren)" in by_label["Stand"]
    assert 'href="/projekte/?werkstatt=2&amp;sortierung=stand"' in by_label["Stand"]
    assert "aria-sort" not in by_label["Titel"]
    # Sort links keep the filters; sorting by title is the default and needs no parameter.
    assert 'href="/projekte/?werkstatt=2"' in by_label["Titel"]
    assert 'href="/projekte/?werkstatt=2&amp;sortierung=bestaetigt"' in by_label["IMAG-bestätigt am"]
    default = client.get(URL).content.decode()
    assert re.search(r'<th scope="col" class="kern-table__header" aria-sort="ascending"><a [^>]*>Titel', default)


def test_pages_keep_filters_and_sort(workshop2, workshop4, client):
    body = workshop4.body
    for n in range(30):
        ProjectFactory(body=body, title=f"Werkstatt-4-Projekt {n:02d}", lead_workshop=workshop4)
    for n in range(5):
        ProjectFactory(body=body, title=f"Werkstatt-2-Projekt {n:02d}", lead_workshop=workshop2)
    first = client.get(f"{URL}?werkstatt=4&sortierung=-titel")
    assert len(titles(first)) == 25
    assert titles(first)[0] == "Werkstatt-4-Projekt 29"
    html = first.content.decode()
    assert "30 Projekte" in visible_text(html)
    assert 'href="/projekte/?werkstatt=4&amp;sortierung=-titel&amp;seite=2" rel="next"' in html
    second = client.get(f"{URL}?werkstatt=4&sortierung=-titel&seite=2")
    assert titles(second) == [f"Werkstatt-4-Projekt {n:02d}" for n in range(4, -1, -1)]
    html = second.content.decode()
    assert 'href="/projekte/?werkstatt=4&amp;sortierung=-titel" rel="prev"' in html
    assert 'aria-current="page"><span class="kern-sr-only">Seite </span>2</a>' in html
    assert "Projektregister – Seite 2" in html


@pytest.mark.parametrize(
    ("page", "shown"),
    [("0", 1), ("abc", 1), ("-1", 1), ("99", 2), ("9" * 5000, 1), ("²", 1)],
)
def test_a_page_that_does_not_exist_shows_a_german_message(workshop4, client, page, shown):
    for _n in range(30):
        ProjectFactory(body=workshop4.body, lead_workshop=workshop4)
    response = client.get(URL, {"seite": page})
    assert response.context["page"].number == shown
    message = alert_text(response.content.decode())
    assert f"gibt es nicht; gezeigt wird Seite {shown}." in message


# --- bad input -------------------------------------------------------------------------------

LONG = "x" * 5000


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"stand": "unbekannt"}, "Den Wert „unbekannt“ gibt es für „Stand“ nicht; er wurde ignoriert."),
        ({"werkstatt": "abc"}, "Der Filter „Werkstatt“ erwartet eine Nummer; er wurde ignoriert."),
        ({"werkstatt": "²"}, "Der Filter „Werkstatt“ erwartet eine Nummer; er wurde ignoriert."),
        ({"werkstatt": "1" * 5000}, "Der Filter „Werkstatt“ erwartet eine Nummer; er wurde ignoriert."),
        ({"kreis": "1"}, "„Landkreis“ erwartet einen amtlichen Schlüssel mit 5 Ziffern; der Filter wurde ignoriert."),
        ({"gemeinde": "12052"}, "„Gemeinde“ erwartet einen amtlichen Schlüssel mit 8 Ziffern; der Filter wurde"),
        ({"sortierung": "DROP"}, "Die Sortierung „DROP“ gibt es nicht; sortiert wird nach Titel."),
        ({"sortierung": "title; DROP TABLE projects_project"}, "gibt es nicht; sortiert wird nach Titel."),
        ({"foerderung": "<script>"}, "Den Wert „<script>“ gibt es für „Förderinstrument“ nicht; er wurde ignoriert."),
        ({"schwerpunkt": "-3"}, "Der Filter „Schwerpunkt“ erwartet eine Nummer; er wurde ignoriert."),
        ({"stand": LONG}, "gibt es für „Stand“ nicht; er wurde ignoriert."),
        ({"kreis": LONG}, "„Landkreis“ erwartet einen amtlichen Schlüssel"),
        ({"gemeinde": LONG}, "„Gemeinde“ erwartet einen amtlichen Schlüssel"),
        ({"schwerpunkt": LONG}, "Der Filter „Schwerpunkt“ erwartet eine Nummer"),
        ({"foerderung": LONG}, "gibt es für „Förderinstrument“ nicht"),
        ({"sortierung": LONG}, "sortiert wird nach Titel."),
    ],
)
def test_bad_filter_values_give_a_german_message_and_change_nothing(portfolio, client, row_counts, query, message):
    before = row_counts()
    response = client.get(URL, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in alert_text(html)
    # The bad filter is ignored: the register shows all it would show without it.
    assert titles(response) == ["Alpha Klinikverbund", "Beta Lernort", "Epsilon Wärmenetz", "Gamma Radweg"]
    # Long values are not echoed back whole, and markup is escaped.
    assert LONG not in html
    assert "<script>" not in html
    assert row_counts() == before


def test_several_bad_values_are_all_reported_and_good_ones_still_apply(portfolio, client):
    response = client.get(URL, {"werkstatt": "abc", "kreis": "1", "stand": "confirmed", "sortierung": "DROP"})
    assert titles(response) == ["Gamma Radweg"]
    message = alert_text(response.content.decode())
    assert message.count("ignoriert") == 2
    assert "sortiert wird nach Titel" in message


def test_unknown_but_well_formed_values_give_an_empty_result_not_an_error(portfolio, client):
    for query in ({"werkstatt": "999999999"}, {"kreis": "99999"}, {"schwerpunkt": "999999"}):
        response = client.get(URL, query)
        assert titles(response) == []
        assert "Zu diesen Filtern gibt es keine Projekte." in visible_text(response.content.decode())


# --- who sees what ---------------------------------------------------------------------------


def test_non_public_projects_are_hidden_from_the_public_and_other_workshops(portfolio, client, delegate_w2):
    assert "Delta Vertraulich" not in titles(client.get(URL))
    assert "Delta Vertraulich" not in titles(client.get(URL, {"werkstatt": "4"}))
    client.force_login(delegate_w2)
    assert "Delta Vertraulich" not in titles(client.get(URL))


@pytest.mark.parametrize("persona", ["office_user", "bank_user", "chancellery_user", "speaker_w4"])
def test_non_public_projects_are_visible_to_those_who_may_see_them(portfolio, client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert "Delta Vertraulich" in titles(response)
    assert "Delta Vertraulich nicht öffentlich" in visible_text(response.content.decode())


def _grant_cells(response: Any) -> dict[str, str]:
    html = response.content.decode()
    rows = re.findall(r"<tr class=\"kern-table__row\">\s*<th scope=\"row\".*?</tr>", html, re.S)
    cells = {}
    for row in rows:
        parts = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        cells[visible_text(parts[0])] = visible_text(parts[-1])
    return cells


def test_money_only_after_approval_and_publication(portfolio, client, office_user):
    grants = _grant_cells(client.get(URL))
    assert grants["Alpha Klinikverbund"] == "644.400 €"
    # Figures recorded before the approval are not shown, nor is there a hint that they exist.
    assert grants["Epsilon Wärmenetz"] == "–keine veröffentlichte Angabe"
    assert "1.234.567" not in client.get(URL).content.decode()
    # Approved, but the figures are not released.
    portfolio.alpha.public_finances = False
    portfolio.alpha.save()
    assert "644.400" not in client.get(URL).content.decode()
    # The office reads them all.
    client.force_login(office_user)
    grants = _grant_cells(client.get(URL))
    assert grants["Alpha Klinikverbund"] == "644.400 €"
    assert grants["Epsilon Wärmenetz"] == "1.234.567 €"


# --- query count -----------------------------------------------------------------------------


def _grow_portfolio(workshop2: Any, workshop4: Any, count: int) -> None:
    """``count`` projects spread over workshops, states, places, focus areas, other workshops and money."""
    geo_reference_data_load()
    places = list(Municipality.objects.select_related("district").order_by("ags")[:7])
    areas = [FocusArea.objects.get_or_create(workshop=workshop4, title=f"Schwerpunkt {n}")[0] for n in range(3)]
    states = [ProjectState.QUALIFICATION, ProjectState.CONFIRMED, ProjectState.APPROVED, ProjectState.PRESENTED]
    extra_workshop = WorkshopFactory(body=workshop4.body)
    for n in range(count):
        place = places[n % len(places)]
        approved = states[n % 4] == ProjectState.APPROVED
        project = ProjectFactory(
            body=workshop4.body, lead_workshop=workshop4 if n % 2 else workshop2, state=states[n % 4],
            municipality=place, district=place.district, confirmed_on=dt.date(2024, 1, 1) + dt.timedelta(days=n),
            total_cost=Decimal(500000), eligible_cost=Decimal(400000), grant=Decimal(300000),
            public_finances=approved, approved_on=dt.date(2024, 6, 1) if approved else None, public=n % 7 != 3,
        )  # fmt: skip
        project.focus_areas.add(areas[n % 3])
        project.other_workshops.add(extra_workshop)


@pytest.mark.parametrize("persona", [None, "office_user", "speaker_w4"])
def test_register_query_count_does_not_depend_on_the_number_of_projects(workshop2, workshop4, request, persona):
    client = Client()
    if persona:
        client.force_login(request.getfixturevalue(persona))
    urls = [URL, f"{URL}?werkstatt=4&stand=confirmed&sortierung=-bestaetigt", f"{URL}?kreis=12061&seite=2"]
    _grow_portfolio(workshop2, workshop4, 5)
    small = [count_queries(client, url) for url in urls]
    _grow_portfolio(workshop2, workshop4, 55)
    large = [count_queries(client, url) for url in urls]
    assert large == small
    assert max(small) <= 10, small


def test_the_csv_link_carries_the_filters_of_the_page(portfolio, client):
    page = client.get(f"{URL}?werkstatt=2&stand=approved").content.decode()
    assert 'href="/projekte/export.csv?werkstatt=2&amp;stand=approved" download' in page
