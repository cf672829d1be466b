"""The published documents of a session, stored once: the minutes PDF when they are published (a new version
with each erratum), the agenda PDF of an invitation (a new version with each changed invitation).

The PDFs are read back with pdfplumber, the checksums recomputed from the stored bytes, the downloads compared
byte for byte. The commit is simulated with ``django_capture_on_commit_callbacks(execute=True)``, which runs
what would run after a real commit; a rolled-back write (the import's dry run) schedules nothing.
"""

import datetime as dt
import hashlib
import logging
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import MembershipFactory, PersonFactory
from tests.pages import count_queries, visible_text
from tests.test_minutes_import import document, imported, register, session_16  # noqa: F401 - register: fixture
from werkstatt.documents.models import File
from werkstatt.exports.minutes import export_filename
from werkstatt.importers.minutes.report import NEW, UPDATED
from werkstatt.meetings import services
from werkstatt.meetings.models import AgendaItem, Meeting
from werkstatt.meetings.selectors import meeting_get_for_user
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.organizations.models import MembershipRole, Workshop
from werkstatt.participation.models import Event

pytestmark = pytest.mark.django_db

PUBLIC_RESULT = "Die Werkstatt empfiehlt die Förderung des Radwegs nach Lübbenau."
INTERNAL_TITLE = "Personalangelegenheit der Geschäftsstelle"
ARCHIVE_LOGGER = "werkstatt.meetings.services.documents"


# --- helpers ------------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    with pdfplumber.open(BytesIO(content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def stored_bytes(document: File) -> bytes:
    with document.file.open("rb") as stream:
        return bytes(stream.read())


def held_session(workshop: Workshop, *, number: int = 17, date: dt.date = dt.date(2024, 3, 20)) -> Meeting:
    """A held session with a public item (with a result) and a non-public one; its minutes approved."""
    meeting = services.meeting_create(actor=None, workshop=workshop, number=number, date=date, start_time=dt.time(14))
    services.meeting_transition(actor=None, meeting=meeting, target=MeetingState.HELD)
    services.agenda_item_create(
        actor=None, meeting=meeting, number="1", title="Radweg Lübbenau", result=f"<p>{PUBLIC_RESULT}</p>"
    )
    services.agenda_item_create(
        actor=None, meeting=meeting, number="2", title=INTERNAL_TITLE, result="<p>Vertraulich.</p>", public=False
    )
    for step in (MinutesState.CIRCULATED, MinutesState.APPROVED):
        services.meeting_minutes_transition(actor=None, meeting=meeting, target=step)
    return meeting


def published(meeting: Meeting, actor: Any, capture: Any) -> Meeting:
    with capture(execute=True):
        services.minutes_publish(actor=actor, meeting=meeting)
    return Meeting.objects.select_related("minutes_document").get(pk=meeting.pk)


def shown_size(stored: File) -> str:
    """The size as a page shows it, with the page text's spaces folded (filesizeformat puts a no-break space)."""
    return filesizeformat(stored.size).replace("\xa0", " ")


def future(days: int = 30) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def planned_session(workshop: Workshop, *, internal_item: bool = False) -> Meeting:
    """A planned session with the standing agenda (its status report is not made: nothing here commits)."""
    meeting = services.meeting_plan(
        actor=None, workshop=workshop, number=17, date=future(), start_time=dt.time(14, 10), end_time=dt.time(16, 30)
    )
    if internal_item:
        services.agenda_item_add(actor=None, meeting=meeting, number="5", title=INTERNAL_TITLE, public=False)
    return meeting


def update_args(meeting: Meeting, **changes: Any) -> dict[str, Any]:
    values = {
        "date": meeting.date,
        "start_time": meeting.start_time,
        "end_time": meeting.end_time,
        "location": meeting.location,
        "chair": None,
        "chair_function": "",
        "minute_taker": None,
        "minute_taker_function": "",
    }
    return {**values, **changes}


@pytest.fixture
def members(workshop4: Any) -> list[str]:
    addresses = [f"mitglied{n}@example.org" for n in range(2)]
    for address, role in zip(addresses, [MembershipRole.SPEAKER, MembershipRole.DELEGATE], strict=True):
        MembershipFactory(person=PersonFactory(body=workshop4.body, email=address), workshop=workshop4, role=role)
    return addresses


