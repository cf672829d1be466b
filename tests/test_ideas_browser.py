"""Ideas in a real browser: a resident submits an idea from the workshop page (municipality and a point on the
map), confirms it by the link in the mail, and sees the confirmation; axe finds nothing on any idea page."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, ProjectFactory
from tests.ideas_support import confirm_link, parts
from werkstatt.participation.models import Idea, IdeaStatus, Participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_submits_an_idea_and_confirms_it(
    workshop4, places, live_server, page: Page, axe, run_jobs, mailoutbox
):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + reverse("portal:workshop-detail", args=[4]))
    page.get_by_role("link", name="Idee einreichen").click()
    expect(page.locator("h1")).to_have_text("Idee einreichen")
    expect(page.get_by_label("Werkstatt", exact=True)).to_have_value(str(workshop4.pk))
    expect(page.locator("#idea-map")).to_have_attribute("data-state", "ready")
    axe(page)

    page.get_by_label("Titel Ihrer Idee").fill("Bürgerbus für die Dörfer um Peitz")
    page.get_by_label("Beschreibung").fill("Ein Rufbus am Abend.\nFür Jugendliche und Ältere.")
    page.get_by_label("Gemeinde").select_option(label="Cottbus/Chóśebuz")
    page.locator("#idea-map").click()
    expect(page.locator("#idea-map-status")).to_contain_text("Gewählter Punkt: ")
    assert page.locator("input[name=latitude]").input_value() != ""
    page.get_by_label("Ihre E-Mail-Adresse").fill("anna@example.org")
    page.get_by_role("button", name="Idee einreichen").click()

    expect(page.locator("h1")).to_have_text("Fast geschafft – bitte bestätigen Sie Ihre E-Mail-Adresse")
    axe(page)
    idea = Idea.objects.get()
    assert idea.confirmed_at is None and idea.municipality == places["cottbus"] and idea.latitude is not None

    assert run_jobs() == 1
    (message,) = mailoutbox
    plain, _html = parts(message)
    assert "Bürgerbus für die Dörfer um Peitz" in plain
    page.goto(live_server.url + confirm_link(message))
    expect(page.locator("h1")).to_have_text("E-Mail-Adresse bestätigen")
    axe(page)
    page.get_by_role("button", name="Jetzt bestätigen").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Idee „Bürgerbus für die Dörfer um Peitz“ ist bestätigt.")
    axe(page)
    idea.refresh_from_db()
    assert idea.confirmed_at is not None

    page.get_by_role("link", name="Weiter").click()
    expect(page.locator("h1")).to_have_text("Idee eingegangen")
    expect(page.get_by_role("status")).to_contain_text("Eingegangen – die Geschäftsstelle sichtet Ihre Idee")
    axe(page)
    # Maps, fonts and scripts come from this server only.
    assert all(url.startswith(live_server.url) for url in requested), [
        url for url in requested if not url.startswith(live_server.url)
    ]


def test_young_people_submit_with_the_simple_form(workshop4, places, live_server, page: Page, axe):
    page.goto(live_server.url + reverse("participation:idea-create-young"))
    expect(page.locator("h1")).to_have_text("Deine Idee für die Lausitz")
    axe(page)
    page.get_by_label("Zu welchem Thema passt deine Idee?").select_option(str(workshop4.pk))
    page.get_by_label("Wie heißt deine Idee?").fill("Skaterpark")
    page.get_by_label("Was ist deine Idee?").fill("Ein Skaterpark am See.")
    page.get_by_label("Wo soll das sein?").select_option(label="Spremberg/Grodk")
    page.get_by_role("button", name="Idee abschicken").click()
    # The address is missing: the error summary says so in du-form and links to the field.
    expect(page.get_by_role("alert")).to_contain_text("Bitte gib deine E-Mail-Adresse an.")
    axe(page)
    page.get_by_label("Deine E-Mail-Adresse").fill("kim@example.org")
    page.get_by_role("button", name="Idee abschicken").click()
    expect(page.locator("h1")).to_have_text("Fast geschafft – bitte bestätige deine E-Mail-Adresse")
    axe(page)
    assert Idea.objects.get().by_young_person


def test_idea_list_and_page_and_the_office_pages_pass_axe(workshop4, places, office_user, live_server, page: Page, axe):
    participant = Participant.objects.create(email="anna@example.org")
    project = ProjectFactory(title="Solardach Grundschule", lead_workshop=workshop4)
    answered = Idea.objects.create(
        workshop=workshop4,
        title="Solardach für die Grundschule",
        description="Strom für die Schule.\nUnd Unterricht dazu.",
        municipality=places["cottbus"],
        participant=participant,
        confirmed_at=timezone.now(),
        status=IdeaStatus.PROJECT,
        answer="Wir nehmen die Idee als Projektidee auf.",
        answered_at=timezone.now(),
        project=project,
    )
    new = Idea.objects.create(
        workshop=workshop4, title="Neue Idee", description="Text", participant=participant, confirmed_at=timezone.now()
    )

    page.goto(live_server.url + reverse("participation:idea-list"))
    expect(page.locator("h1")).to_have_text("Ideen aus der Öffentlichkeit")
    expect(page.get_by_role("heading", name="1 Idee")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Solardach für die Grundschule").click()
    expect(page.locator("h1")).to_have_text("Solardach für die Grundschule")
    expect(page.get_by_role("link", name="Solardach Grundschule")).to_be_visible()
    axe(page)

    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Benutzername").fill(office_user.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Arbeitsbereich")
    page.get_by_role("link", name=re.compile(r"Ideen aus der Öffentlichkeit \(1 neu\)")).click()
    expect(page.locator("h1")).to_have_text("Ideen aus der Öffentlichkeit")
    axe(page)
    page.get_by_role("link", name="Neue Idee").click()
    expect(page.locator("h1")).to_have_text("Neue Idee")
    for summary in page.locator("details summary").all():
        summary.click()  # open every step, so axe checks the forms too
    axe(page)
    page.get_by_label("Antwort an die Einsenderin oder den Einsender").fill("Danke, wir prüfen das.")
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_role("status").first).to_contain_text("Die Idee ist jetzt „beantwortet“.")
    axe(page)
    page.goto(live_server.url + reverse("office:idea-detail", args=[answered.pk]))
    axe(page)
    new.refresh_from_db()
    assert new.status == IdeaStatus.ANSWERED
