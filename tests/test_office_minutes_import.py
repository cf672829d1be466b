"""The office's import of legacy minutes: upload many files, preview each (a dry run beside the source
text), import one or all, discard; only the uploading office user sees the pending files; German messages
for what cannot be taken; a fixed number of queries per previewed document."""

import datetime as dt
import hashlib
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import WorkshopFactory
from tests.minutes_docs import docx_tables, sample_session
from tests.pages import count_queries, visible_text
from werkstatt.accounts.models import Role
from werkstatt.accounts.services import user_create_or_reset
from werkstatt.importers.minutes.pending import MAX_AGE, PREFIX, PendingStore
from werkstatt.importers.minutes.services import minutes_import
from werkstatt.importers.models import MinutesSource
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.workflow import MinutesState

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "werkstatt" / "demo" / "seeds" / "003_bc30d92c6853b0cf.txt"
UPLOAD = reverse("office:minutes-import")
PREVIEW = reverse("office:minutes-import-preview")
COMMIT = reverse("office:minutes-import-commit")
DISCARD = reverse("office:minutes-import-discard")


def seed() -> bytes:
    return SEED.read_bytes()


def seed_with(old: str, new: str) -> bytes:
    text = SEED.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


def word_minutes() -> bytes:
    """A Word document with tables, lists and sub-items (python-docx): the 12th session of Werkstatt 3."""
    return docx_tables(sample_session())


BROKEN = b"PK\x03\x04 this is no Word document at all"


def _upload(client: Client, *files: tuple[str, bytes], workshop: str = "", follow: bool = True) -> Any:
    uploads = [SimpleUploadedFile(name, content) for name, content in files]
    return client.post(UPLOAD, {"dateien": uploads, "workshop": workshop}, follow=follow)


def _text(response: Any) -> str:
    return visible_text(response.content.decode())


def _pending_files(user: Any) -> list[str]:
    """The stored pending files of ``user``, as storage paths."""
    root = f"{PREFIX}/{user.pk}"
    if not default_storage.exists(root):
        return []
    return sorted(
        f"{root}/{token}/{name}"
        for token in default_storage.listdir(root)[0]
        for name in default_storage.listdir(f"{root}/{token}")[1]
    )


def _tokens(response: Any) -> list[str]:
    """The tokens of the documents on the preview page, in page order."""
    return re.findall(
        r'name="token" value="([^"]+)"><button type="submit" class="kern-btn kern-btn--secondary"',
        response.content.decode(),
    )


@pytest.fixture
def office(client: Client, office_user: Any) -> Client:
    client.force_login(office_user)
    return client


@pytest.fixture
def workshop3(body: Any) -> Any:
    return WorkshopFactory(body=body, number=3, title="Infrastruktur und Mobilität")


@pytest.fixture
def colleague(db: None) -> Any:
    return user_create_or_reset(username="kollegin", password="x" * 12, role=Role.OFFICE, first_name="Karla")


# --- upload and preview ---------------------------------------------------------------------------------


def test_upload_of_several_files_stores_the_readable_ones_and_refuses_a_too_large_one(
    office, office_user, workshop4, workshop3, settings, row_counts
):
    settings.WERKSTATT_MAX_UPLOAD_MB = 1
    before = row_counts()
    response = _upload(
        office,
        ("protokoll-16.txt", seed()),
        ("werkstatt-3.docx", word_minutes()),
        ("riesig.txt", b"x" * (1024 * 1024 + 1)),
        ("leer.txt", b""),
    )
    assert response.redirect_chain == [(PREVIEW, 302)]
    page = _text(response)
    assert "„riesig.txt“ ist größer als 1 MB und wurde nicht übernommen." in page
    assert "„leer.txt“ ist leer und wurde nicht übernommen." in page
    assert "2 Dokumente geprüft, noch nichts gespeichert." in page
    assert "protokoll-16.txt neu – 16. Sitzung der Werkstatt 4" in page
    assert "werkstatt-3.docx neu – 12. Sitzung der Werkstatt 3" in page
    names = sorted(Path(path).name for path in _pending_files(office_user))
    assert names == ["protokoll-16.txt", "werkstatt-3.docx"]
    assert row_counts() == before  # the dry runs stored nothing


def test_a_broken_file_is_previewed_as_refused_with_its_error_and_nothing_is_stored(office, workshop4, row_counts):
    before = row_counts()
    page = _text(_upload(office, ("kaputt.docx", BROKEN), ("protokoll-16.txt", seed())))
    assert "1 Dokument ist abgelehnt und kann so nicht importiert werden." in page
    assert "kaputt.docx abgelehnt" in page
    assert "„kaputt.docx“: nichts gespeichert, 1 Fehler." in page
    assert "Fehler (1)" in page
    assert "„Alle importieren“ überspringt abgelehnte Dokumente" in page
    assert row_counts() == before