# --- minutes ------------------------------------------------------------------------------------------


def test_publishing_stores_the_public_minutes_as_a_pdf_with_checksum_and_text(
    workshop4, office_user, django_capture_on_commit_callbacks
):
    meeting = published(held_session(workshop4), office_user, django_capture_on_commit_callbacks)
    stored = meeting.minutes_document
    assert stored is not None
    content = stored_bytes(stored)
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert "17. Sitzung der Werkstatt 4" in text
    assert PUBLIC_RESULT in " ".join(text.split())
    assert INTERNAL_TITLE not in text  # what the public sees: the non-public item is left out
    assert stored.sha512 == hashlib.sha512(content).hexdigest()
    assert stored.size == len(content)
    assert (stored.public, stored.mime_type) == (True, "application/pdf")
    assert stored.file_name == "2024-03-20_Werkstatt-4_17-Sitzung_Ergebnisprotokoll.pdf"
    assert stored.file_name == export_filename(meeting, "Ergebnisprotokoll", "pdf")
    assert stored.name == "Ergebnisprotokoll – 17. Sitzung der Werkstatt 4"
    assert "Radweg Lübbenau" in stored.text and PUBLIC_RESULT in " ".join(stored.text.split())
    latest = meeting.history.latest()
    assert (latest.history_change_reason, latest.history_user, latest.minutes_document_id) == (
        "Veröffentlichtes Ergebnisprotokoll archiviert",
        office_user,
        stored.pk,
    )
    assert (stored.history.get().history_user, meeting.minutes_state) == (office_user, MinutesState.PUBLISHED)
    with pytest.raises(ProtectedError):  # the published file is not deleted by accident
        stored.delete()


def test_nothing_is_stored_before_the_commit_or_before_publication(workshop4, django_capture_on_commit_callbacks):
    meeting = held_session(workshop4)  # approved, not published: no document
    with django_capture_on_commit_callbacks() as callbacks:
        services.minutes_publish(actor=None, meeting=meeting)
    meeting.refresh_from_db()
    # Two callbacks wait for the commit: the archiving of the PDF and the subscribers' event of the publication.
    assert (meeting.minutes_state, meeting.minutes_document, len(callbacks)) == (MinutesState.PUBLISHED, None, 2)
    assert Event.objects.filter(key=f"minutes:{meeting.pk}").exists()
    assert not File.objects.exists()


def test_the_download_is_the_stored_file_byte_for_byte_every_time(
    workshop4, office_user, client, django_capture_on_commit_callbacks
):
    meeting = published(held_session(workshop4), office_user, django_capture_on_commit_callbacks)
    url = reverse("exports:minutes-pdf", args=[meeting.pk])
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content == stored_bytes(meeting.minutes_document)
    assert hashlib.sha512(first.content).hexdigest() == meeting.minutes_document.sha512
    assert (
        first["Content-Disposition"] == 'attachment; filename="2024-03-20_Werkstatt-4_17-Sitzung_Ergebnisprotokoll.pdf"'
    )
    # The office sees the non-public item too: its download is rendered for it, not the public file.
    client.force_login(office_user)
    internal = client.get(url).content
    assert internal != first.content
    assert INTERNAL_TITLE in pdf_text(internal)


