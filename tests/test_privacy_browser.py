"""Privacy in a real browser: every request of the public pages and of "Meine Daten" goes to the site itself
(no fonts, maps or scripts from elsewhere), axe finds nothing on the participation's privacy pages, and a person
deletes all their data by the link in the mail."""

import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.pages import demo_page_urls
from werkstatt.organizations.models import Workshop
from werkstatt.participation.models import Idea, Participant, Subscription, SubscriptionTopic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = "lena.lausitz@example.org"
MYDATA_LINK = re.compile(r"https?://\S+?(/mitmachen/meine-daten/[^/\s]+/)")


def _someone(workshop: Any) -> Participant:
    participant = Participant.objects.create(email=ADDRESS, confirmed_at=timezone.now())
    idea = Idea.objects.create(
        workshop=workshop,
        title="Ein Jugendclub für Lübbenau",
        description="Mit Werkstatt und Bandraum.",
        participant=participant,
        confirmed_at=timezone.now(),
        by_young_person=True,
        attachment_name="skizze.pdf",
    )
    idea.attachment.save("skizze.pdf", ContentFile(b"%PDF-1.4 skizze"), save=True)
    Subscription.objects.create(participant=participant, topic=SubscriptionTopic.NEWS, confirmed_at=timezone.now())
    return participant


def test_a_person_sees_and_deletes_their_data_and_no_page_asks_another_server(
    demo, live_server, page: Page, axe, run_jobs, mailoutbox
):
    participant = _someone(Workshop.objects.get(number=4))
    file_name = Idea.objects.get(participant=participant).attachment.name
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    base = live_server.url

    for url in (
        demo_page_urls()["home"],
        demo_page_urls()["project-detail"],
        demo_page_urls()["meeting-detail"],
    ):
        page.goto(base + url)
        expect(page.locator("h1")).to_have_count(1)
    page.goto(base + reverse("portal:map"))
    expect(page.locator("#karte")).to_have_attribute("data-state", "ready")

    run_jobs()  # the demo's own events, told to nobody: no subscriber yet
    mailoutbox.clear()

    # From the home page to "Mitmachen" and the privacy page, by the navigation and the footer.
    page.goto(base + "/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Mitmachen").click()
    expect(page.locator("h1")).to_have_text("Mitmachen")
    axe(page)
    page.get_by_role("contentinfo").get_by_role("link", name="Datenschutz").click()
    expect(page.locator("h1")).to_have_text("Datenschutzerklärung der Beteiligung")
    expect(page.locator("[data-model='participant'] [data-field='email'] th")).to_have_text("E-Mail-Adresse")
    axe(page)

    # "Meine Daten": the request, the answer, the mail, the link.
    page.get_by_role("contentinfo").get_by_role("link", name="Meine Daten").click()
    expect(page.locator("h1")).to_have_text("Meine Daten")
    axe(page)
    page.get_by_label("Ihre E-Mail-Adresse").fill(ADDRESS.upper())
    page.get_by_role("button", name="Link anfordern").click()
    expect(page.locator("h1")).to_have_text("Bitte sehen Sie in Ihr Postfach")
    axe(page)
    assert run_jobs() == 1
    [message] = mailoutbox
    [path] = MYDATA_LINK.findall(message.body)
    page.goto(base + path)
    expect(page.locator("h1")).to_have_text("Meine Daten")
    expect(page.get_by_text(ADDRESS, exact=True)).to_be_visible()
    expect(page.get_by_text("Ein Jugendclub für Lübbenau")).to_be_visible()
    axe(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Alle Daten als JSON-Datei herunterladen").click()
    assert download.value.suggested_filename == "meine-daten-werkstatt.json"

    page.get_by_role("link", name="Alle Daten löschen").click()
    expect(page.locator("h1")).to_have_text("Alle Daten löschen")
    axe(page)
    page.get_by_role("button", name="Jetzt endgültig löschen").click()
    expect(page.locator("h1")).to_have_text("Ihre Daten sind gelöscht")
    axe(page)
    assert not Participant.objects.filter(email=ADDRESS).exists()
    assert not Idea.objects.exists()
    assert not default_storage.exists(file_name)

    page.goto(base + path)
    expect(page.get_by_text("Zu diesem Link sind keine Daten mehr gespeichert.")).to_be_visible()
    axe(page)

    foreign = [url for url in requested if not url.startswith(base + "/")]
    assert foreign == []
    assert len(requested) > 20