def test_the_preview_shows_what_was_recognised_beside_the_source_text(office, workshop4):
    response = _upload(office, ("protokoll-16.txt", seed()))
    page = _text(response)
    html = response.content.decode()
    assert "Probelauf: 16. Sitzung der Werkstatt 4 wird neu angelegt" in page
    assert "Werkstatt Werkstatt 4" in page
    assert "Sitzung 16. Sitzung" in page
    assert "Datum und Uhrzeit 24.01.2024, 14:10 Uhr – 16:30 Uhr" in page
    assert "Ort Bürgerzentrum, Uferstraße 6, 04916 Herzberg (Elster)" in page
    assert "Sitzungsleitung Sven Guntermann, Werkstattsprecher" in page
    assert "Protokoll Tobias Amende, Projektmanager, Wirtschaftsregion Lausitz" in page
    assert "Anlagen Liste der Teilnehmenden; Präsentation(en)" in page
    assert "Bestätigt das Protokoll der 15. Sitzung vom 21.11.2023" in page
    assert "TOP 5 Vorstellung STARK-Projekt „WerteGesellschaft Lausitz“" in page
    assert "Prof. Dr.-Ing. Eckart Kramer, Hochschule für nachhaltige Entwicklung Eberswalde" in page
    # Results are rich text: the bullets of the source are a real list, and nothing of the source's styles survives.
    assert "<li>Insgesamt 72 Projekte wurden seit März 2021 durch die IMAG bestätigt.</li>" in html
    assert "list-style-type" not in html.split('class="import-compare__source"')[0]
    assert "Projekt: „WerteGesellschaft Lausitz“ (STARK-Projekt)" in page
    # The source beside it, line by line; the known typo is corrected and noted on its line.
    assert '<span class="source-line__number">1</span>' in html
    assert "Sitzungsleitung\tSven Guntermann, Werkstattprecher" in html
    # The planned entities as a table.
    assert "Geplante Einträge" in page
    assert re.search(r"Sitzung 16\. Sitzung der Werkstatt 4 neu", page)


def test_uncertain_and_wrong_lines_are_highlighted_with_their_messages(office, workshop4, row_counts):
    before = row_counts()
    response = _upload(
        office,
        ("kurzes-datum.txt", seed_with("24.01.2024, 14:10 Uhr", "24.1.24, 14:10 Uhr")),
        ("falsches-datum.txt", seed_with("24.01.2024, 14:10 Uhr", "32.13.2024, 14:10 Uhr")),
    )
    html = response.content.decode()
    page = _text(response)
    warning = re.search(r'<li id="[^"]+" class="source-line source-line--warning">(.*?)</li>', html)
    assert warning is not None and "24.1.24" in warning.group(1)
    assert "Warnung:" in warning.group(1) and "24.01.2024" in warning.group(1)
    error = re.search(r'<li id="[^"]+" class="source-line source-line--error">(.*?)</li>', html)
    assert error is not None and "32.13.2024" in error.group(1) and "Fehler:" in error.group(1)
    assert "kurzes-datum.txt neu" in page and "falsches-datum.txt abgelehnt" in page
    assert "Zeilen zu prüfen" in page and "unsicher" in page
    # Each finding links to its line in the source text.
    anchor = re.search(r'href="#(dokument-[^"]+-zeile-\d+)"', html)
    assert anchor is not None and f'id="{anchor.group(1)}"' in html
    assert row_counts() == before


# --- commit, re-import, discard ---------------------------------------------------------------------------


def _assert_imported(meeting: Meeting) -> None:
    assert (meeting.workshop.number, meeting.number, meeting.date) == (4, 16, dt.date(2024, 1, 24))
    assert meeting.minutes_state == MinutesState.PUBLISHED
    assert meeting.agenda_items.count() == 8


def test_importing_one_document_stores_the_session_and_links_to_it(office, office_user, workshop4, workshop3):
    preview = _upload(office, ("protokoll-16.txt", seed()), ("werkstatt-3.docx", word_minutes()))
    token_16, _token_3 = _tokens(preview)
    response = office.post(COMMIT, {"token": token_16}, follow=True)
    assert response.redirect_chain == [(PREVIEW, 302)]  # the other document still waits
    meeting = Meeting.objects.get(workshop=workshop4, number=16)
    _assert_imported(meeting)
    page = _text(response)
    assert "16. Sitzung der Werkstatt 4 neu angelegt" in page
    assert f'href="{reverse("office:meeting-detail", args=[meeting.pk])}"' in response.content.decode()
    assert "1 Dokument geprüft" in page and "werkstatt-3.docx" in page
    assert [Path(path).name for path in _pending_files(office_user)] == ["werkstatt-3.docx"]


