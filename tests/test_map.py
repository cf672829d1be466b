"""The project map through the test client: the GeoJSON of the markers (the register's filters and visibility,
placed by own point or municipality), the shapes, the map page, the district pages, and fixed query counts."""

import json
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.env import map_tile_url, tile_origins
from tests.map_portfolio import COTTBUS, OWN_POINT, SPREMBERG, grow_map, map_portfolio
from tests.pages import count_queries, visible_text
from werkstatt.geo.source import ATTRIBUTION, ATTRIBUTION_URL, DATASET, DATASET_URL, LICENCE_NAME, LICENCE_URL

pytestmark = pytest.mark.django_db

MAP = reverse("portal:map")
DATA = reverse("portal:map-data")
REGISTER = reverse("portal:project-list")


@pytest.fixture
def portfolio(workshop2: Any, workshop4: Any) -> SimpleNamespace:
    return map_portfolio(workshop2, workshop4)


def geojson(client: Client, query: str = "") -> dict[str, Any]:
    response = client.get(f"{DATA}?{query}" if query else DATA)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data: dict[str, Any] = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    return data


def feature_titles(data: dict[str, Any]) -> list[str]:
    return [feature["properties"]["title"] for feature in data["features"]]


def unlocated_titles(data: dict[str, Any]) -> list[str]:
    return [item["title"] for item in data["unlocated"]]


def register_titles(client: Client, query: str) -> list[str]:
    response = client.get(f"{REGISTER}?{query}")
    return [project.title for project, _show in response.context["rows"]]


def list_ids(html: str, marker: str) -> list[int]:
    """The project ids of the list beside the map (``data-map-list``) or of its "ohne Ortsangabe" part."""
    match = re.search(rf'<ul [^>]*{marker}="karte">(.*?)</ul>', html, re.S)
    return [int(pk) for pk in re.findall(r'data-project-id="(\d+)"', match.group(1))] if match else []


# --- the GeoJSON of the markers ----------------------------------------------------------------


def test_anonymous_gets_the_public_projects_placed_by_own_point_or_municipality(portfolio, client):
    data = geojson(client)
    assert feature_titles(data) == ["Alpha Klinikverbund", "Beta Lernort", "Epsilon Wärmenetz", "Zeta Dorfladen"]
    assert unlocated_titles(data) == ["Eta Ideenwerkstatt", "Gamma Radweg"]
    assert data["messages"] == []
    assert "Delta Vertraulich" not in json.dumps(data, ensure_ascii=False)
    by_title = {feature["properties"]["title"]: feature for feature in data["features"]}
    # Alpha has its own point; GeoJSON writes longitude first.
    alpha = by_title["Alpha Klinikverbund"]
    assert alpha["geometry"] == {"type": "Point", "coordinates": [float(OWN_POINT[1]), float(OWN_POINT[0])]}
    assert alpha["properties"]["located_by"] == "project"
    # Beta and Epsilon have none: they stand at their municipality's point.
    for title, place in [("Beta Lernort", portfolio.spremberg), ("Epsilon Wärmenetz", portfolio.cottbus)]:
        feature = by_title[title]
        assert feature["geometry"]["coordinates"] == [float(place.longitude), float(place.latitude)]
        assert feature["properties"]["located_by"] == "municipality"
    assert alpha["properties"] | {"id": 0} == {
        "id": 0,
        "title": "Alpha Klinikverbund",
        "url": reverse("portal:project-detail", args=[portfolio.alpha.pk]),
        "state": "approved",
        "state_label": "bewilligt (Zuwendungsbescheid)",
        "phase": "funded",
        "sign": "4",
        "place": "Cottbus/Chóśebuz",
        "located_by": "project",
    }
    assert by_title["Beta Lernort"]["properties"]["place"] == "Spremberg/Grodk (Spree-Neiße)"


