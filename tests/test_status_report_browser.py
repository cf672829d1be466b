"""The status report in a real browser: the office chooses a workshop by keyboard, reads the report,
and produces it for the next session with one click; axe finds nothing on any of these pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, MilestoneFactory, ProjectFactory
from werkstatt.meetings.models import AgendaItemKind
from werkstatt.meetings.services import meeting_plan
from werkstatt.organizations.models import Workshop
from werkstatt.projects.models import MilestoneKind
from werkstatt.projects.report_services import report_files_of
from werkstatt.projects.workflow import ProjectState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + reverse("login"))
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Arbeitsbereich")


@pytest.fixture
def projects(workshop4, workshop2):
    year = timezone.localdate().year
    for n, state in enumerate([ProjectState.CONFIRMED, ProjectState.APPROVED, ProjectState.QUALIFICATION]):
        project = ProjectFactory(
            body=workshop4.body,
            lead_workshop=workshop4,
            sponsor=None,
            state=state,
            title=f"Projekt der Werkstatt 4 Nr. {n}",
            confirmed_on=dt.date(2022, 1, 1) if state != ProjectState.QUALIFICATION else None,
            public=n != 2,
        )
        MilestoneFactory(project=project, kind=MilestoneKind.COMMISSIONING, planned_date=dt.date(year, 6, 1))
    ProjectFactory(body=workshop2.body, lead_workshop=workshop2, sponsor=None, confirmed_on=dt.date(2023, 1, 1))


def test_the_report_page_and_its_form_errors_are_accessible(projects, office_user, live_server, page: Page, axe):
    _log_in(page, live_server.url, office_user.username)
    page.get_by_role("link", name="Aktueller Sachstand der Projekte").click()
    expect(page.locator("h1")).to_have_text("Aktueller Sachstand der Projekte")
    expect(page.get_by_text("Insgesamt 3 Projekte wurden seit März 2021 durch die IMAG bestätigt.")).to_be_visible()
    axe(page)
    page.get_by_label("Werkstatt").select_option(
        label="Werkstatt 4: Daseinsvorsorge, ländliche Entwicklung & “smart regions”"
    )
    page.get_by_role("button", name="Sachstand anzeigen").click()
    year = timezone.localdate().year
    expect(page.get_by_text(f"{year} stehen drei Inbetriebnahmen an.")).to_be_visible()
    expect(page.get_by_text("Davon liegen 2 in der Federführung der Werkstatt 4.")).to_be_visible()
    axe(page)
    page.get_by_label("Jahr der Meilensteine").fill("1999")
    page.get_by_role("button", name="Sachstand anzeigen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte geben Sie ein Jahr ab 2000 an.")
    axe(page)
    with page.expect_download() as download:
        page.get_by_label("Jahr der Meilensteine").fill(str(year))
        page.get_by_role("button", name="Sachstand anzeigen").click()
        page.get_by_role("link", name="Diesen Sachstand als PDF herunterladen").click()
    assert download.value.suggested_filename.endswith("_Sachstand-der-Projekte_Werkstatt-4.pdf")


def test_one_click_produces_the_report_for_the_next_session(projects, office_user, live_server, page: Page, axe):
    meeting = meeting_plan(
        actor=office_user,
        workshop=Workshop.objects.get(number=4),
        date=timezone.localdate() + dt.timedelta(days=14),
        start_time=dt.time(14),
    )
    item = meeting.agenda_items.get(kind=AgendaItemKind.PROJECT_REPORT)
    (planned,) = report_files_of(item)  # attached when the planning was committed
    _log_in(page, live_server.url, office_user.username)
    page.goto(live_server.url + reverse("office:meeting-detail", args=[meeting.pk]))
    expect(page.get_by_text("Zuletzt erzeugt")).to_be_visible()
    page.get_by_role("button", name="Sachstand für diese Sitzung erzeugen").click()
    expect(page.get_by_role("status")).to_contain_text("ist an TOP 3 angehängt (nur intern sichtbar)")
    axe(page)
    (latest,) = report_files_of(item)
    assert latest.pk != planned.pk
    with page.expect_download() as download:
        page.get_by_role("link", name=latest.name).click()
    assert download.value.suggested_filename == latest.file_name