def test_importing_all_skips_the_refused_one_and_says_so(office, office_user, workshop4, workshop3):
    preview = _upload(
        office, ("protokoll-16.txt", seed()), ("kaputt.docx", BROKEN), ("werkstatt-3.docx", word_minutes())
    )
    assert len(_tokens(preview)) == 3
    response = office.post(COMMIT, {"alle": "on"}, follow=True)
    page = _text(response)
    assert "2 Dokumente importiert. 1 abgelehntes Dokument übersprungen: „kaputt.docx“" in page
    _assert_imported(Meeting.objects.get(workshop=workshop4, number=16))
    twelfth = Meeting.objects.get(workshop=workshop3, number=12)
    assert (twelfth.number, twelfth.date, twelfth.minutes_state) == (12, dt.date(2024, 3, 5), MinutesState.PUBLISHED)
    assert list(twelfth.agenda_items.values_list("number", flat=True)) == ["1", "2", "3", "4", "4.1", "4.2", "5"]
    assert [Path(path).name for path in _pending_files(office_user)] == ["kaputt.docx"]
    assert "kaputt.docx abgelehnt" in page


def test_importing_the_same_document_again_says_unchanged(office, workshop4, row_counts):
    office.post(COMMIT, {"token": _tokens(_upload(office, ("protokoll-16.txt", seed())))[0]})
    before = row_counts()
    preview = _upload(office, ("nochmal.txt", seed()))
    assert "nochmal.txt unverändert" in _text(preview)
    assert "„nochmal.txt“ wurde schon importiert (16. Sitzung der Werkstatt 4); nichts geändert." in _text(preview)
    response = office.post(COMMIT, {"token": _tokens(preview)[0]}, follow=True)
    assert response.redirect_chain == [(UPLOAD, 302)]
    assert "wurde schon importiert" in _text(response)
    assert row_counts() == before


def test_discarding_removes_the_pending_file_and_stores_nothing(office, office_user, workshop4, row_counts):
    before = row_counts()
    token = _tokens(_upload(office, ("protokoll-16.txt", seed())))[0]
    response = office.post(DISCARD, {"token": token}, follow=True)
    assert response.redirect_chain == [(UPLOAD, 302)]
    assert "„protokoll-16.txt“ wurde verworfen; nichts wurde gespeichert." in _text(response)
    assert _pending_files(office_user) == []
    assert "Es liegen keine hochgeladenen Dateien vor." in _text(office.get(PREVIEW))
    assert row_counts() == before
    again = office.post(COMMIT, {"token": token}, follow=True)
    assert "Diese Datei liegt nicht mehr vor." in _text(again)