@pytest.mark.parametrize(
    ("query", "located", "unlocated"),
    [
        ("werkstatt=2", ["Alpha Klinikverbund", "Epsilon Wärmenetz"], ["Eta Ideenwerkstatt", "Gamma Radweg"]),
        ("werkstatt=4", ["Beta Lernort", "Zeta Dorfladen"], ["Gamma Radweg"]),
        ("stand=approved", ["Alpha Klinikverbund"], []),
        ("stand=deferred", ["Zeta Dorfladen"], []),
        ("foerderung=stark", ["Beta Lernort"], []),
        ("kreis=12052", ["Alpha Klinikverbund", "Epsilon Wärmenetz"], []),
        ("kreis=12062", [], ["Gamma Radweg"]),
        (f"gemeinde={SPREMBERG}", ["Beta Lernort"], []),
        (f"gemeinde={COTTBUS}&foerderung=jtf", ["Epsilon Wärmenetz"], []),
        ("stand=completed", [], []),
    ],
)
def test_each_filter_gives_the_registers_projects(portfolio, client, query, located, unlocated):
    data = geojson(client, query)
    assert feature_titles(data) == located
    assert unlocated_titles(data) == unlocated
    assert sorted(located + unlocated) == sorted(register_titles(client, query))


def test_focus_area_filter(portfolio, client):
    assert feature_titles(geojson(client, f"schwerpunkt={portfolio.health.pk}")) == ["Alpha Klinikverbund"]


@pytest.mark.parametrize(
    ("persona", "sees_delta"),
    [(None, False), ("office_user", True), ("speaker_w4", True), ("delegate_w2", False)],
)
def test_non_public_projects_only_for_those_who_may_see_them(portfolio, request, persona, sees_delta):
    client = Client()
    if persona:
        client.force_login(request.getfixturevalue(persona))
    data = geojson(client)
    assert ("Delta Vertraulich" in feature_titles(data)) is sees_delta
    # The same rule as the register, whoever asks.
    assert sorted(feature_titles(data) + unlocated_titles(data)) == sorted(register_titles(client, ""))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("werkstatt=vier", "Der Filter „Werkstatt“ erwartet eine Nummer; er wurde ignoriert."),
        ("stand=fertig", "Den Wert „fertig“ gibt es für „Stand“ nicht; er wurde ignoriert."),
        ("foerderung=%00", "gibt es für „Förderinstrument“ nicht"),
        ("kreis=1", "„Landkreis“ erwartet einen amtlichen Schlüssel mit 5 Ziffern; der Filter wurde ignoriert."),
        ("gemeinde=" + "9" * 300, "„Gemeinde“ erwartet einen amtlichen Schlüssel mit 8 Ziffern"),
        ("schwerpunkt=-1", "„Schwerpunkt“"),
    ],
)
def test_bad_filters_give_the_registers_german_messages_and_are_ignored(portfolio, client, query, message):
    data = geojson(client, query)
    register = client.get(f"{REGISTER}?{query}")
    assert data["messages"] == register.context["errors"]
    assert len(data["messages"]) == 1 and message in data["messages"][0], data["messages"]
    # The bad value is ignored, the rest still applies: here, all public projects.
    assert len(data["features"]) == 4
    page = client.get(f"{MAP}?{query}")
    assert page.status_code == 200
    assert "Nicht alle Angaben konnten berücksichtigt werden" in visible_text(page.content.decode())
    assert data["messages"][0] in visible_text(page.content.decode())


def test_the_data_is_not_cached_by_proxies_and_refuses_writes(portfolio, client):
    response = client.get(DATA)
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert client.post(DATA).status_code == 405


