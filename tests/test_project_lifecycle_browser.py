"""A project from idea to opening in a real browser, by the people who record each step: the office
takes in the idea, qualifies it and puts it on the agenda of a held session of the lead workshop,
where the workshop recommends it; the State Chancellery forwards it and records the working group's
confirmation; the bank records the application, the grant notice with its figures, the start of
construction, the opening and the completion. Axe checks every office project page on the way, and
the pages with their error states."""

import datetime as dt
import decimal
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests.factories import PASSWORD, MilestoneFactory, OrganizationFactory, ProjectFactory
from werkstatt.geo.models import Municipality
from werkstatt.meetings.services import meeting_mark_held, meeting_plan
from werkstatt.organizations.models import Body, Workshop
from werkstatt.projects.models import Consultation, MilestoneKind, Project
from werkstatt.projects.services import project_put_on_agenda
from werkstatt.projects.workflow import ProjectState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Wärmenetz Forst (Lausitz)"


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("h1")).to_have_text("Arbeitsbereich")


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Abmelden").click()
    expect(page.locator("h1")).to_have_text("Werkstattprozess der Strukturentwicklung Lausitz")


def _step(page: Page, label: str) -> Locator:
    """Open the accordion of the step ``label`` on the project page and return it."""
    step = page.locator("details.step", has=page.locator("summary", has_text=label))
    if step.get_attribute("open") is None:
        step.locator("summary").click()
    return step


def _take(page: Page, label: str, state: str) -> None:
    _step(page, label).get_by_role("button", name=f"„{label}“ erfassen").click()
    expect(page.get_by_role("status")).to_contain_text(f"„{label}“ ist erfasst: Das Projekt ist jetzt „{state}“.")


def _open_waiting_project(page: Page) -> None:
    """From the dashboard, through the projects waiting for the user, to the project."""
    page.get_by_role("link", name=re.compile(r"auf einen Schritt von Ihnen")).click()
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.locator("h1")).to_have_text(TITLE)


def _public_project_url(project: Project) -> str | None:
    """The public project page, which the public register provides (its own part of the portal)."""
    try:
        return reverse("portal:project-detail", args=[project.pk])
    except NoReverseMatch:
        return None


