"""The import end to end: the exporters' files come back as the same sessions; bad input stores nothing.

- Round trip: every demo session with items, exported by the minutes exporters as DOCX and as PDF,
  imports into a database without that session as the same structure (items, presenters, results,
  places, chair, minute-taker, attachments, linked projects).
- Bad input: each case gets a German message naming the place, and a refusal stores nothing.
- Hypothesis: truncated and mutated documents never crash the import and never store anything partial.
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests import minutes_docs as docs
from tests.test_minutes_import import all_rows, session_structure, stored_files
from werkstatt.demo import data
from werkstatt.demo.loader import _Loader, demo_load
from werkstatt.exports.minutes import minutes_docx, minutes_pdf
from werkstatt.geo.services import geo_reference_data_load
from werkstatt.importers.minutes.parsed import ERROR, WARNING
from werkstatt.importers.minutes.report import NEW, REFUSED
from werkstatt.importers.minutes.services import minutes_import
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.selectors import meeting_staff_page

pytestmark = pytest.mark.django_db

EXPORTERS = {"docx": minutes_docx, "pdf": minutes_pdf}
DEMO_SESSIONS = {
    "werkstatt-4-sitzung-16": {"workshop__number": 4, "number": 16},
    "werkstatt-2-vom-16-01-2024": {"workshop__number": 2, "date": data.WORKSHOP_2_RECOMMENDATION_DATE},
}


def _without_states(structure: dict[str, Any]) -> dict[str, Any]:
    """Imported minutes arrive approved and published; the demo's Werkstatt 2 minutes are a draft."""
    return {key: value for key, value in structure.items() if key != "states"}


def _exported(session: str, extension: str) -> tuple[dict[str, Any], bytes]:
    """The demo session's structure and its exported file, from a savepoint that is rolled back."""
    with transaction.atomic():
        demo_load()
        meeting = Meeting.objects.get(**DEMO_SESSIONS[session])
        structure = session_structure(meeting)
        content = EXPORTERS[extension](meeting_staff_page(meeting.pk))
        transaction.set_rollback(True)
    return structure, content


def _demo_without_sessions() -> None:
    """Organisations, workshops, members, persons, the 15th session and the projects: no session 16, no W2 session."""
    geo_reference_data_load()
    loader = _Loader(None)
    loader.organizations()
    workshops = loader.workshops()
    loader.members(workshops[4])
    loader.persons_and_speaker(workshops[4])
    loader.session_15(workshops[4])
    loader._project(data.TELEMEDICINE, workshops)
    loader._project(data.WERTEGESELLSCHAFT, workshops)


@pytest.mark.parametrize("extension", EXPORTERS)
@pytest.mark.parametrize("session", DEMO_SESSIONS)
def test_every_demo_session_exported_imports_back_to_the_same_structure(session, extension, office_user):
    expected, content = _exported(session, extension)
    _demo_without_sessions()

    report = minutes_import(content=content, file_name=f"{session}.{extension}", actor=office_user)

    assert report.outcome == NEW, [f.message for f in report.errors]
    imported = session_structure(Meeting.objects.get(pk=report.meeting_pk))
    assert _without_states(imported) == _without_states(expected)
    assert imported["states"] == ("held", "published")


# --- bad input -----------------------------------------------------------------------------------------


