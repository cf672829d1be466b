"""The whole life of a session in a real browser, by the people who do each step:
the office plans it, the speaker edits the agenda, invites and marks it held, the minute-taker
writes the results, the office circulates them, the next session approves them, the office
publishes them, and the public reads them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, MembershipFactory, UserFactory
from werkstatt.accounts.models import Role
from werkstatt.meetings import services
from werkstatt.meetings.models import AgendaItemKind, Meeting
from werkstatt.meetings.workflow import MinutesState
from werkstatt.organizations.models import Person, Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULT = "Die Werkstatt empfiehlt, das Wärmenetz weiter zu qualifizieren."


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("h1")).to_have_text("Arbeitsbereich")


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Abmelden").click()
    expect(page.locator("h1")).to_have_text("Werkstattprozess der Strukturentwicklung Lausitz")


def _linked_user(person: Person, username: str):
    user = UserFactory(username=username)
    person.user = user
    person.save()
    return user


def test_a_session_from_planning_to_published_minutes(demo, live_server, page: Page, axe):
    base = live_server.url
    workshop = Workshop.objects.get(number=4)
    office = UserFactory(username="buero-e2e", role=Role.OFFICE)
    speaker = _linked_user(Person.objects.get(family_name="Guntermann"), "sprecher-e2e")
    MembershipFactory(person=speaker.person, workshop=workshop, role="speaker")
    taker_person = Person.objects.get(family_name="Amende")
    minute_taker = _linked_user(taker_person, "protokoll-e2e")
    day = timezone.localdate() + dt.timedelta(days=21)

    # The office plans the 17th session with the minute-taker.
    _log_in(page, base, office.username)
    page.get_by_role("link", name="Sitzung planen – Werkstatt 4").click()
    expect(page.get_by_label("Sitzungsnummer")).to_have_value("17")
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Beginn").fill("14:00")
    page.get_by_label("Ende").fill("16:00")
    page.get_by_label("Gebäude").fill("Bürgerzentrum")
    page.get_by_label("Straße und Hausnummer").fill("Uferstraße 6")
    page.get_by_label("Postleitzahl").fill("04916")
    page.locator("#id_locality").fill("Herzberg (Elster)")
    page.get_by_label("Protokollant/in").select_option(str(taker_person.pk))
    page.get_by_role("button", name="Sitzung anlegen").click()
    expect(page.locator("h1")).to_have_text("17. Sitzung der Werkstatt 4")
    session = Meeting.objects.get(workshop=workshop, number=17)
    _log_out(page)

    # The speaker adds a project presentation as 3.1, invites and, after the session, marks it held.
    _log_in(page, base, speaker.username)
    page.goto(base + reverse("office:agenda", args=[session.pk]))
    page.get_by_label("TOP-Nummer").fill("3.1")
    page.get_by_label("Titel").fill("Vorstellung Investitionsprojekt „Lausitzer Wärmenetz“")
    page.get_by_label("Art").select_option(AgendaItemKind.PROJECT_PRESENTATION)
    page.get_by_role("button", name="TOP hinzufügen").click()
    expect(page.get_by_role("status").first).to_be_visible()
    numbers = list(session.agenda_items.order_by("order").values_list("number", flat=True))
    assert numbers == ["1", "2", "3", "3.1", "4"]
    axe(page)
    page.goto(base + reverse("office:meeting-detail", args=[session.pk]))
    page.get_by_role("button", name="Einladung versenden").click()
    expect(page.get_by_text("Die Einladung wird an die Mitglieder versandt.")).to_be_visible()
    page.get_by_role("button", name="Als durchgeführt vermerken").click()
    expect(page.get_by_text("Die Sitzung ist als durchgeführt vermerkt.")).to_be_visible()
    _log_out(page)

    # The minute-taker writes the result of 3.1; autosave stores it.
    item = session.agenda_items.get(number="3.1")
    _log_in(page, base, minute_taker.username)
    page.goto(base + reverse("office:minutes", args=[session.pk]))
    page.locator(f"#ergebnis-{item.pk}-text-bearbeiten").click()
    page.keyboard.type(RESULT)
    expect(page.locator(f"#status-{item.pk}")).to_contain_text("Gespeichert", timeout=10_000)
    item.refresh_from_db()
    assert RESULT in item.result
    axe(page)
    _log_out(page)

    # The office circulates the draft; the 18th session is held and approves it; the office publishes.
    _log_in(page, base, office.username)
    page.goto(base + reverse("office:meeting-detail", args=[session.pk]))
    page.get_by_role("button", name="Protokollentwurf an die Mitglieder versenden").click()
    expect(page.get_by_text("Der Protokollentwurf ist an die Mitglieder versandt.")).to_be_visible()
    next_session = services.meeting_plan(actor=office, workshop=workshop, date=day + dt.timedelta(days=60))
    services.meeting_mark_held(actor=office, meeting=next_session)
    page.goto(base + reverse("office:minutes", args=[next_session.pk]))
    page.get_by_role("button", name="Protokoll der 17. Sitzung bestätigen").click()
    session.refresh_from_db()
    assert session.minutes_state == MinutesState.APPROVED
    page.goto(base + reverse("office:meeting-detail", args=[session.pk]))
    page.get_by_role("button", name="Protokoll veröffentlichen").click()
    expect(page.get_by_text("Das Protokoll ist veröffentlicht.")).to_be_visible()
    _log_out(page)

    # The public reads the published minutes, and the history says who approved them.
    page.goto(base + reverse("portal:meeting-detail", args=[session.pk]))
    expect(page.get_by_role("heading", name="Ergebnisse")).to_be_visible()
    expect(page.get_by_text(RESULT)).to_be_visible()
    axe(page)
    approval = session.history.filter(minutes_state=MinutesState.APPROVED).last()
    assert approval.history_user == office
    assert approval.history_change_reason == "Bestätigt in: 18. Sitzung der Werkstatt 4, TOP 2"
