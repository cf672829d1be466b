"""Exports of a session: minutes as PDF and DOCX, the agenda as PDF, the appointment as iCalendar.

The files are read back with the tools a recipient's software would use (pdfplumber/pypdf,
python-docx, icalendar) and compared with the seed minutes line by line, in the seed's order.
"""

import datetime as dt
import re
from io import BytesIO
from typing import Any

import docx
import pdfplumber
import pypdf
import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx.table import Table
from docx.text.paragraph import Paragraph
from icalendar import Calendar

from tests.test_demo_seed import MINUTES_SEED, seed_lines
from werkstatt.core.richtext import html_to_lines, sanitise_html
from werkstatt.core.text import normalise_text
from werkstatt.exports import ics
from werkstatt.exports.minutes import agenda_pdf, document_context, export_filename, minutes_docx, minutes_pdf
from werkstatt.exports.word import Numbering, write_html
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.selectors import MeetingPage, meeting_get_for_user
from werkstatt.meetings.services import (
    PresenterInput,
    agenda_item_create,
    meeting_cancel,
    meeting_create,
    meeting_minutes_transition,
    meeting_transition,
)
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.organizations.models import Workshop
from werkstatt.organizations.services import person_create

pytestmark = pytest.mark.django_db

A4 = (595, 842)
# The page footer sits in the bottom margin (22 mm = 62 pt); the text above it is the document body.
FOOTER_HEIGHT = 60
FIRA_FACES = ("Regular", "Italic", "Bold", "BoldItalic")
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _squash(text: str) -> str:
    """Compare text as the seed test does: NFC and known typos normalised, no whitespace, no bullets, any case."""
    return re.sub(r"\s+", "", normalise_text(text).replace("•", "")).casefold()


def _missing_in_order(lines: list[str], text: str) -> list[str]:
    """The lines not found in ``text`` one after the other (each searched after the previous one)."""
    squashed, position, missing = _squash(text), 0, []
    for line in lines:
        found = squashed.find(_squash(line), position)
        if found < 0:
            missing.append(line)
        else:
            position = found + len(_squash(line))
    return missing


def _session_16() -> Meeting:
    return Meeting.objects.get(workshop__number=4, number=16)


def _session_15() -> Meeting:
    return Meeting.objects.get(workshop__number=4, number=15)


def _page(user: Any, meeting: Meeting) -> MeetingPage:
    return meeting_get_for_user(user, meeting.pk)


# --- PDF ------------------------------------------------------------------------------------------


def _pdf_text(pdf: bytes) -> tuple[str, list[str]]:
    """The body text of all pages, and each page's footer text."""
    bodies, footers = [], []
    with pdfplumber.open(BytesIO(pdf)) as document:
        for page in document.pages:
            bodies.append(page.crop((0, 0, page.width, page.height - FOOTER_HEIGHT)).extract_text())
            footers.append(page.crop((0, page.height - FOOTER_HEIGHT, page.width, page.height)).extract_text())
    return "\n".join(bodies), footers


def _struct_types(node: Any, found: set[str]) -> set[str]:
    """Every structure type (/H1, /Table, /L, ...) below a node of the PDF's structure tree."""
    node = node.get_object()
    if isinstance(node, pypdf.generic.ArrayObject):
        for child in node:
            _struct_types(child, found)
    elif isinstance(node, pypdf.generic.DictionaryObject):
        if "/S" in node:
            found.add(str(node["/S"]))
        if "/K" in node:
            _struct_types(node["/K"], found)
    return found


def test_minutes_pdf_has_every_seed_line_in_the_seed_order(demo, anonymous):
    pdf = minutes_pdf(_page(anonymous, _session_16()))
    body, _footers = _pdf_text(pdf)
    lines = seed_lines(MINUTES_SEED)
    assert len(lines) > 20
    assert _missing_in_order(lines, body) == []


def test_minutes_pdf_check_notices_a_line_out_of_order(demo, anonymous):
    """The order check is strict: the last agenda item before the first one fails it."""
    body, _footers = _pdf_text(minutes_pdf(_page(anonymous, _session_16())))
    assert _missing_in_order(["Sonstiges", "Begrüßung der Gäste", "Insgesamt 72 Projekte"], body) == []
    assert _missing_in_order(["Insgesamt 72 Projekte", "Begrüßung der Gäste"], body) != []