def _seed_with(old: str, new: str) -> bytes:
    text = docs.seed_text().decode("utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


def _import(content: bytes, file_name: str = "protokoll.txt", **kwargs: Any) -> Any:
    return minutes_import(content=content, file_name=file_name, actor=None, workshop_number=4, **kwargs)


@pytest.fixture
def archive(db: None) -> None:
    _demo_without_sessions()


def _messages(report: Any, level: str) -> list[str]:
    return [f.message for f in report.findings if f.level == level]


def test_a_short_date_is_read_with_a_warning_naming_the_line(archive):
    report = _import(_seed_with("24.01.2024, 14:10 Uhr", "24.1.24, 14:10 Uhr"))
    assert report.outcome == NEW
    assert Meeting.objects.get(pk=report.meeting_pk).date == dt.date(2024, 1, 24)
    assert any(m.startswith("Zeile 7:") and "24.01.2024" in m for m in _messages(report, WARNING)), report.findings


def test_an_impossible_date_is_refused_naming_the_line_and_stores_nothing(archive, row_counts):
    before = all_rows(row_counts)
    report = _import(_seed_with("24.01.2024, 14:10 Uhr", "32.13.2024, 14:10 Uhr"))
    assert report.outcome == REFUSED
    assert any(m.startswith("Zeile 7:") and "32.13.2024" in m for m in _messages(report, ERROR)), report.findings
    assert all_rows(row_counts) == before


def test_an_agenda_row_without_number_is_numbered_after_its_predecessor_with_a_warning(archive):
    report = _import(_seed_with("8\tSonstiges", "Sonstiges"))
    assert report.outcome == NEW
    numbers = list(Meeting.objects.get(pk=report.meeting_pk).agenda_items.values_list("number", flat=True))
    assert numbers == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert any(m.startswith("Zeile 22:") and "TOP 8" in m for m in _messages(report, WARNING)), report.findings


def test_a_result_for_an_item_the_agenda_lacks_is_kept_with_a_warning(archive):
    content = docs.seed_text().rstrip() + "\n9\t<p>Verabschiedung</p> <ul> • Die Sitzung endet um 16:30 Uhr.\n".encode()
    report = _import(content)
    assert report.outcome == NEW
    item = Meeting.objects.get(pk=report.meeting_pk).agenda_items.get(number="9")
    assert item.title == "Verabschiedung"
    assert "Die Sitzung endet um 16:30 Uhr." in item.result
    assert any("TOP 9" in m and "Tagesordnung" in m for m in _messages(report, WARNING)), report.findings


def test_a_truncated_document_reports_what_is_missing(archive, row_counts):
    text = docs.seed_text().decode("utf-8")
    report = _import(text[: text.index("Tagesordnung")].encode("utf-8"))
    # Nothing but the head survived: without any item it is not a session record.
    assert report.outcome == REFUSED
    assert _messages(report, ERROR)
    assert all(m.startswith(("Dokument:", "Zeile")) for m in _messages(report, ERROR))


@pytest.mark.parametrize(
    ("content", "file_name", "expected"),
    [
        (b"", "protokoll.txt", "leer"),
        (docs.png_bytes(), "protokoll.docx", "Bild"),
        (docs.truncated(docs.docx_tables(docs.sample_session())), "protokoll.docx", "beschädigt"),
        (docs.scanned_pdf(), "protokoll.pdf", "Text"),
    ],
    ids=["empty", "image-named-docx", "truncated-docx", "scanned-pdf"],
)
def test_unreadable_files_are_refused_in_german_and_store_nothing(archive, row_counts, content, file_name, expected):
    before = all_rows(row_counts)
    report = _import(content, file_name)
    assert report.outcome == REFUSED
    [message] = _messages(report, ERROR)
    assert file_name in message and expected in message
    assert all_rows(row_counts) == before
    assert stored_files() == []


def test_a_100_mb_file_is_refused_before_it_is_read(archive, row_counts):
    before = all_rows(row_counts)
    report = _import(b"x" * (100 * 1024 * 1024), "protokoll.txt")
    assert report.outcome == REFUSED
    [message] = _messages(report, ERROR)
    assert f"{settings.WERKSTATT_MAX_UPLOAD_MB} MB" in message
    assert all_rows(row_counts) == before


def test_a_file_that_is_not_what_its_name_says_is_read_by_its_content_with_a_warning(archive):
    report = _import(docs.docx_tables(docs.sample_session()), "protokoll.pdf")
    assert report.outcome == NEW, report.findings
    assert any("protokoll.pdf" in m and "Word" in m for m in _messages(report, WARNING))


def test_markup_from_the_source_is_sanitised(archive):
    content = _seed_with(
        "<p>Sonstiges</p>",
        '<p>Sonstiges</p> <script>alert(1)</script><p onclick="x()">Text <a href="javascript:x()">Link</a></p>',
    )
    report = _import(content)
    assert report.outcome == NEW
    result = Meeting.objects.get(pk=report.meeting_pk).agenda_items.get(number="8").result
    assert "<script" not in result and "onclick" not in result and "javascript:" not in result
    assert "Text" in result and "Link" in result


# --- hypothesis: never a crash, never anything partial --------------------------------------------------

_SEED = docs.seed_text()
_DOCX = docs.docx_tables(docs.sample_session())


def _mutations() -> st.SearchStrategy[tuple[str, bytes]]:
    truncations = st.tuples(st.sampled_from([("txt", _SEED), ("docx", _DOCX)]), st.floats(0.0, 1.0)).map(
        lambda args: (args[0][0], args[0][1][: int(len(args[0][1]) * args[1])])
    )
    edits = st.tuples(st.integers(0, len(_SEED) - 1), st.binary(min_size=1, max_size=40)).map(
        lambda args: ("txt", _SEED[: args[0]] + args[1] + _SEED[args[0] + 20 :])
    )
    return st.one_of(truncations, edits)


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=_mutations())
def test_mutated_documents_never_crash_and_never_store_anything_partial(archive, row_counts, case):
    extension, content = case
    with transaction.atomic():
        before = all_rows(row_counts)
        report = _import(content, f"protokoll.{extension}")
        if report.outcome == REFUSED:
            assert report.errors
            assert all_rows(row_counts) == before
        else:
            meeting = Meeting.objects.get(pk=report.meeting_pk)
            assert meeting.agenda_items.count() == len(report.parsed.items)
            assert meeting.minutes_state == "published"
        transaction.set_rollback(True)


def test_a_folder_of_documents_imports_each_on_its_own(archive, tmp_path: Path):
    """One refused file does not stop the others (the command and the office page import one by one)."""
    files: dict[str, Callable[[], bytes]] = {
        "w3-12.docx": lambda: docs.docx_tables(docs.sample_session()),
        "kaputt.docx": lambda: docs.truncated(docs.docx_tables(docs.sample_session())),
        "w1-online.pdf": lambda: docs.pdf_from_html(docs.minutes_html(docs.online_session())),
    }
    outcomes = {
        name: minutes_import(content=make(), file_name=name, actor=None).outcome for name, make in files.items()
    }
    assert outcomes == {"w3-12.docx": NEW, "kaputt.docx": REFUSED, "w1-online.pdf": NEW}
