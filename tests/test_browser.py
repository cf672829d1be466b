"""What a person does in a real browser: every page type opens, passes axe (WCAG 2.1 AA),
and the minutes are reachable from the home page by keyboard alone."""

import pytest
from playwright.sync_api import Page, expect

from tests.pages import demo_page_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_TYPES = [
    "home",
    "workshop-list",
    "workshop-detail",
    "meeting-detail",
    "news-list",
    "news-detail",
    "organization-detail",
    "person-detail",
    "open-data",
]


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_has_no_accessibility_violations(demo, live_server, page: Page, axe, page_type):
    page.goto(live_server.url + demo_page_urls()[page_type])
    expect(page.locator("h1")).to_have_count(1)
    assert page.locator("html").get_attribute("lang") == "de"
    axe(page)


def test_not_found_page_has_no_accessibility_violations(db, live_server, page: Page, axe):
    response = page.goto(live_server.url + "/sitzungen/999999/")
    assert response is not None and response.status == 404
    axe(page)


def _tab_to(page: Page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element is the link with this exact text."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"Link „{name}“ not reachable by keyboard within {limit} Tab presses")


def test_keyboard_user_reaches_the_minutes_from_home(demo, live_server, page: Page):
    page.goto(live_server.url + "/")
    _tab_to(page, "Werkstatt 4")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Werkstatt 4")
    _tab_to(page, "16. Sitzung der Werkstatt 4")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("16. Sitzung der Werkstatt 4")
    expect(page.get_by_role("heading", name="Ergebnisse")).to_be_visible()
    expect(page.get_by_text("Insgesamt 72 Projekte wurden seit März 2021 durch die IMAG bestätigt.")).to_be_visible()


def test_skip_link_moves_focus_to_the_content(demo, live_server, page: Page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"


def test_keyboard_user_finds_the_calendar_subscription_from_a_session(demo, live_server, page: Page, axe):
    """From the session page to the workshop's "Termine abonnieren", whose button subscribes by webcal://."""
    page.goto(live_server.url + demo_page_urls()["meeting-detail"])
    _tab_to(page, "Alle Termine der Werkstatt 4 abonnieren")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Termine abonnieren")).to_be_visible()
    host = live_server.url.split("://", 1)[1]
    subscribe = page.get_by_role("link", name="Termine der Werkstatt 4 abonnieren", exact=True)
    expect(subscribe).to_have_attribute("href", f"webcal://{host}/werkstaetten/4/termine.ics")
    expect(page.get_by_role("link", name="Kalenderadresse (iCal) öffnen")).to_have_attribute(
        "href", f"{live_server.url}/werkstaetten/4/termine.ics"
    )
    axe(page)


def test_keyboard_user_reaches_the_open_data_from_the_footer_and_downloads_the_session_list(
    demo, live_server, page: Page
):
    page.goto(live_server.url + "/")
    _tab_to(page, "Offene Daten", limit=120)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Offene Daten")
    expect(page.get_by_role("heading", name="Sitzungsliste als CSV")).to_be_visible()
    # The geodata's source note, once per geodata entry (the keys and the two shape files), linked to the BKG.
    attribution = page.get_by_role("link", name="© GeoBasis-DE / BKG (2021), Daten verändert")
    expect(attribution).to_have_count(3)
    for link in attribution.all():
        expect(link).to_have_attribute("href", "https://www.bkg.bund.de")
    _tab_to(page, live_server.url + "/sitzungen/export.csv")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith("sitzungen-")