def test_minutes_pdf_is_a4_with_page_footers_and_fira_sans(demo, anonymous):
    pdf = minutes_pdf(_page(anonymous, _session_16()))
    with pdfplumber.open(BytesIO(pdf)) as document:
        pages = document.pages
        assert len(pages) >= 2
        for page in pages:
            assert abs(page.width - A4[0]) <= 1
            assert abs(page.height - A4[1]) <= 1
        fonts = {char["fontname"] for page in pages for char in page.chars}
    # Subset fonts are named like "ABCDEF+Fira-Sans-Bold".
    assert fonts
    assert all("FiraSans" in font.split("+")[-1].replace("-", "") for font in fonts), fonts
    assert any("Bold" in font for font in fonts)
    assert any("Italic" in font for font in fonts)
    _body, footers = _pdf_text(pdf)
    for number, footer in enumerate(footers, start=1):
        assert f"Seite {number} von {len(footers)}" in footer
        assert "16. Sitzung der Werkstatt 4" in footer


def test_minutes_pdf_is_tagged_pdf_ua_with_german_metadata(demo, anonymous):
    reader = pypdf.PdfReader(BytesIO(minutes_pdf(_page(anonymous, _session_16()))))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert catalog["/Lang"] == "de"
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert reader.metadata is not None
    assert reader.metadata.title == "Ergebnisprotokoll – 16. Sitzung der Werkstatt 4"
    types = _struct_types(catalog["/StructTreeRoot"], set())
    # Headings, the two tables with header cells, and the result lists as real lists.
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/L", "/LI", "/LBody"} <= types


def test_minutes_html_keeps_lower_sorbian_spans(demo, anonymous):
    page = _page(anonymous, _session_16())
    html = render_to_string("exports/minutes.html", document_context(page, "Ergebnisprotokoll"))
    assert 'Cottbus/<span lang="dsb">Chóśebuz</span>' in html
    assert '<html lang="de">' in html


def test_agenda_pdf_has_the_agenda_but_no_results(demo, anonymous):
    pdf = agenda_pdf(_page(anonymous, _session_16()))
    body, footers = _pdf_text(pdf)
    titles = [item.title for item in _page(anonymous, _session_16()).agenda_items]
    assert len(titles) == 8
    assert _missing_in_order(["TAGESORDNUNG", "Allgemeines", "Datum & Uhrzeit", *titles], body) == []
    assert "Insgesamt 72 Projekte" not in body
    assert "Seite 1 von" in footers[0]
    assert pypdf.PdfReader(BytesIO(pdf)).metadata.title == "Tagesordnung – 16. Sitzung der Werkstatt 4"  # type: ignore[union-attr]


def test_unpublished_minutes_say_so(demo, office_user):
    body, _footers = _pdf_text(minutes_pdf(_page(office_user, _session_15())))
    assert "Nicht öffentlich" in body
    assert "bestätigt" in body


def test_exports_refuse_a_page_that_does_not_show_them(demo, anonymous):
    """The functions guard too, so that an interface that forgets the check cannot leak draft minutes."""
    page = _page(anonymous, _session_15())
    assert not page.show_minutes
    with pytest.raises(ValueError, match="nicht freigegeben"):
        minutes_pdf(page)
    with pytest.raises(ValueError, match="nicht freigegeben"):
        minutes_docx(page)


def test_pdf_fonts_and_stylesheet_also_come_from_static_root(demo, anonymous, settings, tmp_path, monkeypatch):
    """In production node_modules may be gone: collectstatic's copy of KERN's fonts in STATIC_ROOT serves as well."""
    import shutil

    from django.contrib.staticfiles import finders

    from werkstatt.exports import pdf

    for name in (f"kern/fonts/fira-sans/FiraSans-{face}.woff2" for face in FIRA_FACES):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(pdf.static_file(name), target)
    settings.STATIC_ROOT = str(tmp_path)
    monkeypatch.setattr(finders, "find", lambda *args, **kwargs: None)
    pdf._print_css.cache_clear()
    try:
        document = minutes_pdf(_page(anonymous, _session_16()))
    finally:
        pdf._print_css.cache_clear()
    with pdfplumber.open(BytesIO(document)) as read:
        assert {char["fontname"].split("+")[-1] for char in read.pages[0].chars} >= {"Fira-Sans", "Fira-Sans-Bold"}


def test_pdf_fetcher_stays_off_the_network():
    from werkstatt.exports.pdf import LocalFetcher

    with pytest.raises(ValueError, match="disallowed protocol"):
        LocalFetcher().fetch("https://example.org/print.css")


# --- DOCX -----------------------------------------------------------------------------------------


def _docx_lines(document: Any) -> list[str]:
    """Paragraphs and table rows in document order; a row is its cells' text joined."""
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines += [" ".join(cell.text for cell in row.cells) for row in block.rows]
    return lines