def test_a_project_from_idea_to_opening(demo, office_user, chancellery_user, bank_user, live_server, page, axe):
    base = live_server.url
    today = timezone.localdate()
    received = today - dt.timedelta(days=60)
    workshop = Workshop.objects.get(number=4)
    sponsor = OrganizationFactory(body=Body.objects.get(), name="Stadtwerke Forst GmbH")
    forst = Municipality.objects.get(ags="12071076")
    # The session of the lead workshop, held a week ago (planning and holding sessions by form are
    # covered by the session's own end-to-end test).
    session = meeting_plan(actor=office_user, workshop=workshop, date=today - dt.timedelta(days=7))
    meeting_mark_held(actor=office_user, meeting=session)

    # The office takes in the idea.
    _log_in(page, base, office_user.username)
    axe(page)
    page.get_by_role("link", name="Neues Projekt anlegen").click()
    expect(page.locator("h1")).to_have_text("Neues Projekt")
    expect(page.get_by_label("Projektidee")).to_be_checked()
    page.get_by_label("eingegangen am").fill(received.isoformat())
    page.get_by_label("Bemerkung zum Eingang").fill("Projektskizze per E-Mail")
    page.get_by_label("Titel", exact=True).fill(TITLE)
    page.get_by_label("Projektträger").select_option(str(sponsor.pk))
    page.get_by_label("Federführende Werkstatt").select_option(str(workshop.pk))
    page.get_by_label("Gesamtkosten (EUR)").fill("716.000,00")
    page.get_by_label("Gemeinde").select_option(str(forst.pk))
    page.locator("#id_description").fill("Ein Wärmenetz aus Abwärme und Solarthermie.")
    axe(page)
    page.get_by_role("button", name="Projekt anlegen").click()
    expect(page.get_by_role("status")).to_contain_text(f"Das Projekt „{TITLE}“ ist angelegt (Projektidee).")
    expect(page.locator("h1")).to_have_text(TITLE)
    project = Project.objects.get(title=TITLE)
    assert project.total_cost == decimal.Decimal("716000") and project.district == forst.district
    axe(page)

    # The fact sheet comes in; the office takes the project into qualification.
    _take(page, "Projektsteckbrief eingegangen", "Projektsteckbrief eingereicht")
    _step(page, "In die Qualifizierung nehmen").get_by_label("Bemerkung").fill("Abstimmung mit ILB und MWAE")
    _take(page, "In die Qualifizierung nehmen", "in Qualifizierung")

    # The office puts it on the agenda of the held session and records the recommendation.
    page.goto(base + reverse("office:agenda", args=[session.pk]))
    form = page.locator("section", has=page.get_by_role("heading", name="Projekt auf die Tagesordnung setzen"))
    form.get_by_label("Projekt", exact=True).select_option(str(project.pk))
    form.get_by_label("TOP-Nummer").fill("3.1")
    axe(page)
    form.get_by_role("button", name="Projekt auf die Tagesordnung setzen").click()
    expect(page.get_by_role("status")).to_contain_text(f"„{TITLE}“ steht als TOP 3.1 auf der Tagesordnung.")
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.locator("h1")).to_have_text(f"Beratung: {TITLE}")
    axe(page)
    page.get_by_role("button", name="Ergebnis erfassen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte wählen Sie das Ergebnis der Beratung.")
    axe(page)
    page.get_by_label("konsensuale Empfehlung").check()
    page.get_by_role("button", name="Ergebnis erfassen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Das Ergebnis „konsensuale Empfehlung“ ist erfasst; das Projekt ist „zur Weiterleitung empfohlen“."
    )
    consultation = Consultation.objects.get(project=project, meeting=session)
    assert consultation.authoritative and consultation.agenda_item.number == "3.1"
    _log_out(page)

    # The State Chancellery forwards it and records the working group's confirmation.
    _log_in(page, base, chancellery_user.username)
    _open_waiting_project(page)
    _take(page, "An die Staatskanzlei weitergeleitet", "an die Staatskanzlei weitergeleitet")
    confirmation = _step(page, "Bestätigung durch die IMAG")
    confirmation.get_by_label("Datum der Entscheidung").fill((today - dt.timedelta(days=5)).isoformat())
    _take(page, "Bestätigung durch die IMAG", "durch die IMAG bestätigt")
    axe(page)
    _log_out(page)

    # The bank records the application and the grant notice; a grant above 90 % is refused first.
    _log_in(page, base, bank_user.username)
    _open_waiting_project(page)
    _take(page, "Förderantrag eingegangen", "im Antragsverfahren")
    approval = _step(page, "Zuwendungsbescheid erteilt")
    approval.get_by_label("Datum der Entscheidung").fill((today - dt.timedelta(days=2)).isoformat())
    approval.get_by_label("Gesamtkosten (EUR)").fill("716.000,00")
    approval.get_by_label("Förderfähige Kosten (EUR)").fill("716.000,00")
    approval.get_by_label("Zuwendung (EUR)").fill("700.000,00")
    approval.get_by_role("button", name="„Zuwendungsbescheid erteilt“ erfassen").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Die Zuwendung von 700.000 EUR ist mehr als 90 % der förderfähigen Kosten (höchstens 644.400 EUR)."
    )
    axe(page)
    approval = _step(page, "Zuwendungsbescheid erteilt")
    approval.get_by_label("Zuwendung (EUR)").fill("644.400,00")
    _take(page, "Zuwendungsbescheid erteilt", "bewilligt (Zuwendungsbescheid)")
    expect(page.get_by_text("Zuwendung: 644.400 € (90,0 %)")).to_be_visible()
    _take(page, "Umsetzung begonnen", "in Umsetzung")

    # The opening took place yesterday; then the bank records the completion.
    page.locator("summary", has_text="Meilenstein hinzufügen").click()
    page.get_by_label("Art").select_option(MilestoneKind.OPENING)
    page.get_by_label("stattgefunden am").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Meilenstein speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Der Meilenstein „Eröffnung“ ist gespeichert.")
    _take(page, "Abgeschlossen / in Betrieb", "abgeschlossen / in Betrieb")
    expect(page.get_by_text("dieser Stand ist endgültig")).to_be_visible()
    axe(page)

    history = page.locator("#verlauf + .kern-table-responsive tbody tr")
    expect(history).to_have_count(11)
    expect(history.nth(0)).to_contain_text("Projektidee")
    expect(history.nth(0)).to_contain_text("Projektskizze per E-Mail")
    expect(history.nth(4)).to_contain_text("konsensuale Empfehlung")
    expect(history.nth(6)).to_contain_text("Stefan Kanzlei")
    expect(history.nth(8)).to_contain_text("Bea Bank")
    _log_out(page)

    project.refresh_from_db()
    assert project.state == ProjectState.COMPLETED
    assert (project.presented_on, project.recommended_on) == (session.date, session.date)
    assert project.confirmed_on == today - dt.timedelta(days=5)
    assert project.approved_on == today - dt.timedelta(days=2)
    assert project.grant == decimal.Decimal("644400")
    assert [c.to_state for c in project.status_changes.order_by("created", "pk")] == [
        "idea", "submitted", "qualification", "presented", "recommended", "forwarded", "confirmed",
        "applied", "approved", "implementation", "completed",
    ]  # fmt: skip
    assert project.milestones.get().actual_date == today - dt.timedelta(days=1)

    # The public reads the whole way on the project's public page.
    public_url = _public_project_url(project)
    if public_url is not None:
        page.goto(base + public_url)
        expect(page.locator("h1")).to_have_text(TITLE)
        for text in ("durch die IMAG bestätigt", "bewilligt (Zuwendungsbescheid)", "Eröffnung"):
            expect(page.locator("main")).to_contain_text(text)
        axe(page)