def test_without_a_stored_document_the_download_is_rendered(workshop4, client, django_capture_on_commit_callbacks):
    meeting = held_session(workshop4)
    services.minutes_publish(actor=None, meeting=meeting)  # not committed: no document
    response = client.get(reverse("exports:minutes-pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert "17. Sitzung der Werkstatt 4" in pdf_text(response.content)


def test_a_damaged_stored_file_is_never_handed_out(workshop4, client, django_capture_on_commit_callbacks, caplog):
    meeting = published(held_session(workshop4), None, django_capture_on_commit_callbacks)
    Path(meeting.minutes_document.file.path).write_bytes(b"%PDF-1.7 not the published file")
    with caplog.at_level(logging.ERROR, logger="werkstatt.documents.selectors"):
        response = client.get(reverse("exports:minutes-pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert "17. Sitzung der Werkstatt 4" in pdf_text(response.content)  # rendered instead
    assert "stimmt nicht mit ihrer Prüfsumme überein" in caplog.text


def test_an_erratum_stores_a_new_version_and_keeps_the_old_one(
    workshop4, office_user, django_capture_on_commit_callbacks
):
    meeting = published(held_session(workshop4), office_user, django_capture_on_commit_callbacks)
    first = meeting.minutes_document
    first_bytes = stored_bytes(first)
    correction = "Statt Lübbenau muss es Lübben heißen."
    item = AgendaItem.objects.get(meeting=meeting, number="1")
    with django_capture_on_commit_callbacks(execute=True):
        services.erratum_add(actor=office_user, meeting=meeting, text=correction, agenda_item=item)
    meeting.refresh_from_db()
    second = meeting.minutes_document
    assert second.pk != first.pk
    assert correction in " ".join(second.text.split())
    assert correction in " ".join(pdf_text(stored_bytes(second)).split())
    assert "Berichtigungen" in second.text
    assert second.name == "Ergebnisprotokoll – 17. Sitzung der Werkstatt 4, mit 1 Berichtigung"
    # The first version is still there, unchanged, and the history points to both.
    first.refresh_from_db()
    assert stored_bytes(first) == first_bytes and hashlib.sha512(first_bytes).hexdigest() == first.sha512
    assert correction not in first.text
    history = list(meeting.history.order_by("history_date").values_list("minutes_document_id", flat=True))
    assert [pk for pk in dict.fromkeys(history) if pk] == [first.pk, second.pk]
    assert meeting.history.latest().history_change_reason == "Ergebnisprotokoll mit Berichtigung neu archiviert"


def test_the_word_minutes_end_with_the_errata_too(workshop4, office_user):
    import docx

    from werkstatt.exports.minutes import minutes_docx

    meeting = held_session(workshop4)
    services.minutes_publish(actor=office_user, meeting=meeting)
    services.erratum_add(actor=office_user, meeting=meeting, text="<p>Lübben statt Lübbenau.</p>")
    word = docx.Document(BytesIO(minutes_docx(meeting_get_for_user(AnonymousUser(), meeting.pk))))
    lines = [paragraph.text for paragraph in word.paragraphs]
    assert lines[-4:-1] == [
        "Berichtigungen",
        "Das bestätigte Protokoll bleibt unverändert; diese Berichtigungen wurden nachträglich vermerkt.",
        f"Berichtigung vom {timezone.localdate():%d.%m.%Y}",
    ]
    assert lines[-1] == "Lübben statt Lübbenau."


def test_an_erratum_the_public_does_not_see_adds_no_version(workshop4, office_user, django_capture_on_commit_callbacks):
    meeting = published(held_session(workshop4), office_user, django_capture_on_commit_callbacks)
    internal_item = AgendaItem.objects.get(meeting=meeting, number="2")
    with django_capture_on_commit_callbacks(execute=True):
        services.erratum_add(
            actor=office_user, meeting=meeting, text="Nur intern berichtigt.", agenda_item=internal_item
        )
    assert File.objects.count() == 1
    assert Meeting.objects.get(pk=meeting.pk).minutes_document_id == meeting.minutes_document_id


def test_an_erratum_to_approved_minutes_comes_with_their_publication(
    workshop4, office_user, django_capture_on_commit_callbacks
):
    meeting = held_session(workshop4)
    with django_capture_on_commit_callbacks(execute=True):
        services.erratum_add(actor=office_user, meeting=meeting, text="Nachtrag vor der Veröffentlichung.")
    assert not File.objects.exists()  # not published yet: nothing to store
    meeting = published(meeting, office_user, django_capture_on_commit_callbacks)
    assert "Nachtrag vor der Veröffentlichung." in meeting.minutes_document.text


def test_a_failed_render_is_logged_and_the_publication_stands(
    workshop4, office_user, settings, tmp_path, caplog, django_capture_on_commit_callbacks
):
    """A real failure: the print fonts are missing on the server (node_modules gone, no collectstatic)."""
    from werkstatt.exports import pdf

    meeting = held_session(workshop4)
    static_dirs, static_root = settings.STATICFILES_DIRS, settings.STATIC_ROOT
    settings.STATICFILES_DIRS = [entry for entry in static_dirs if entry[0] != "kern"]
    settings.STATIC_ROOT = str(tmp_path / "leer")
    pdf._print_css.cache_clear()
    try:
        with caplog.at_level(logging.ERROR, logger=ARCHIVE_LOGGER), django_capture_on_commit_callbacks(execute=True):
            services.minutes_publish(actor=office_user, meeting=meeting)
    finally:
        pdf._print_css.cache_clear()
    meeting.refresh_from_db()
    assert (meeting.minutes_state, meeting.minutes_document) == (MinutesState.PUBLISHED, None)
    assert not File.objects.exists()
    (record,) = [r for r in caplog.records if r.name == ARCHIVE_LOGGER]
    assert record.getMessage() == (
        f"Ergebnisprotokoll der Sitzung {meeting.pk} konnte nicht als PDF archiviert werden; "
        f"nachholen mit: bin/werkstatt archive-documents --meeting {meeting.pk}"
    )
    assert "npm-Pakete installieren (npm ci) oder collectstatic ausführen" in str(record.exc_text)
    # With the fonts back, the command catches up.
    settings.STATICFILES_DIRS, settings.STATIC_ROOT = static_dirs, static_root
    assert run("--meeting", str(meeting.pk)).endswith("1 Dokument gespeichert.\n")
    meeting.refresh_from_db()
    assert meeting.minutes_document is not None


# --- invitations --------------------------------------------------------------------------------------


def test_an_invitation_stores_the_agenda_and_mails_the_same_bytes(
    workshop4, office_user, members, django_capture_on_commit_callbacks
):
    meeting = planned_session(workshop4)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=office_user, meeting=meeting)
    meeting.refresh_from_db()
    stored = meeting.invitation_document
    assert stored is not None
    content = stored_bytes(stored)
    text = pdf_text(content)
    assert "TAGESORDNUNG" in text and "Aktueller Sachstand der Projekte der Werkstatt 4" in text
    assert stored.sha512 == hashlib.sha512(content).hexdigest()
    assert stored.public and stored.text
    assert stored.name == "Einladung mit Tagesordnung – 17. Sitzung der Werkstatt 4"
    assert meeting.history.latest().history_change_reason == "Einladung mit Tagesordnung archiviert"
    (message,) = mail.outbox
    ((name, attached, mime),) = [a for a in message.attachments if isinstance(a, tuple)]
    assert (name, mime) == (stored.file_name, "application/pdf")
    assert attached == content  # the members got exactly the published agenda


def test_members_get_their_own_agenda_when_it_has_internal_items(
    workshop4, office_user, members, django_capture_on_commit_callbacks
):
    meeting = planned_session(workshop4, internal_item=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=office_user, meeting=meeting)
    meeting.refresh_from_db()
    assert INTERNAL_TITLE not in pdf_text(stored_bytes(meeting.invitation_document))
    (message,) = mail.outbox
    ((_name, attached, _mime),) = [a for a in message.attachments if isinstance(a, tuple)]
    assert INTERNAL_TITLE in pdf_text(attached)


def test_a_changed_invitation_stores_a_new_version_and_cancelling_keeps_it(
    workshop4, office_user, client, django_capture_on_commit_callbacks
):
    meeting = planned_session(workshop4)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=office_user, meeting=meeting)
    meeting.refresh_from_db()
    first = meeting.invitation_document
    new_date = future(31)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(actor=office_user, meeting=meeting, **update_args(meeting, date=new_date))
    meeting.refresh_from_db()
    second = meeting.invitation_document
    assert second.pk != first.pk and File.objects.filter(pk=first.pk).exists()
    assert f"{new_date:%d.%m.%Y}" in second.text and f"{new_date:%d.%m.%Y}" not in first.text
    assert second.name == "Geänderte Einladung mit Tagesordnung – 17. Sitzung der Werkstatt 4"
    assert meeting.history.latest().history_change_reason == "Geänderte Einladung archiviert"
    # The public agenda download is the stored one while the session is invited.
    url = reverse("exports:agenda-pdf", args=[meeting.pk])
    assert client.get(url).content == client.get(url).content == stored_bytes(second)
    # A change that no invited person sees (no update is sent) stores nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(actor=office_user, meeting=meeting, **update_args(meeting, chair_function="neu"))
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=office_user, meeting=meeting)
    meeting.refresh_from_db()
    assert (meeting.state, meeting.invitation_document_id) == (MeetingState.CANCELLED, second.pk)
    assert File.objects.count() == 2


# --- the import -----------------------------------------------------------------------------------------


def test_the_import_dry_run_stores_no_document_and_the_import_does(register, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        preview = imported(dry_run=True)
    assert (preview.outcome, callbacks) == (NEW, [])
    assert not Meeting.objects.filter(number=16).exists()
    assert not File.objects.filter(mime_type="application/pdf").exists()
    with django_capture_on_commit_callbacks(execute=True):
        report = imported()
    meeting = Meeting.objects.get(pk=report.meeting_pk)
    assert meeting.minutes_state == MinutesState.PUBLISHED
    stored = meeting.minutes_document
    assert stored is not None and "Insgesamt 72 Projekte wurden seit März 2021" in stored.text
    assert meeting.history.latest().history_change_reason == "Veröffentlichtes Ergebnisprotokoll archiviert"
    # A corrected version: a new document with the correction, the first one kept.
    parsed = session_16()
    parsed.items[-1].result = "<ul><li>Herr Guntermann nennt den 17.04.2024 als nächsten Termin.</li></ul>"
    with django_capture_on_commit_callbacks(execute=True):
        corrected = imported(parsed, doc=document("korrigiert\n", "protokoll-16-korrigiert.txt"))
    assert corrected.outcome == UPDATED
    meeting.refresh_from_db()
    assert meeting.minutes_document_id != stored.pk and File.objects.filter(pk=stored.pk).exists()
    assert "17.04.2024 als nächsten Termin" in meeting.minutes_document.text
    assert (
        meeting.history.latest().history_change_reason == "Korrigierte Fassung importiert: protokoll-16-korrigiert.txt"
    )


# --- the command ------------------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command("archive_documents", *args, stdout=out)
    return out.getvalue()


def test_the_command_stores_what_is_missing_once(demo, row_counts, client):
    session_16 = Meeting.objects.get(workshop__number=4, number=16)
    assert session_16.minutes_document is None  # loaded inside the test's transaction: nothing committed
    output = run()
    session_16.refresh_from_db()
    stored = session_16.minutes_document
    assert output.splitlines() == [
        "Ergebnisprotokoll der 16. Sitzung der Werkstatt 4 gespeichert: "
        f"2024-01-24_Werkstatt-4_16-Sitzung_Ergebnisprotokoll.pdf, {filesizeformat(stored.size)}, "
        f"SHA-512 {stored.sha512[:16]}…",
        "1 Dokument gespeichert.",
    ]
    assert session_16.history.latest().history_change_reason == "Nachträglich archiviert"
    assert "Insgesamt 72 Projekte wurden seit März 2021 durch die IMAG bestätigt." in " ".join(stored.text.split())
    before = row_counts()
    assert run() == "Alle veröffentlichten Protokolle und Einladungen sind bereits gespeichert; nichts geändert.\n"
    session_15 = Meeting.objects.get(workshop__number=4, number=15)
    assert run("--meeting", str(session_15.pk)) == (
        "Für die 15. Sitzung der Werkstatt 4 fehlt kein Dokument; nichts geändert.\n"
    )
    assert row_counts() == before
    with pytest.raises(CommandError, match="Eine Sitzung mit der Nummer 999999 gibt es nicht"):
        run("--meeting", "999999")
    with pytest.raises(CommandError, match="Einen Benutzer „niemand“ gibt es nicht"):
        run("--user", "niemand")


def test_the_command_stores_the_invitation_of_an_invited_session(workshop4, office_user):
    meeting = planned_session(workshop4)
    services.meeting_invite(actor=office_user, meeting=meeting)  # not committed: no document, no mail
    output = run("--meeting", str(meeting.pk), "--user", office_user.username)
    meeting.refresh_from_db()
    assert output.startswith("Einladung der 17. Sitzung der Werkstatt 4 gespeichert: ")
    assert meeting.invitation_document is not None
    assert meeting.history.latest().history_user == office_user


def test_load_demo_leaves_the_published_minutes_stored(db):
    out = StringIO()
    call_command("load_demo", "--no-login", stdout=out)
    session_16 = Meeting.objects.get(workshop__number=4, number=16)
    assert session_16.minutes_document is not None
    assert "Ergebnisprotokoll der 16. Sitzung der Werkstatt 4 als PDF gespeichert." in out.getvalue()
    assert Meeting.objects.get(workshop__number=4, number=15).minutes_document is None  # approved, not published


# --- pages ------------------------------------------------------------------------------------------------


def test_the_session_page_shows_size_and_checksum_without_more_queries(
    workshop4, client, django_capture_on_commit_callbacks
):
    meeting = held_session(workshop4)
    services.minutes_publish(actor=None, meeting=meeting)
    url = reverse("portal:meeting-detail", args=[meeting.pk])
    without = count_queries(client, url)
    assert "SHA-512" not in client.get(url).content.decode()
    run()
    meeting.refresh_from_db()
    stored = meeting.minutes_document
    assert count_queries(client, url) == without
    html = client.get(url).content.decode()
    text = visible_text(html)
    assert f"Ergebnisprotokoll als PDF (PDF, {shown_size(stored)})" in text
    assert f"SHA-512-Prüfsumme: {stored.sha512[:16]}…" in text
    assert f'<code class="checksum">{stored.sha512}</code>' in html


def test_the_office_session_page_shows_both_documents(
    workshop4, office_user, client, django_capture_on_commit_callbacks
):
    meeting = planned_session(workshop4)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=office_user, meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(date=dt.date(2024, 3, 20))  # it took place
    meeting = Meeting.objects.get(pk=meeting.pk)
    services.meeting_mark_held(actor=office_user, meeting=meeting)
    for step in (MinutesState.CIRCULATED, MinutesState.APPROVED):
        services.meeting_minutes_transition(actor=office_user, meeting=meeting, target=step)
    meeting = published(meeting, office_user, django_capture_on_commit_callbacks)
    client.force_login(office_user)
    url = reverse("office:meeting-detail", args=[meeting.pk])
    html = client.get(url).content.decode()
    text = visible_text(html)
    for label, stored in (
        ("Einladung mit Tagesordnung", meeting.invitation_document),
        ("Ergebnisprotokoll", meeting.minutes_document),
    ):
        assert f"{label}: {stored.name} · {shown_size(stored)} · gespeichert am " in text
        assert f"SHA-512: {stored.sha512}" in text
        assert reverse("office:file-download", args=[stored.pk]) in html
        response = client.get(reverse("office:file-download", args=[stored.pk]))
        assert b"".join(response.streaming_content) == stored_bytes(stored)


def test_a_speaker_downloads_the_stored_documents_from_the_office_page(
    workshop4, speaker_w4, django_capture_on_commit_callbacks
):
    meeting = published(held_session(workshop4), None, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(speaker_w4)
    response = client.get(reverse("office:file-download", args=[meeting.minutes_document_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored_bytes(meeting.minutes_document)


def test_public_page_of_the_invited_session_offers_the_stored_agenda(
    workshop4, office_user, client, django_capture_on_commit_callbacks
):
    meeting = planned_session(workshop4)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=office_user, meeting=meeting)
    page = meeting_get_for_user(AnonymousUser(), meeting.pk)
    stored = page.published_invitation
    assert stored is not None
    text = visible_text(client.get(reverse("portal:meeting-detail", args=[meeting.pk])).content.decode())
    assert f"Tagesordnung als PDF (PDF, {shown_size(stored)}) SHA-512-Prüfsumme: {stored.sha512[:16]}…" in text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_session_pages_with_stored_documents_pass_axe(demo, office_user, live_server, page: Page, axe):
    """The demo load commits here, so session 16 has its stored minutes; the details are opened for axe."""
    session = Meeting.objects.get(workshop__number=4, number=16)
    assert session.minutes_document is not None
    page.goto(live_server.url + reverse("portal:meeting-detail", args=[session.pk]))
    page.get_by_text("SHA-512-Prüfsumme").click()
    expect(page.locator("code.checksum")).to_have_text(session.minutes_document.sha512)
    axe(page)
    from tests.test_office_browser import log_in

    log_in(page, live_server.url, office_user.username)
    page.goto(live_server.url + reverse("office:meeting-detail", args=[session.pk]))
    expect(page.get_by_role("heading", name="Veröffentlichte Fassungen")).to_be_visible()
    axe(page)