def test_minutes_docx_has_every_seed_line_in_the_seed_order(demo, anonymous):
    document = docx.Document(BytesIO(minutes_docx(_page(anonymous, _session_16()))))
    assert _missing_in_order(seed_lines(MINUTES_SEED), "\n".join(_docx_lines(document))) == []


def test_minutes_docx_uses_real_tables_headings_and_lists(demo, anonymous):
    page = _page(anonymous, _session_16())
    document = docx.Document(BytesIO(minutes_docx(page)))

    general, agenda = document.tables
    assert [row.cells[0].text for row in general.rows] == [
        "Datum & Uhrzeit",
        "Ort",
        "Sitzungsleitung",
        "Protokollant",
        "Anlagen",
    ]
    assert general.rows[0].cells[1].text == "24.01.2024, 14:10 Uhr – 16:30 Uhr"
    assert [cell.text for cell in agenda.rows[0].cells] == ["TOP", "Thema und Vortragende"]
    assert agenda.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
    assert [row.cells[0].text for row in agenda.rows[1:]] == [str(n) for n in range(1, 9)]

    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Allgemeines", "Tagesordnung", "Ergebnisse"]
    assert headings[3] == "TOP 1 Begrüßung der Gäste"
    assert document.paragraphs[0].style.name == "Title"

    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    expected = [line for item in page.agenda_items for line in html_to_lines(item.result)]
    assert len(expected) == 8
    assert bullets == expected

    properties = document.core_properties
    assert properties.title == "Ergebnisprotokoll – 16. Sitzung der Werkstatt 4"
    assert properties.language == "de-DE"
    assert properties.author == "Tobias Amende"
    default_language = document.styles.element.find(
        ".//" + docx.oxml.ns.qn("w:rPrDefault") + "//" + docx.oxml.ns.qn("w:lang")
    )
    assert default_language.get(docx.oxml.ns.qn("w:val")) == "de-DE"


def test_minutes_docx_marks_lower_sorbian_runs(demo, anonymous):
    document = docx.Document(BytesIO(minutes_docx(_page(anonymous, _session_16()))))
    body = document.element.body
    sorbian = [
        run
        for run in body.iter(docx.oxml.ns.qn("w:r"))
        if any(lang.get(docx.oxml.ns.qn("w:val")) == "dsb-DE" for lang in run.iter(docx.oxml.ns.qn("w:lang")))
    ]
    assert sorbian
    assert {"".join(t.text for t in run.iter(docx.oxml.ns.qn("w:t"))) for run in sorbian} == {"Chóśebuz"}


def test_result_html_becomes_word_lists_runs_and_links():
    html = sanitise_html(
        "<p>Vorweg <strong>fett</strong> und <em>kursiv</em> mit <a href='https://example.org/x'>Link</a>.</p>"
        "<ol><li>Eins<ul><li>Unterpunkt</li></ul></li>"
        "<li>Zwei, <a href='mailto:werkstatt@example.org'><b>Mail</b> an uns</a></li></ol>"
        "<p>Dazwischen</p><ol><li>Neu gezählt</li></ol>"
        "<ul><li><p>Absatz</p><p>Zweiter Absatz</p></li></ul>"
    )
    document = docx.Document()
    write_html(document, Numbering(document), html)
    paragraphs = document.paragraphs
    assert [(p.style.name, p.text) for p in paragraphs] == [
        ("Normal", "Vorweg fett und kursiv mit Link."),
        ("List Number", "Eins"),
        ("List Bullet 2", "Unterpunkt"),
        ("List Number", "Zwei, Mail an uns"),
        ("Normal", "Dazwischen"),
        ("List Number", "Neu gezählt"),
        ("List Bullet", "Absatz"),
        ("List Continue", "Zweiter Absatz"),
    ]
    first = paragraphs[0]
    assert [run.text for run in first.runs if run.bold] == ["fett"]
    assert [run.text for run in first.runs if run.italic] == ["kursiv"]
    assert [(link.url, link.text) for link in first.hyperlinks] == [("https://example.org/x", "Link")]
    (mail,) = paragraphs[3].hyperlinks
    assert (mail.url, mail.text, [run.bold for run in mail.runs]) == (
        "mailto:werkstatt@example.org",
        "Mail an uns",
        [True, None],
    )

    def num_id(paragraph: Paragraph) -> int:
        return int(paragraph._p.pPr.numPr.numId.val)

    # Items of one list share a numbering instance; the next <ol> starts again at 1.
    assert num_id(paragraphs[1]) == num_id(paragraphs[3])
    assert num_id(paragraphs[5]) != num_id(paragraphs[1])


# --- file names -----------------------------------------------------------------------------------


