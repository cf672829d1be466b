"""The project register and the project page in a real browser: axe-core (WCAG 2.1 AA) on every
variant, and a visitor who finds the telemedicine project by keyboard and filter alone."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories import ProjectFactory
from werkstatt.organizations.models import Workshop
from werkstatt.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TELEMEDICINE = "Telemedizinische Einbindung von Notärzten im Regionalleitstellenbereich Lausitz"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?werkstatt=4&sortierung=-titel",
        "?werkstatt=2&stand=approved&kreis=12052",
        "?stand=completed",
        # The milestones feed of one district.
        "?kreis=12062",
        # The alert with the German messages about ignored values.
        "?werkstatt=abc&kreis=1&sortierung=DROP&seite=zz",
    ],
    ids=["alle", "gefiltert", "eng-gefiltert", "leer", "landkreis", "fehlerhaft"],
)
def test_register_has_no_accessibility_violations(demo, live_server, page: Page, axe, query):
    page.goto(live_server.url + reverse("portal:project-list") + query)
    expect(page.locator("h1")).to_have_text("Projektregister")
    axe(page)


def test_register_with_several_pages_has_no_accessibility_violations(demo, live_server, page: Page, axe):
    workshop = Workshop.objects.get(number=4)
    for n in range(60):
        ProjectFactory(body=workshop.body, title=f"Vorhaben {n:02d}", lead_workshop=workshop)
    page.goto(live_server.url + reverse("portal:project-list") + "?werkstatt=4&seite=2")
    expect(page.get_by_role("navigation", name="Seiten des Projektregisters")).to_be_visible()
    expect(page.get_by_role("link", name="Seite 2", exact=True)).to_have_attribute("aria-current", "page")
    axe(page)
    page.get_by_role("link", name="Nächste Seite").click()
    expect(page).to_have_url(live_server.url + "/projekte/?werkstatt=4&seite=3")
    axe(page)


@pytest.mark.parametrize("title", [TELEMEDICINE, "WerteGesellschaft Lausitz"])
def test_project_page_has_no_accessibility_violations(demo, live_server, page: Page, axe, title):
    project = Project.objects.get(title=title)
    page.goto(live_server.url + reverse("portal:project-detail", args=[project.pk]))
    expect(page.locator("h1")).to_have_text(title)
    assert page.locator("html").get_attribute("lang") == "de"
    axe(page)


@pytest.mark.parametrize("url_name", ["portal:home", "portal:workshop-detail"])
def test_pages_that_show_projects_have_no_accessibility_violations(demo, live_server, page: Page, axe, url_name):
    page.goto(live_server.url + (reverse(url_name, args=[4]) if url_name.endswith("detail") else reverse(url_name)))
    axe(page)


def _tab_to(page: Page, name: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"„{name}“ ist per Tastatur nicht in {limit} Schritten erreichbar")


def test_keyboard_user_filters_the_register_and_follows_the_project_to_its_approval(demo, live_server, page: Page):
    page.goto(live_server.url + "/")
    _tab_to(page, "Projekte")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Projektregister")
    expect(page.get_by_role("heading", name="2 Projekte")).to_be_visible()
    # Choose the workshop in the filter by keyboard: focus the select, pick, submit with Enter.
    workshop = page.get_by_label("Werkstatt", exact=True)
    workshop.focus()
    workshop.select_option(label="Werkstatt 2: Innovation und Digitalisierung")
    _tab_to(page, "Filter anwenden")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="1 Projekt", exact=True)).to_be_visible()
    assert "werkstatt=2" in page.url
    _tab_to(page, TELEMEDICINE)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(TELEMEDICINE)
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("16.01.2024")
    expect(timeline).to_contain_text("zur Weiterleitung empfohlen")
    expect(timeline).to_contain_text("15.07.2024")
    expect(timeline).to_contain_text("bewilligt (Zuwendungsbescheid)")
    expect(page.get_by_text("644.400 €")).to_be_visible()
