""" "Zahlen und Fakten" in a real browser: the charts render, the page passes axe (WCAG 2.1 AA) with data,
with the demo and empty, and a keyboard user gets there from the main navigation and downloads a CSV."""

import pytest
from playwright.sync_api import Page, expect

from tests.test_facts import portfolio  # noqa: F401 - the fixture
from werkstatt.portal import facts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACTS = "/zahlen-und-fakten/"


def test_facts_page_with_every_figure_has_no_accessibility_violations(portfolio, live_server, page: Page, axe):  # noqa: F811
    page.goto(live_server.url + FACTS)
    expect(page.locator("h1")).to_have_text("Zahlen und Fakten")
    assert page.locator("html").get_attribute("lang") == "de"
    charts = page.get_by_role("img")
    expect(charts).to_have_count(8)
    expect(
        page.get_by_role("img", name="Trichter: Projekte, die mindestens diese Stufe erreicht haben")
    ).to_be_visible()
    # Drawn, not just present: the funnel's first bar is wider than its last.
    bars = page.locator("svg.chart").first.locator("rect")
    assert bars.first.bounding_box()["width"] > bars.last.bounding_box()["width"] > 0  # type: ignore[index]
    for key in facts.FIGURES:
        expect(page.locator(f'table[data-figure="{key}"] caption')).to_be_visible()
    axe(page)


def test_facts_page_of_the_demo_and_of_an_empty_register_pass_axe(demo, live_server, page: Page, axe):
    page.goto(live_server.url + FACTS)
    expect(page.get_by_role("img").first).to_be_visible()
    axe(page)


def test_empty_facts_page_passes_axe(db, live_server, page: Page, axe):
    page.goto(live_server.url + FACTS)
    expect(page.get_by_text("Noch nichts zu zählen").first).to_be_visible()
    axe(page)


def test_keyboard_user_reaches_the_facts_from_the_navigation_and_downloads_a_csv(portfolio, live_server, page: Page):  # noqa: F811
    page.goto(live_server.url + "/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Zahlen und Fakten":
            break
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Zahlen und Fakten")
    link = page.get_by_role("link", name="Tabelle „Projekte je Landkreis“ als CSV herunterladen (für Excel)")
    link.focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "zahlen-und-fakten-landkreise.csv"