def test_a_too_large_single_file_is_refused_and_not_stored(office, office_user, workshop4, settings):
    settings.WERKSTATT_MAX_UPLOAD_MB = 1
    response = _upload(office, ("riesig.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024)), follow=False)
    assert response.status_code == 422
    page = _text(response)
    assert "Bitte prüfen Sie Ihre Eingaben" in page
    assert "Protokolle: „riesig.pdf“ ist größer als 1 MB und wurde nicht übernommen." in page
    assert _pending_files(office_user) == []
    empty = office.post(UPLOAD, {"dateien": []})
    assert empty.status_code == 422
    assert "Bitte wählen Sie mindestens eine Datei aus." in _text(empty)


def test_the_workshop_hint_goes_with_the_file(office, workshop4, workshop2):
    page = _text(_upload(office, ("protokoll-16.txt", seed()), workshop="4"))
    assert "Hinweis beim Hochladen: Werkstatt 4" in page
    form = _text(office.get(UPLOAD))
    assert "Werkstatt 2: Innovation und Digitalisierung" in form
    assert "Hochgeladen, noch nicht importiert protokoll-16.txt" in form


# --- whose files -------------------------------------------------------------------------------------


def test_pending_files_are_seen_and_used_only_by_the_user_who_uploaded_them(office, office_user, colleague, workshop4):
    token = _tokens(_upload(office, ("protokoll-16.txt", seed())))[0]
    other = Client()
    other.force_login(colleague)
    assert "Es liegen keine hochgeladenen Dateien vor." in _text(other.get(PREVIEW))
    assert "protokoll-16.txt" not in _text(other.get(UPLOAD))
    assert "Diese Datei liegt nicht mehr vor" in _text(other.post(COMMIT, {"token": token}, follow=True))
    assert "Diese Datei liegt nicht mehr vor" in _text(other.post(DISCARD, {"token": token}, follow=True))
    assert not Meeting.objects.exists()
    assert len(_pending_files(office_user)) == 1
    assert _pending_files(colleague) == []
    assert "protokoll-16.txt" in _text(office.get(PREVIEW))


def test_pending_files_older_than_a_day_are_deleted_on_the_next_visit(office, office_user, workshop4):
    _upload(office, ("alt.txt", seed()))
    _upload(office, ("neu.txt", seed()))
    old = next(path for path in _pending_files(office_user) if path.endswith("alt.txt"))
    stamp = (timezone.now() - MAX_AGE - dt.timedelta(minutes=1)).timestamp()
    os.utime(default_storage.path(old), (stamp, stamp))
    page = _text(office.get(UPLOAD))
    assert "alt.txt" not in page and "neu.txt" in page
    assert [Path(path).name for path in _pending_files(office_user)] == ["neu.txt"]


def test_the_store_keeps_names_and_tokens_in_the_session_never_the_content(office, office_user, workshop4):
    _upload(office, ("protokoll-16.txt", seed()), workshop="4")
    stored = office.session["werkstatt_minutes_import"]
    assert [sorted(entry) for entry in stored] == [["at", "name", "token", "workshop"]]
    assert stored[0]["name"] == "protokoll-16.txt" and stored[0]["workshop"] == 4
    store = PendingStore(office.session, office_user)
    (document,) = store.documents()
    assert store.content(document) == seed()
    assert store.get("../../etc") is None


# --- who may ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["speaker_w4", "delegate_w2", "bank_user", "chancellery_user"])
def test_only_the_office_may_import_minutes(persona, request, workshop4):
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    for url in (UPLOAD, PREVIEW):
        assert client.get(url).status_code == 403
    assert client.post(UPLOAD, {"dateien": [SimpleUploadedFile("a.txt", seed())]}).status_code == 403
    assert client.post(COMMIT, {"alle": "on"}).status_code == 403
    assert client.post(DISCARD, {"token": "a" * 22}).status_code == 403
    assert "Protokolle importieren" not in _text(client.get(reverse("office:dashboard")))


def test_anonymous_visitors_are_sent_to_the_login(client):
    for url in (UPLOAD, PREVIEW):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(COMMIT, {"alle": "on"})["Location"].startswith(reverse("login"))


def test_the_dashboard_links_the_import_for_the_office(office):
    response = office.get(reverse("office:dashboard"))
    assert f'href="{UPLOAD}"' in response.content.decode()
    assert "Protokolle importieren" in _text(response)


# --- queries -------------------------------------------------------------------------------------------


def test_the_preview_costs_a_fixed_number_of_queries_per_document(office, office_user, workshop4):
    """The page adds nothing per document to the dry run of the import service, whatever the number of files."""
    with CaptureQueriesContext(connection) as dry_run:
        minutes_import(content=seed(), file_name="protokoll.txt", actor=office_user, dry_run=True)
    counts = []
    for n in range(1, 4):
        _upload(office, (f"protokoll-{n}.txt", seed()))
        counts.append(count_queries(office, PREVIEW))
    per_document = counts[1] - counts[0]
    assert counts[2] - counts[1] == per_document, counts
    assert per_document <= len(dry_run.captured_queries), (counts, len(dry_run.captured_queries))
    assert counts[0] - per_document <= 5, counts  # the session and the user
    assert count_queries(office, UPLOAD) <= 10


# --- the source document on the session page -----------------------------------------------------------


def test_the_session_page_lists_the_source_documents_for_the_office_only(
    office, office_user, speaker_w4, workshop4, client
):
    first = minutes_import(content=seed(), file_name="protokoll-16.txt", actor=office_user, workshop_number=4)
    meeting_url = reverse("office:meeting-detail", args=[first.meeting_pk])
    one_source = count_queries(office, meeting_url)
    corrected = minutes_import(
        content=seed_with("Sonstiges", "Sonstiges und Termine"),
        file_name="protokoll-16-korrigiert.txt",
        actor=office_user,
        workshop_number=4,
    )
    assert (corrected.outcome, corrected.meeting_pk) == ("aktualisiert", first.meeting_pk)

    response = office.get(meeting_url)
    page = _text(response)
    assert "Importiert aus" in page
    # newest first: the corrected version is the source document
    assert page.index("protokoll-16-korrigiert.txt") < page.index("protokoll-16.txt ")
    assert "Quelldokument" in page
    assert hashlib.sha512(seed()).hexdigest() in page
    source = MinutesSource.objects.filter(meeting_id=first.meeting_pk).order_by("created", "pk").first()
    assert reverse("office:file-download", args=[source.file_id]) in response.content.decode()
    assert office.get(reverse("office:file-download", args=[source.file_id])).status_code == 200
    # a second version costs no query more
    assert count_queries(office, meeting_url) == one_source

    client.force_login(speaker_w4)
    speaker_page = client.get(meeting_url)
    assert speaker_page.status_code == 200
    assert "Importiert aus" not in _text(speaker_page)
    assert client.get(reverse("office:file-download", args=[source.file_id])).status_code == 403
