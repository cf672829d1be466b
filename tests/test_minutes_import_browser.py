"""The minutes import in a real browser: the office uploads the seed document, reads the preview beside
the source text, imports it by keyboard and lands on the success message; axe finds nothing on the pages."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.workflow import MinutesState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(settings.BASE_DIR) / "werkstatt" / "demo" / "seeds" / "003_bc30d92c6853b0cf.txt"


def _log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + reverse("login"))
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Arbeitsbereich")


def _tab_to(page: Page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element is the first button or link whose text starts with ``name``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => (document.activeElement.innerText || '').trim()").startswith(name):
            return
    raise AssertionError(f"„{name}“ ist per Tastatur nicht erreichbar.")


def test_upload_preview_and_import_by_keyboard(workshop4, office_user, live_server, page: Page, axe, tmp_path):
    _log_in(page, live_server.url, office_user.username)
    page.get_by_role("link", name="Protokolle importieren").click()
    expect(page.locator("h1")).to_have_text("Protokolle importieren")
    axe(page)

    # Form errors are announced and accessible.
    page.get_by_role("button", name="Hochladen und prüfen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte wählen Sie mindestens eine Datei aus.")
    axe(page)

    broken = tmp_path / "kaputt.docx"
    broken.write_bytes(b"PK\x03\x04 no Word document")
    page.get_by_label("Protokolle").set_input_files([SEED, broken])
    page.get_by_label("Werkstatt").select_option(label="– aus dem Protokoll erkennen –")
    page.get_by_role("button", name="Hochladen und prüfen").click()
    expect(page.locator("h1")).to_have_text("Vorschau des Imports")
    expect(page.get_by_text("2 Dokumente geprüft, noch nichts gespeichert.")).to_be_visible()
    seed_section = page.locator(".import-document").filter(has_text=SEED.name)
    expect(
        seed_section.get_by_text("24.01.2024, 14:10 Uhr – 16:30 Uhr", exact=True)
    ).to_be_hidden()  # collapsed for many
    seed_section.get_by_text("Erkannte Struktur neben dem Text der Datei").click()
    expect(seed_section.get_by_text("24.01.2024, 14:10 Uhr – 16:30 Uhr", exact=True)).to_be_visible()
    expect(seed_section.locator(".source-lines")).to_contain_text("ERGEBNISPROTOKOLL")
    axe(page)

    _tab_to(page, "Importieren")
    page.keyboard.press("Enter")
    # The answer comes after the published minutes were archived as PDF (rendered after the commit): allow for it.
    expect(page.get_by_role("status").first).to_contain_text("16. Sitzung der Werkstatt 4 neu angelegt", timeout=30_000)
    meeting = Meeting.objects.get(workshop=workshop4, number=16)
    assert meeting.minutes_state == MinutesState.PUBLISHED
    # The refused file stays with its error; the page still passes axe.
    expect(page.get_by_text("1 Dokument geprüft, noch nichts gespeichert.")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="16. Sitzung der Werkstatt 4 öffnen").click()
    expect(page).to_have_url(live_server.url + reverse("office:meeting-detail", args=[meeting.pk]))
    # The session page names the document it was imported from, with its checksum.
    expect(page.get_by_role("heading", name="Importiert aus")).to_be_visible()
    source = page.locator("li").filter(has=page.get_by_role("link", name=SEED.name))
    expect(source.locator(".checksum")).to_have_count(1)
    # Beside it: the archived PDF of the published minutes, with its own checksum.
    expect(page.locator(".checksum")).to_have_count(2)
    axe(page)