# --- axe on every office project page, with its error states -------------------------------------------------


def test_office_project_pages_have_no_accessibility_violations(demo, office_user, live_server, page, axe):
    base = live_server.url
    today = timezone.localdate()
    workshop = Workshop.objects.get(number=4)
    telemedicine = Project.objects.get(title__startswith="Telemedizinische")
    milestone = MilestoneFactory(project=telemedicine, kind=MilestoneKind.GROUND_BREAKING)
    planned = meeting_plan(actor=None, workshop=workshop, date=today + dt.timedelta(days=14))
    held = meeting_plan(actor=None, workshop=workshop, date=today - dt.timedelta(days=3))
    meeting_mark_held(actor=None, meeting=held)
    hearable = ProjectFactory(lead_workshop=workshop, title="Bürgerhaus Spremberg/Grodk")
    consultation = project_put_on_agenda(actor=None, project=hearable, meeting=held, number="3.1")
    _log_in(page, base, office_user.username)
    axe(page)
    for url in (
        reverse("office:project-list"),
        reverse("office:project-list") + "?stand=fliegend&sortierung=zufall",
        reverse("office:project-create"),
        reverse("office:project-detail", args=[telemedicine.pk]),
        reverse("office:project-edit", args=[telemedicine.pk]),
        reverse("office:milestone-edit", args=[telemedicine.pk, milestone.pk]),
        reverse("office:milestone-delete", args=[telemedicine.pk, milestone.pk]),
        reverse("office:consultation", args=[held.pk, consultation.pk]),
        reverse("office:agenda", args=[planned.pk]),
        reverse("office:agenda-item", args=[held.pk, consultation.agenda_item_id]),
    ):
        page.goto(base + url)
        axe(page)

    # Error states: the fact sheet, a step, a milestone, the agenda form.
    page.goto(base + reverse("office:project-create"))
    page.get_by_label("Gesamtkosten (EUR)").fill("716000.50")
    page.get_by_role("button", name="Projekt anlegen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte geben Sie den Titel des Projekts an.")
    expect(page.get_by_role("alert")).to_contain_text("„716000.50“ ist nicht eindeutig")
    axe(page)
    page.goto(base + reverse("office:project-detail", args=[telemedicine.pk]))
    _step(page, "Vom Projektträger zurückgezogen").get_by_role(
        "button", name="„Vom Projektträger zurückgezogen“ erfassen"
    ).click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte begründen Sie diesen Schritt in der Bemerkung.")
    axe(page)
    page.locator("summary", has_text="Meilenstein hinzufügen").click()
    page.get_by_label("Art").select_option(MilestoneKind.OPENING)
    page.get_by_label("stattgefunden am").fill((today + dt.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Meilenstein speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("Ein Meilenstein kann nicht in der Zukunft stattgefunden haben")
    axe(page)
    page.goto(base + reverse("office:agenda", args=[planned.pk]))
    form = page.locator("section", has=page.get_by_role("heading", name="Projekt auf die Tagesordnung setzen"))
    form.get_by_role("button", name="Projekt auf die Tagesordnung setzen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte wählen Sie ein Projekt aus.")
    axe(page)