def test_export_file_names(demo):
    session_16 = _session_16()
    assert export_filename(session_16, "Ergebnisprotokoll", "pdf") == (
        "2024-01-24_Werkstatt-4_16-Sitzung_Ergebnisprotokoll.pdf"
    )
    assert export_filename(session_16, "Tagesordnung", "pdf") == "2024-01-24_Werkstatt-4_16-Sitzung_Tagesordnung.pdf"
    without_number = Meeting.objects.get(workshop__number=2, date=dt.date(2024, 1, 16))
    assert without_number.number is None
    assert export_filename(without_number, "Ergebnisprotokoll", "pdf") == (
        "2024-01-16_Werkstatt-2_Sitzung_Ergebnisprotokoll.pdf"
    )
    assert export_filename(session_16, "Präsentation Übersicht/Maß", ".DOCX") == (
        "2024-01-24_Werkstatt-4_16-Sitzung_Praesentation-Uebersicht-Mass.docx"
    )


# --- iCalendar ------------------------------------------------------------------------------------


def _event(calendar: Calendar) -> Any:
    (event,) = calendar.walk("VEVENT")
    return event


def test_meeting_ics_invitation(demo, anonymous):
    meeting = _session_16()
    page = _page(anonymous, meeting)
    calendar = Calendar.from_ical(ics.meeting_ics(meeting, sequence=3, agenda_items=page.agenda_items))
    assert calendar["VERSION"] == "2.0"
    assert "Werkstatt" in calendar["PRODID"]
    assert calendar["METHOD"] == "REQUEST"
    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Berlin"

    event = _event(calendar)
    assert event["UID"] == f"werkstatt-meeting-{meeting.pk}@werkstatt.localhost"
    assert event["SEQUENCE"] == 3
    assert event["STATUS"] == "CONFIRMED"
    assert event["SUMMARY"] == "16. Sitzung der Werkstatt 4"
    assert event["LOCATION"] == "Bürgerzentrum, Uferstraße 6, 04916 Herzberg (Elster)"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start.hour, start.minute, end.hour, end.minute) == (14, 10, 16, 30)
    assert start.utcoffset() == dt.timedelta(hours=1)  # CET in January
    assert "DTSTAMP" in event
    description = str(event["DESCRIPTION"])
    assert description.splitlines()[:3] == [
        "Tagesordnung:",
        "TOP 1 Begrüßung der Gäste",
        "TOP 2 " + page.agenda_items[1].title,
    ]
    assert "TOP 8 Sonstiges" in description


def test_meeting_ics_cancellation_keeps_the_uid_and_counts_up(demo):
    meeting = _session_16()
    invitation = _event(Calendar.from_ical(ics.meeting_ics(meeting, sequence=0)))
    calendar = Calendar.from_ical(ics.meeting_ics(meeting, sequence=1, cancelled=True))
    cancellation = _event(calendar)
    assert calendar["METHOD"] == "CANCEL"
    assert cancellation["STATUS"] == "CANCELLED"
    assert cancellation["UID"] == invitation["UID"]
    assert cancellation["SEQUENCE"] > invitation["SEQUENCE"]


def test_meeting_ics_without_start_time_is_an_all_day_event(demo, settings):
    settings.WERKSTATT_ICAL_DOMAIN = "werkstatt.example.org"
    meeting = _session_15()
    calendar = Calendar.from_ical(ics.meeting_ics(meeting, sequence=0))
    event = _event(calendar)
    assert event["UID"] == f"werkstatt-meeting-{meeting.pk}@werkstatt.example.org"
    assert event.decoded("DTSTART") == dt.date(2023, 11, 21)
    assert not isinstance(event.decoded("DTSTART"), dt.datetime)
    assert event.decoded("DTEND") == dt.date(2023, 11, 22)
    assert calendar.walk("VTIMEZONE") == []


# --- views ----------------------------------------------------------------------------------------


def _get(client: Client, name: str, meeting: Meeting) -> Any:
    return client.get(reverse(f"exports:{name}", args=[meeting.pk]))


@pytest.mark.parametrize("name", ["minutes-pdf", "minutes-docx"])
def test_anonymous_gets_no_unpublished_minutes(demo, client, name):
    assert _session_15().minutes_state == MinutesState.APPROVED
    assert _get(client, name, _session_15()).status_code == 404


