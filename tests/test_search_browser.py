"""The search in a real browser: the page with hits, without hits and empty passes axe (WCAG 2.1 AA); the search
box in the header is reachable and submittable by keyboard alone."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("query", ["?q=Telenotarzt", "?q=Lausitz&art=organisationen", "?q=Telemedizn", "?q=xyzzy", ""])
def test_search_page_has_no_accessibility_violations(demo, live_server, page: Page, axe, query):
    page.goto(live_server.url + "/suche/" + query)
    expect(page.locator("h1")).to_have_text("Suche")
    axe(page)


def test_keyboard_user_searches_from_the_header(demo, live_server, page: Page):
    page.goto(live_server.url + "/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "site-search-q":
            break
    else:
        raise AssertionError("Das Suchfeld im Kopf ist per Tab nicht erreichbar.")
    page.keyboard.type("Telenotarzt")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Suche")
    expect(page.get_by_role("heading", name=re.compile(r"^\d+ Treffer für „Telenotarzt“$"))).to_be_visible()
    link = page.get_by_role(
        "link", name="Telemedizinische Einbindung von Notärzten im Regionalleitstellenbereich Lausitz"
    )
    expect(link.first).to_be_visible()
    # The button submits too.
    page.goto(live_server.url + "/projekte/")
    page.get_by_role("search", name="Website durchsuchen").get_by_label("Suchbegriff").fill("Chosebuz")
    page.get_by_role("search", name="Website durchsuchen").get_by_role("button", name="Suchen").press("Enter")
    expect(page.get_by_role("heading", name="Organisationen (2)")).to_be_visible()