# --- the shapes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "count"), [("portal:map-districts", 5), ("portal:map-municipalities", 125)])
def test_shapes_come_from_the_projects_geodata_with_caching_headers(db, client, name, count):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(name))
    assert len(ctx.captured_queries) == 0
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response["Cache-Control"] == "public, max-age=86400"
    data = json.loads(response.content)
    assert len(data["features"]) == count
    assert all(feature["geometry"]["type"] in ("Polygon", "MultiPolygon") for feature in data["features"])
    again = client.get(reverse(name), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


# --- the pages ------------------------------------------------------------------------------------


def test_map_page_lists_the_same_projects_as_the_markers(portfolio, client):
    html = client.get(MAP).content.decode()
    data = geojson(client)
    assert list_ids(html, "data-map-list") == [feature["id"] for feature in data["features"]]
    assert list_ids(html, "data-map-unlocated") == [item["id"] for item in data["unlocated"]]
    text = visible_text(html)
    assert "Karte der Projekte" in text
    assert "6 Projekte" in text
    assert "Projekte auf der Karte (4)" in text
    assert "Ohne Ortsangabe (2)" in text
    assert (
        "Projekte auf der Karte (4) Alpha Klinikverbund 4 Stand: bewilligt (Zuwendungsbescheid) · "
        "Ort: Cottbus/Chóśebuz "
        "Beta Lernort 1 Stand: in Qualifizierung · Ort: Spremberg/Grodk (Spree-Neiße) "
        "(auf der Karte am Mittelpunkt der Gemeinde)"
    ) in text
    assert (
        "Ohne Ortsangabe (2) Diese Projekte haben keinen Punkt und keine Gemeinde; sie fehlen auf der Karte. " in text
    )
    assert (
        "Eta Ideenwerkstatt Stand: Projektidee Gamma Radweg Stand: durch die IMAG bestätigt · Ort: Elbe-Elster" in text
    )
    assert 'Spremberg/<span lang="dsb">Grodk</span>' in html
    # The map is named, says that the list holds the same, and gets its markers with the page's filters.
    assert 'role="region"' in html and 'aria-label="Karte der Projekte"' in html
    assert 'aria-describedby="karte-hinweis"' in html
    assert "Die Liste „Projekte auf der Karte“ enthält dieselben Projekte als Text." in text
    assert f'data-points-url="{DATA}"' in html
    filtered = client.get(f"{MAP}?werkstatt=4&stand=qualification").content.decode()
    assert f'data-points-url="{DATA}?werkstatt=4&amp;stand=qualification"' in filtered
    assert list_ids(filtered, "data-map-list") == [portfolio.beta.pk]
    # The legend names every phase with its sign and states.
    assert "1: Idee und Qualifizierung (Projektidee, Projektsteckbrief eingereicht, in Qualifizierung)" in text
    assert "5: Zurückgestellt, zurückgezogen, abgelehnt" in text


def test_map_page_names_the_geodata_source_as_its_licence_asks(db, client):
    html = client.get(MAP).content.decode()
    assert f'<a class="kern-link kern-link--small" href="{ATTRIBUTION_URL}">{ATTRIBUTION}</a>' in html
    assert f'href="{LICENCE_URL}">{LICENCE_NAME}</a>' in html
    assert f'href="{DATASET_URL}">{DATASET}</a>' in html
    # The same note goes into the map's own attribution line.
    assert 'data-attribution="&lt;a href=&quot;https://www.bkg.bund.de&quot;&gt;© GeoBasis-DE / BKG' in html


def test_map_page_is_in_the_navigation_and_uses_no_inline_code_or_other_servers(db, client):
    response = client.get(MAP)
    html = response.content.decode()
    assert f'<a class="kern-link" href="{MAP}" aria-current="page">Karte</a>' in html
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    assert re.findall(r'(?:src|href)="(https?://[^"]+)"', html.split("<main", 1)[0]) == []
    assert 'src="/static/portal/map.js" defer' in html
    assert "img-src 'self' data:;" in response.headers["Content-Security-Policy"]
    assert 'data-tile-url=""' in html


def test_tiles_come_only_from_configuration(db, client, settings):
    settings.MAP_TILE_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "Karte: Beispiel-Kachelserver"
    html = client.get(MAP).content.decode()
    assert 'data-tile-url="https://{s}.tiles.example.org/{z}/{x}/{y}.png"' in html
    assert "Hintergrundkarte: Karte: Beispiel-Kachelserver" in visible_text(html)
    assert tile_origins(settings.MAP_TILE_URL) == ["https://*.tiles.example.org"]
    assert map_tile_url("") == "" and tile_origins("") == []
    with pytest.raises(ImproperlyConfigured):
        map_tile_url("tiles.example.org/{z}/{x}/{y}.png")


def test_workshop_page_maps_its_projects_with_the_list(portfolio, client):
    html = client.get(reverse("portal:workshop-detail", args=[4])).content.decode()
    data = geojson(client, "werkstatt=4")
    assert f'data-points-url="{DATA}?werkstatt=4"' in html
    assert list_ids(html, "data-map-list") == [feature["id"] for feature in data["features"]]
    assert list_ids(html, "data-map-unlocated") == [portfolio.gamma.pk]
    assert f'href="{MAP}?werkstatt=4">Zur großen Karte mit Filtern</a>' in html
    text = visible_text(html)
    assert "Legende: Farben und Ziffern der Markierungen 1 1: Idee und Qualifizierung 2 2: In der Werkstatt" in text
    assert "Landkreis- und Gemeindegrenzen: © GeoBasis-DE / BKG (2021), Daten verändert" in text


def test_district_list_links_every_district_with_counts(portfolio, client):
    text = visible_text(client.get(reverse("portal:district-list")).content.decode())
    assert "Cottbus/Chóśebuz Kreisfreie Stadt 12052 1 2" in text
    assert "Elbe-Elster Landkreis 12062 33 1" in text
    assert "Spree-Neiße Landkreis 12071 29 1" in text
    html = client.get(reverse("portal:district-list")).content.decode()
    assert '<a class="kern-link" href="/landkreise/12052/">Cottbus/<span lang="dsb">Chóśebuz</span></a>' in html


def test_district_page_shows_name_places_projects_map_and_feed(portfolio, client):
    response = client.get(reverse("portal:district-detail", args=["12052"]))
    html = response.content.decode()
    text = visible_text(html)
    assert '<h1 class="kern-heading kern-heading-x-large">Cottbus/<span lang="dsb">Chóśebuz</span></h1>' in html
    assert "Kreisfreie Stadt · Kreisschlüssel 12052" in text
    assert "2 Projekte" in text
    assert f'data-points-url="{DATA}?kreis=12052"' in html
    assert 'data-focus-district="12052"' in html
    assert list_ids(html, "data-map-list") == [portfolio.alpha.pk, portfolio.epsilon.pk]
    assert "Cottbus/Chóśebuz (Stadt, 2 Projekte)" in text
    feed = reverse("exports:milestones-feed-district", args=["12052"])
    assert f'<a class="kern-link" href="{feed}" type="application/atom+xml">' in html
    assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in html
    # Elbe-Elster: 33 places, a project without a point listed as "ohne Ortsangabe".
    text = visible_text(client.get(reverse("portal:district-detail", args=["12062"])).content.decode())
    assert "33 Gemeinden und Städte" in text
    assert (
        "Ohne Ortsangabe (1) Diese Projekte haben keinen Punkt und keine Gemeinde; sie fehlen auf der Karte. Gamma"
        in text
    )


@pytest.mark.parametrize("ags", ["99999", "1205", "abcde", "120520"])
def test_unknown_district_answers_404_in_german(db, client, ags):
    response = client.get(f"/landkreise/{ags}/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_project_page_and_register_link_the_district(portfolio, client):
    link = '(<a class="kern-link" href="/landkreise/12071/">Spree-Neiße</a>)'
    assert link in client.get(reverse("portal:project-detail", args=[portfolio.beta.pk])).content.decode()
    assert link in client.get(REGISTER).content.decode()
    gamma = client.get(reverse("portal:project-detail", args=[portfolio.gamma.pk])).content.decode()
    assert '<a class="kern-link" href="/landkreise/12062/">Elbe-Elster</a>' in gamma


# --- query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [None, "office_user", "speaker_w4"])
def test_query_counts_do_not_grow_with_the_data(workshop2, workshop4, request, persona):
    client = Client()
    if persona:
        client.force_login(request.getfixturevalue(persona))
    map_portfolio(workshop2, workshop4)
    urls = {
        "data": DATA,
        "data-filtered": f"{DATA}?werkstatt=4&kreis=12061&stand=confirmed",
        "map": MAP,
        "map-filtered": f"{MAP}?werkstatt=2&gemeinde={COTTBUS}",
        "district-list": reverse("portal:district-list"),
        "district": reverse("portal:district-detail", args=["12061"]),
        "workshop": reverse("portal:workshop-detail", args=[4]),
    }
    small = {name: count_queries(client, url) for name, url in urls.items()}
    grow_map(workshop2, workshop4, 60)
    large = {name: count_queries(client, url) for name, url in urls.items()}
    assert large == small
    base = small["data"]  # a login costs the session, the user and the workshop roles
    assert base <= 4, small
    assert small["data-filtered"] == base
    assert small["district-list"] == base + 1
    assert small["district"] == base + 2
    assert small["map"] == small["map-filtered"] == base + 4
    # The grown data really is on the map.
    assert len(geojson(client)["features"]) > 40


def test_grown_map_still_lists_exactly_the_markers(workshop2, workshop4, client):
    map_portfolio(workshop2, workshop4)
    grow_map(workshop2, workshop4, 30)
    html = client.get(MAP).content.decode()
    data = geojson(client)
    assert list_ids(html, "data-map-list") == [feature["id"] for feature in data["features"]]
    assert list_ids(html, "data-map-unlocated") == [item["id"] for item in data["unlocated"]]
    assert all(isinstance(Decimal(str(c)), Decimal) for f in data["features"] for c in f["geometry"]["coordinates"])
