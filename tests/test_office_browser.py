"""The back office in a real browser: German login by keyboard, and axe on every office page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from werkstatt.meetings.services import meeting_plan
from werkstatt.organizations.models import Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base_url: str, username: str) -> None:
    """Log in through the real login page, by keyboard."""
    page.goto(base_url + reverse("login"))
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Arbeitsbereich")


@pytest.mark.parametrize("url_name", ["login", "password_reset"])
def test_account_pages_have_no_accessibility_violations(db, live_server, page: Page, axe, url_name):
    page.goto(live_server.url + reverse(url_name))
    axe(page)


def test_login_errors_are_announced_and_accessible(office_user, live_server, page: Page, axe):
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Benutzername").fill(office_user.username)
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("Benutzername oder Passwort stimmen nicht.")
    axe(page)


def test_office_pages_have_no_accessibility_violations(demo, office_user, live_server, page: Page, axe):
    meeting = meeting_plan(
        actor=None,
        workshop=Workshop.objects.get(number=4),
        date=timezone.localdate() + dt.timedelta(days=20),
        start_time=dt.time(14),
    )
    log_in(page, live_server.url, office_user.username)
    axe(page)
    for url in (
        reverse("office:meeting-plan", args=[4]),
        reverse("office:meeting-detail", args=[meeting.pk]),
    ):
        page.goto(live_server.url + url)
        axe(page)


def test_planning_form_errors_are_accessible(demo, office_user, live_server, page: Page, axe):
    log_in(page, live_server.url, office_user.username)
    page.goto(live_server.url + reverse("office:meeting-plan", args=[4]))
    page.get_by_label("Beginn").fill("16:00")
    page.get_by_label("Ende").fill("14:00")
    page.get_by_role("button", name="Sitzung anlegen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    axe(page)
