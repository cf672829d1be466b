"""The project maps in a real browser: shapes and markers drawn, markers and list hold the same projects,
filters change both, popups link to the project, keyboard users pass the map, axe finds nothing, and no
page asks another server for anything."""

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.map_portfolio import grow_map, map_portfolio

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portfolio(workshop2: Any, workshop4: Any) -> SimpleNamespace:
    return map_portfolio(workshop2, workshop4)


def open_map(page: Page, url: str) -> list[str]:
    """Open a page with a map, wait until the script has drawn it; returns every URL the page requested."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    expect(page.locator("#karte")).to_have_attribute("data-state", "ready")
    return requested


def marker_count(page: Page) -> int:
    """Projects on the map: single markers plus the number each cluster stands for."""
    singles = page.locator("#karte .leaflet-marker-icon.map-marker").count()
    clusters = page.locator("#karte .marker-cluster .map-cluster__count").all_inner_texts()
    return singles + sum(int(number) for number in clusters)


def list_ids(page: Page, attribute: str = "data-map-list") -> list[int]:
    items = page.locator(f"[{attribute}='karte'] > li")
    return [int(pk) for pk in items.evaluate_all("items => items.map(item => item.dataset.projectId)")]


def marker_ids(page: Page, points_url: str) -> list[int]:
    """The ids of the markers the page fetched (same origin, the page's session)."""
    data = page.request.get(points_url).json()
    return [feature["id"] for feature in data["features"]]


def test_map_draws_shapes_and_one_marker_per_located_project(portfolio, live_server, page: Page, axe):
    requested = open_map(page, live_server.url + reverse("portal:map"))
    # The shapes of the five districts and 125 municipalities, as SVG paths (no tiles needed).
    expect(page.locator("#karte svg path.map-shape--district")).to_have_count(5)
    expect(page.locator("#karte svg path.map-shape--municipality")).to_have_count(125)
    expect(page.locator("#karte .leaflet-tile")).to_have_count(0)
    # Four public projects have a place; the list beside the map holds exactly them.
    assert marker_count(page) == 4
    points_url = page.locator("#karte").get_attribute("data-points-url")
    assert points_url is not None
    assert list_ids(page) == marker_ids(page, live_server.url + points_url) == [
        portfolio.alpha.pk, portfolio.beta.pk, portfolio.epsilon.pk, portfolio.zeta.pk,
    ]  # fmt: skip
    assert list_ids(page, "data-map-unlocated") == [portfolio.eta.pk, portfolio.gamma.pk]
    expect(page.locator("#karte")).to_have_attribute("data-markers", "4")
    # The geodata's source note is on the map and below it.
    expect(page.locator("#karte .leaflet-control-attribution")).to_contain_text(
        "© GeoBasis-DE / BKG (2021), Daten verändert"
    )
    expect(
        page.locator("#karte .leaflet-control-attribution a", has_text="© GeoBasis-DE / BKG (2021)")
    ).to_have_attribute("href", "https://www.bkg.bund.de")
    expect(page.locator(".map-attribution").first).to_contain_text("Datenlizenz Deutschland – Namensnennung")
    # Nothing from other servers.
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
    axe(page)


def test_markers_cluster_and_a_popup_links_to_the_project(portfolio, live_server, page: Page, axe):
    open_map(page, live_server.url + reverse("portal:map") + "?kreis=12052")
    # Alpha (own point) and Epsilon (Cottbus' point) lie close together: one cluster of two, or two markers.
    assert marker_count(page) == 2
    cluster = page.locator("#karte .marker-cluster")
    if cluster.count():
        expect(cluster.locator(".map-cluster__count")).to_have_text("2")
        cluster.first.click()
        expect(page.locator("#karte .leaflet-marker-icon.map-marker")).to_have_count(2)
    marker = page.locator(
        "#karte .leaflet-marker-icon.map-marker", has=page.locator(f"[data-project-id='{portfolio.alpha.pk}']")
    )
    expect(marker).to_have_attribute("title", "Alpha Klinikverbund – Stand: bewilligt (Zuwendungsbescheid)")
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator("#karte .leaflet-popup")
    expect(popup).to_contain_text("Stand: bewilligt (Zuwendungsbescheid)")
    expect(popup).to_contain_text("Ort: Cottbus/Chóśebuz")
    expect(popup.get_by_role("button", name="Schließen")).to_be_visible()
    link = popup.get_by_role("link", name="Alpha Klinikverbund")
    expect(link).to_have_attribute("href", reverse("portal:project-detail", args=[portfolio.alpha.pk]))
    axe(page)
    link.click()
    expect(page.locator("h1")).to_have_text("Alpha Klinikverbund")


def test_filters_change_markers_and_list_alike(portfolio, live_server, page: Page):
    open_map(page, live_server.url + reverse("portal:map"))
    page.get_by_label("Landkreis / kreisfreie Stadt").select_option("12071")
    page.get_by_role("button", name="Filter anwenden").click()
    expect(page).to_have_url(re.compile(r"/karte/\?.*kreis=12071"))
    expect(page.locator("#karte")).to_have_attribute("data-state", "ready")
    assert marker_count(page) == 1
    assert list_ids(page) == [portfolio.beta.pk]
    page.get_by_label("Landkreis / kreisfreie Stadt").select_option("")
    page.get_by_label("Werkstatt", exact=True).select_option("2")
    page.get_by_role("button", name="Filter anwenden").click()
    expect(page.locator("#karte")).to_have_attribute("data-state", "ready")
    assert marker_count(page) == 2
    assert list_ids(page) == [portfolio.alpha.pk, portfolio.epsilon.pk]
    assert list_ids(page, "data-map-unlocated") == [portfolio.eta.pk, portfolio.gamma.pk]


def test_many_projects_are_counted_through_their_clusters(workshop2, workshop4, portfolio, live_server, page: Page):
    grow_map(workshop2, workshop4, 40)
    open_map(page, live_server.url + reverse("portal:map"))
    located = list_ids(page)
    assert len(located) > 25
    assert page.locator("#karte .marker-cluster").count() > 0
    assert marker_count(page) == len(located)
    assert sorted(located) == sorted(marker_ids(page, live_server.url + reverse("portal:map-data")))


def test_keyboard_passes_through_the_map(portfolio, live_server, page: Page):
    """The map takes focus (arrow keys pan it) and Tab leads on out of it: no keyboard trap."""
    open_map(page, live_server.url + reverse("portal:map"))
    page.locator("#karte").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowLeft")
    for _ in range(40):
        page.keyboard.press("Tab")
        inside = page.evaluate("document.getElementById('karte').contains(document.activeElement)")
        if not inside:
            break
    else:
        raise AssertionError("Tab does not leave the map")
    for _ in range(20):
        if page.evaluate("document.activeElement.textContent.trim()") == "Alpha Klinikverbund":
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("the list beside the map is not reached by Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.closest('#inhalt') !== null")


def test_district_page_maps_its_projects_and_passes_axe(portfolio, live_server, page: Page, axe):
    requested = open_map(page, live_server.url + reverse("portal:district-detail", args=["12071"]))
    expect(page.locator("h1 [lang='dsb']")).to_have_count(0)
    expect(page.locator("h1")).to_have_text("Spree-Neiße")
    expect(page.locator("#karte svg path.map-shape--focus")).to_have_count(1)
    assert marker_count(page) == 1
    assert list_ids(page) == [portfolio.beta.pk]
    assert all(url.startswith(live_server.url) for url in requested), requested
    axe(page)
    page.goto(live_server.url + reverse("portal:district-detail", args=["12052"]))
    expect(page.locator("h1 [lang='dsb']")).to_have_text("Chóśebuz")
    expect(page.locator("#karte")).to_have_attribute("data-state", "ready")
    axe(page)


def test_district_list_passes_axe(portfolio, live_server, page: Page, axe):
    page.goto(live_server.url + reverse("portal:district-list"))
    page.get_by_role("link", name="Elbe-Elster").click()
    expect(page.locator("h1")).to_have_text("Elbe-Elster")
    page.go_back()
    axe(page)


def test_workshop_page_maps_its_projects_and_passes_axe(portfolio, live_server, page: Page, axe):
    open_map(page, live_server.url + reverse("portal:workshop-detail", args=[4]))
    assert marker_count(page) == 2
    assert list_ids(page) == [portfolio.beta.pk, portfolio.zeta.pk]
    assert list_ids(page, "data-map-unlocated") == [portfolio.gamma.pk]
    axe(page)


def test_the_list_works_without_javascript(portfolio, live_server, browser):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.goto(live_server.url + reverse("portal:map"))
    expect(page.locator("#karte")).to_be_hidden()
    assert list_ids(page) == [portfolio.alpha.pk, portfolio.beta.pk, portfolio.epsilon.pk, portfolio.zeta.pk]
    page.get_by_role("link", name="Beta Lernort").click()
    expect(page.locator("h1")).to_have_text("Beta Lernort")
    context.close()