@pytest.mark.parametrize(
    ("name", "content_type", "filename"),
    [
        ("minutes-pdf", PDF, "2024-01-24_Werkstatt-4_16-Sitzung_Ergebnisprotokoll.pdf"),
        ("minutes-docx", DOCX, "2024-01-24_Werkstatt-4_16-Sitzung_Ergebnisprotokoll.docx"),
        ("agenda-pdf", PDF, "2024-01-24_Werkstatt-4_16-Sitzung_Tagesordnung.pdf"),
        ("meeting-ics", ics.ICS_CONTENT_TYPE, "2024-01-24_Werkstatt-4_16-Sitzung_Termin.ics"),
    ],
)
def test_anonymous_downloads_published_session(demo, client, name, content_type, filename):
    response = _get(client, name, _session_16())
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "private" in response["Cache-Control"]
    assert response.content[:4] in (b"%PDF", b"PK\x03\x04", b"BEGI")


def test_office_downloads_unpublished_minutes(demo, client, office_user):
    client.force_login(office_user)
    response = _get(client, "minutes-pdf", _session_15())
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="2023-11-21_Werkstatt-4_15-Sitzung_Ergebnisprotokoll.pdf"'
    )


def test_agenda_of_a_planned_session_is_for_the_office_only(demo, client, office_user):
    meeting = meeting_create(actor=None, workshop=Workshop.objects.get(number=4), number=17, date=dt.date(2024, 3, 20))
    agenda_item_create(actor=None, meeting=meeting, number="1", title="Begrüßung")
    assert _get(client, "agenda-pdf", meeting).status_code == 404
    assert _get(client, "meeting-ics", meeting).status_code == 200  # the date is public, the agenda is not
    assert "Begrüßung" not in _get(client, "meeting-ics", meeting).content.decode()
    client.force_login(office_user)
    assert _get(client, "agenda-pdf", meeting).status_code == 200


def test_downloads_of_a_missing_session_are_404_and_only_get_is_allowed(demo, client):
    missing = Meeting(pk=999_999)
    for name in ("minutes-pdf", "minutes-docx", "agenda-pdf", "meeting-ics"):
        assert _get(client, name, missing).status_code == 404
    assert client.post(reverse("exports:meeting-ics", args=[_session_16().pk])).status_code == 405


def test_calendar_download_of_a_cancelled_session_cancels_it(demo, client):
    meeting = meeting_create(
        actor=None, workshop=Workshop.objects.get(number=4), number=17, date=dt.date(2024, 3, 20),
        start_time=dt.time(10), end_time=dt.time(12),
    )  # fmt: skip
    meeting_transition(actor=None, meeting=meeting, target=MeetingState.INVITED)
    invitation = Calendar.from_ical(_get(client, "meeting-ics", meeting).content)
    meeting_cancel(actor=None, meeting=meeting)
    response = _get(client, "meeting-ics", meeting)
    assert response["Content-Type"] == ics.ICS_CANCEL_CONTENT_TYPE
    cancellation = Calendar.from_ical(response.content)
    assert (invitation["METHOD"], cancellation["METHOD"]) == ("REQUEST", "CANCEL")
    assert _event(cancellation)["STATUS"] == "CANCELLED"
    assert _event(cancellation)["UID"] == _event(invitation)["UID"]
    assert _event(cancellation)["SEQUENCE"] > _event(invitation)["SEQUENCE"]
    assert _event(invitation)["URL"] == f"http://testserver/sitzungen/{meeting.pk}/"


def _published_meeting(workshop: Workshop, number: int, items: int) -> Meeting:
    meeting = meeting_create(actor=None, workshop=workshop, number=number, date=dt.date(2024, 6, number % 28 + 1))
    meeting_transition(actor=None, meeting=meeting, target=MeetingState.HELD)
    person = person_create(actor=None, body=workshop.body, given_name="Erika", family_name=f"Muster{number}")
    for n in range(1, items + 1):
        agenda_item_create(
            actor=None,
            meeting=meeting,
            number=str(n),
            title=f"Punkt {n}",
            note="Hinweis",
            result=f"<ul><li>Ergebnis {n}</li><li>Noch eins</li></ul>",
            presenters=[PresenterInput(person=person, function="Referentin"), PresenterInput(group_label="Alle")],
        )
    for step in (MinutesState.CIRCULATED, MinutesState.APPROVED, MinutesState.PUBLISHED):
        meeting_minutes_transition(actor=None, meeting=meeting, target=step)
    return meeting


@pytest.mark.parametrize("name", ["minutes-pdf", "minutes-docx", "agenda-pdf", "meeting-ics"])
def test_download_queries_do_not_grow_with_the_agenda(demo, client, name):
    workshop = Workshop.objects.get(number=4)
    small, large = _published_meeting(workshop, 30, items=2), _published_meeting(workshop, 31, items=12)
    counts = []
    for meeting in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = _get(client, name, meeting)
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 8, counts
