"""Readers of the minutes import: text, Word and PDF files into blocks; unreadable files refused in German."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from functools import cache

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from tests import minutes_docs as docs
from werkstatt.exports.minutes import minutes_docx, minutes_pdf
from werkstatt.importers.minutes.document import (
    DOCX,
    HEADING,
    LIST_ITEM,
    PARAGRAPH,
    PDF,
    ROW,
    TEXT,
    Block,
    DocumentError,
    SourceDocument,
)
from werkstatt.importers.minutes.parsed import INFO, WARNING
from werkstatt.importers.minutes.readers import read_document
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.selectors import meeting_staff_page


def shape(block: Block) -> tuple[str, tuple[str, ...]]:
    return block.kind, block.cells


def refused(content: bytes, name: str) -> str:
    with pytest.raises(DocumentError) as caught:
        read_document(content, name)
    message = caught.value.messages[0]
    assert f"„{name}“" in message
    return message


def assert_lines_consistent(document: SourceDocument) -> None:
    """Every block points at a line of the document, in reading order."""
    indexes = [block.line for block in document.blocks]
    assert indexes == sorted(indexes)
    assert all(0 <= index < len(document.lines) for index in indexes)


@cache
def sample_docx() -> bytes:
    return docs.docx_tables(docs.sample_session())


@cache
def sample_pdf() -> bytes:
    return docs.pdf_from_html(docs.minutes_html(docs.sample_session()))


# --- what a file is -------------------------------------------------------------------------------


def test_empty_file_is_refused() -> None:
    assert refused(b"", "protokoll.txt") == "Die Datei „protokoll.txt“ ist leer."


def test_too_large_file_is_refused_before_reading(settings: pytest.FixtureRequest) -> None:
    settings.WERKSTATT_MAX_UPLOAD_MB = 1  # type: ignore[attr-defined]
    message = refused(b"%PDF-1.7\n" + b"x" * (2 * 1024 * 1024), "archiv.pdf")
    assert "ist 2,0 MB groß" in message
    assert "höchstens 1 MB" in message


def test_old_word_document_is_refused_with_advice() -> None:
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    message = refused(ole2, "protokoll_2019.doc")
    assert "alten Word-Format (.doc" in message
    assert "(.docx) speichern" in message


def test_other_office_packages_are_named() -> None:
    def package(**entries: str) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name, text in entries.items():
                archive.writestr(name.replace("__", "/").replace("_dot_", "."), text)
        return out.getvalue()

    xlsx = package(**{"[Content_Types]_dot_xml": "<Types/>", "xl__workbook_dot_xml": "<workbook/>"})
    assert "Excel-Tabelle (.xlsx)" in refused(xlsx, "teilnehmer.xlsx")
    pptx = package(**{"ppt__presentation_dot_xml": "<p/>"})
    assert "PowerPoint-Präsentation" in refused(pptx, "folien.docx")
    odt = package(mimetype="application/vnd.oasis.opendocument.text", content_dot_xml="<x/>")
    assert "OpenDocument-Text (.odt)" in refused(odt, "protokoll.odt")
    assert "ZIP-Archiv" in refused(package(notes_dot_txt="hallo"), "protokolle.zip")


def test_images_and_binaries_are_refused() -> None:
    assert "ist ein PNG-Bild und kein lesbares Protokoll" in refused(docs.png_bytes(), "scan.png")
    assert "JPEG-Bild" in refused(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(100), "scan.txt")
    assert "Binärdatei" in refused(b"Protokoll\x00\x01\x02 der Sitzung", "protokoll.txt")


def test_content_decides_the_format_and_a_wrong_name_is_a_warning() -> None:
    document = read_document(sample_pdf(), "protokoll.docx")
    assert document.format == PDF
    assert document.notes[0].level == WARNING
    assert document.notes[0].message == (
        "Die Datei „protokoll.docx“ ist keine Word-Datei, sondern eine PDF-Datei; sie wurde als PDF gelesen."
    )
    as_pdf = read_document(sample_docx(), "C:\\Protokolle\\protokoll.pdf")
    assert as_pdf.format == DOCX
    assert as_pdf.file_name == "protokoll.pdf"
    assert as_pdf.notes[0].message == (
        "Die Datei „protokoll.pdf“ ist keine PDF-Datei, sondern eine Word-Datei; sie wurde als Word-Dokument gelesen."
    )
    text = read_document(docs.seed_text(), "protokoll.pdf")
    assert text.format == TEXT
    assert "sie wurde als Text gelesen" in text.notes[0].message
    # A name that claims none of the three formats is no warning.
    assert read_document(docs.seed_text(), "protokoll").notes == []


def test_the_document_keeps_content_and_checksum() -> None:
    content = docs.seed_text()
    document = read_document(content, "uploads/003.txt")
    assert document.content == content
    assert len(document.sha512) == 128
    assert document.file_name == "003.txt"
    assert document.format_label == "Text"


# --- text -----------------------------------------------------------------------------------------


def test_seed_text_blocks_mirror_the_lines() -> None:
    document = read_document(docs.seed_text(), "003_bc30d92c6853b0cf.txt")
    assert document.format == TEXT
    assert document.notes == []
    assert_lines_consistent(document)
    for block in document.blocks:
        assert block.where == f"Zeile {block.line + 1}"
        assert document.lines[block.line].strip()
    blocks = {block.where: block for block in document.blocks}
    assert shape(blocks["Zeile 3"]) == (PARAGRAPH, ("ERGEBNISPROTOKOLL",))
    assert shape(blocks["Zeile 7"]) == (ROW, ("Datum & Uhrzeit", "24.01.2024, 14:10 Uhr – 16:30 Uhr"))
    assert shape(blocks["Zeile 10"]) == (
        ROW,
        ("Protokollant", "Tobias Amende, Projektmanager, Wirtschaftsregion Lausitz"),
    )
    agenda_3 = blocks["Zeile 17"]
    assert agenda_3.cells[0] == "3"
    assert agenda_3.cells[1].endswith("<i>Verbesserung der Lebensbedingungen / Soziale Infrastruktur IUC-Modellregion "
                                      "Gesundheit / Wärmeversorgung (Modellprojekte)</i>")  # fmt: skip
    result_3 = blocks["Zeile 28"]
    assert result_3.kind == ROW
    assert result_3.cells[1].startswith("<p>Ausführungen zu den Schwerpunkten der Werkstatt 4</p> <p>Heiko Jahn")
    assert '<ul style="list-style-type: none"> • Insgesamt 72 Projekte' in result_3.cells[1]  # HTML kept as it is
    assert len([b for b in document.blocks if b.kind == ROW]) == 5 + 8 + 8
    assert len(document.lines) == document.text.count("\n") + 1


def test_bom_and_crlf_read_like_the_plain_file() -> None:
    plain = read_document(docs.seed_text(), "a.txt")
    text = docs.seed_text().decode("utf-8")
    for content in (docs.as_crlf_bom(text), text.replace("\n", "\r").encode("utf-8")):
        document = read_document(content, "a.txt")
        assert document.notes == []
        assert document.lines == plain.lines
        assert document.blocks == plain.blocks


def test_windows_1252_is_detected_and_converted() -> None:
    text = docs.minutes_text(docs.sample_session())
    document = read_document(docs.as_cp1252(text), "alt.txt")
    assert [(n.level, n.message) for n in document.notes] == [
        (INFO, "Zeichenkodierung Windows-1252 erkannt; der Text wurde nach UTF-8 umgewandelt.")
    ]
    assert document.blocks[2].cells == ("Datum & Uhrzeit", "05.03.2024, 10:00 Uhr – 12:45 Uhr")
    assert "Präsentationen" in document.text
    assert "„Radschnellweg Spreewald“" in document.text  # cp1252 quotes, not C1 controls
    # Lines are those of the file, CRLF or not.
    assert document.lines == text.rstrip("\n").replace("ś", "?").split("\n")


def test_latin_1_when_windows_1252_does_not_fit() -> None:
    content = "Ort\tBürgerzentrum Herzberg\n".encode("latin-1") + b"Notiz\t\x81\x8d\n"
    document = read_document(content, "alt.txt")
    assert "ISO-8859-1 (Latin-1)" in document.notes[0].message
    assert document.blocks[0].cells == ("Ort", "Bürgerzentrum Herzberg")


def test_utf_16_with_bom() -> None:
    text = docs.seed_text().decode("utf-8")
    document = read_document(docs.as_utf16(text), "unicode.txt")
    assert "UTF-16" in document.notes[0].message
    assert document.blocks == read_document(docs.seed_text(), "a.txt").blocks


def test_text_lines_become_rows_list_items_and_paragraphs() -> None:
    text = "\n".join(
        [
            "Ergebnisse",  # 1
            "4.1\t\t Vorstellung  \t Anna Nowak\t",  # 2: empty fields dropped, cells stripped
            "• Erster Punkt",  # 3
            "  ◦ Unterpunkt",  # 4: indented
            "◦ Kreis ohne Einzug",  # 5: level from the bullet
            "\t- Strich mit Tab",  # 6
            "    * Stern tief",  # 7: 4 spaces, the indentation unit is 2
            "o Buchstabe o",  # 8
            "a) Erstens",  # 9
            "  1) Zweitens",  # 10
            "–\tGedankenstrich mit Tab",  # 11
            "",  # 12
            "- 5 Grad sind kein Punkt? Doch: Strich und Leerzeichen.",  # 13
            "-5 Grad ist Text",  # 14
            "Ohne Tab ist es ein Absatz.",  # 15
        ]
    )
    blocks = read_document(text.encode(), "liste.txt").blocks
    got = [(b.where, b.kind, b.cells, b.level, b.ordered) for b in blocks]
    assert got == [
        ("Zeile 1", PARAGRAPH, ("Ergebnisse",), 0, False),
        ("Zeile 2", ROW, ("4.1", "Vorstellung", "Anna Nowak"), 0, False),
        ("Zeile 3", LIST_ITEM, ("Erster Punkt",), 0, False),
        ("Zeile 4", LIST_ITEM, ("Unterpunkt",), 1, False),
        ("Zeile 5", LIST_ITEM, ("Kreis ohne Einzug",), 1, False),
        ("Zeile 6", LIST_ITEM, ("Strich mit Tab",), 1, False),
        ("Zeile 7", LIST_ITEM, ("Stern tief",), 2, False),
        ("Zeile 8", LIST_ITEM, ("Buchstabe o",), 1, False),
        ("Zeile 9", LIST_ITEM, ("Erstens",), 0, True),
        ("Zeile 10", LIST_ITEM, ("Zweitens",), 1, True),
        ("Zeile 11", LIST_ITEM, ("Gedankenstrich mit Tab",), 0, False),
        ("Zeile 13", LIST_ITEM, ("5 Grad sind kein Punkt? Doch: Strich und Leerzeichen.",), 0, False),
        ("Zeile 14", PARAGRAPH, ("-5 Grad ist Text",), 0, False),
        ("Zeile 15", PARAGRAPH, ("Ohne Tab ist es ein Absatz.",), 0, False),
    ]


def test_text_without_any_text_is_refused() -> None:
    assert "enthält keinen Text" in refused(b"\r\n   \r\n\t\r\n", "leer.txt")


# --- Word -----------------------------------------------------------------------------------------


def test_docx_tables_headings_and_nested_lists() -> None:
    spec = docs.sample_session()
    document = read_document(docs.docx_tables(spec), "protokoll.docx")
    assert document.format == DOCX
    assert document.notes == []
    assert_lines_consistent(document)
    assert len(document.lines) == len(document.blocks)
    blocks = document.blocks
    assert (blocks[0].kind, blocks[0].level, blocks[0].where) == (HEADING, 0, "Absatz 1")
    by_where = {block.where: block for block in blocks}
    assert shape(by_where["Tabelle 1, Zeile 1"]) == (ROW, ("Datum &amp; Uhrzeit", "05.03.2024, 10:00 Uhr – 12:45 Uhr"))
    # A cell with several paragraphs: each a <p>; the bold title is not marked, the italic note is.
    assert shape(by_where["Tabelle 2, Zeile 6"]) == (
        ROW,
        (
            "4.1",
            "<p>Vorstellung STARK-Projekt „Radschnellweg Spreewald“</p>"
            "<p>Anna Nowak, Projektleiterin, Landkreis Dahme-Spreewald</p>"
            "<p>Peter Lehmann, Bürgermeister der Stadt Lübben (Spreewald)</p>"
            "<p><i>Radverkehr / Tourismus</i></p>",
        ),
    )
    assert document.lines[by_where["Tabelle 2, Zeile 6"].line] == (
        "4.1 | Vorstellung STARK-Projekt „Radschnellweg Spreewald“ / Anna Nowak, Projektleiterin, Landkreis "
        "Dahme-Spreewald / Peter Lehmann, Bürgermeister der Stadt Lübben (Spreewald) / Radverkehr / Tourismus"
    )
    top_3 = next(i for i, b in enumerate(blocks) if b.kind == HEADING and b.html.startswith("TOP 3 "))
    assert blocks[top_3].level == 2
    got = [(b.kind, b.html, b.level, b.ordered) for b in blocks[top_3 + 1 : top_3 + 10]]
    assert got == [
        (PARAGRAPH, "Jan Lewerenz, Leiter Lausitz-Büro, Investitionsbank des Landes Brandenburg", 0, False),
        (PARAGRAPH, "Vier Projekte sind in der Umsetzung:", 0, False),
        (LIST_ITEM, "Ausbau der Bahnstrecke Cottbus–Lübbenau", 0, False),
        (LIST_ITEM, "Planfeststellung abgeschlossen", 1, False),
        (LIST_ITEM, "Baubeginn im Herbst 2024", 1, False),
        (LIST_ITEM, "Mobilitätszentrale Spremberg", 0, False),
        (PARAGRAPH, "Nächste Schritte:", 0, False),
        (LIST_ITEM, "Kostenschätzung vorlegen", 0, True),
        (LIST_ITEM, "Förderantrag stellen", 0, True),
    ]


def test_docx_lists_inside_table_cells_nest() -> None:
    spec = docs.sample_session()
    document = read_document(docs.docx_tables(spec, results_in_table=True), "protokoll.docx")
    row = next(b for b in document.blocks if b.where == "Tabelle 3, Zeile 3")
    item = spec.items[2]
    assert row.cells == (
        "TOP 3",
        f"<p>{item.title}</p><p>{item.presenters[0].line}</p>{item.result_html}",
    )
    assert "<ul><li>Ausbau der Bahnstrecke Cottbus–Lübbenau<ul><li>Planfeststellung" in row.cells[1]


def test_docx_word_numbering_levels_and_formats() -> None:
    document = docx.Document()
    num_id = docs.multilevel_list(document, ("decimal", "lowerLetter", "bullet"))
    docs.list_paragraph(document, "Eins", num_id, 0)
    docs.list_paragraph(document, "Buchstabe", num_id, 1)
    docs.list_paragraph(document, "Punkt", num_id, 2)
    document.add_paragraph("Punkt zwei", style="List Bullet 2")
    document.add_paragraph("Nummer", style="List Number")
    off = docs.list_paragraph(document, "Nummerierung aus", num_id, 0)
    off._p.pPr.numPr.numId.val = 0
    out = io.BytesIO()
    document.save(out)
    blocks = read_document(out.getvalue(), "listen.docx").blocks
    assert [(b.kind, b.html, b.level, b.ordered) for b in blocks] == [
        (LIST_ITEM, "Eins", 0, True),
        (LIST_ITEM, "Buchstabe", 1, True),
        (LIST_ITEM, "Punkt", 2, False),
        (LIST_ITEM, "Punkt zwei", 1, False),
        (LIST_ITEM, "Nummer", 0, True),
        (PARAGRAPH, "Nummerierung aus", 0, False),
    ]


def _hyperlink(paragraph: docx.text.paragraph.Paragraph, url: str, text: str) -> None:
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
    run = OxmlElement("w:r")
    run_text = OxmlElement("w:t")
    run_text.text = text
    run.append(run_text)
    link.append(run)
    paragraph._p.append(link)


def test_docx_runs_links_breaks_tabs_and_merged_cells() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Siehe ")
    _hyperlink(paragraph, "https://example.org/a?b=1&c=2", "Präsentation")
    paragraph.add_run(" und ")
    paragraph.add_run("kursiv").italic = True
    paragraph.add_run(", ")
    paragraph.add_run("fett").bold = True
    paragraph.add_run(" <script>").add_break()
    paragraph.add_run("zweite Zeile")
    document.add_paragraph("Datum:\t24.01.2024")
    document.add_paragraph()  # empty paragraphs are skipped and not counted
    heading = document.add_paragraph()
    heading.add_run("TOP 1: Begrüßung").bold = True
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).paragraphs[0].add_run("Über alle Spalten")
    table.cell(1, 0).merge(table.cell(2, 0)).paragraphs[0].add_run("Zwei Zeilen hoch")
    table.cell(1, 1).paragraphs[0].add_run("b")
    table.cell(1, 2).paragraphs[0].add_run("c")
    table.cell(2, 1).paragraphs[0].add_run("e")
    out = io.BytesIO()
    document.save(out)
    blocks = read_document(out.getvalue(), "runs.docx").blocks
    assert [(b.where, b.kind, b.cells) for b in blocks] == [
        (
            "Absatz 1",
            PARAGRAPH,
            (
                'Siehe <a href="https://example.org/a?b=1&amp;c=2">Präsentation</a> und <i>kursiv</i>, '
                "<b>fett</b> &lt;script&gt;<br>zweite Zeile",
            ),
        ),
        ("Absatz 2", ROW, ("Datum:", "24.01.2024")),
        ("Absatz 3", HEADING, ("TOP 1: Begrüßung",)),
        ("Tabelle 1, Zeile 1", ROW, ("Über alle Spalten",)),
        ("Tabelle 1, Zeile 2", ROW, ("Zwei Zeilen hoch", "b", "c")),
        ("Tabelle 1, Zeile 3", ROW, ("e",)),
    ]


def test_docx_paragraph_shape_without_tables() -> None:
    document = read_document(docs.docx_paragraphs(docs.sample_session()), "absaetze.docx")
    texts = [(b.kind, b.html) for b in document.blocks]
    assert (PARAGRAPH, "Datum: 05.03.2024") in texts
    assert (PARAGRAPH, "TOP 4.1: Vorstellung STARK-Projekt „Radschnellweg Spreewald“") in texts
    assert (HEADING, "TOP 4.1: Vorstellung STARK-Projekt „Radschnellweg Spreewald“") in texts
    numbered = [b for b in document.blocks if b.kind == LIST_ITEM and b.ordered]
    assert [b.html for b in numbered] == ["Kostenschätzung vorlegen", "Förderantrag stellen"]


def test_truncated_docx_is_refused() -> None:
    for fraction in (0.2, 0.5, 0.95):
        message = refused(docs.truncated(sample_docx(), fraction), "protokoll.docx")
        assert "Word-Datei „protokoll.docx“ ist beschädigt oder unvollständig" in message


# --- PDF ------------------------------------------------------------------------------------------


def test_scanned_pdf_is_refused() -> None:
    message = refused(docs.scanned_pdf(), "scan.pdf")
    assert "enthält keinen Text; vermutlich ist sie eingescannt" in message
    assert "keine Texterkennung" in message


def test_truncated_pdf_is_refused() -> None:
    for fraction in (0.1, 0.5, 0.99):
        message = refused(docs.truncated(sample_pdf(), fraction), "protokoll.pdf")
        assert "PDF-Datei „protokoll.pdf“ ist beschädigt oder unvollständig" in message


def test_password_protected_pdf_is_refused() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(sample_pdf())))
    writer.encrypt(user_password="geheim", owner_password="geheimer")
    out = io.BytesIO()
    writer.write(out)
    assert "verschlüsselt oder mit einem Kennwort geschützt" in refused(out.getvalue(), "geschuetzt.pdf")


def test_pdf_restricted_without_a_password_is_read() -> None:
    """Encrypted only against editing or printing (empty user password): it opens, so it is read."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(sample_pdf())))
    writer.encrypt(user_password="", owner_password="geheimer")
    out = io.BytesIO()
    writer.write(out)
    document = read_document(out.getvalue(), "eingeschraenkt.pdf")
    assert document.blocks == read_document(sample_pdf(), "offen.pdf").blocks


def test_pdf_of_another_layout_three_columns_and_nested_lists() -> None:
    spec = docs.sample_session()
    document = read_document(sample_pdf(), "protokoll.pdf")
    assert_lines_consistent(document)
    rows = [b.cells for b in document.blocks if b.kind == ROW]
    assert ("Sitzungsleitung", "Dr. Maria Kowalczyk, Werkstattsprecherin") in rows
    assert (
        "2",
        "Bestätigung des Protokolls der 11. Sitzung vom 14.11.2023 und der Tagesordnung",
        "Dr. Maria Kowalczyk, Werkstattsprecherin",
    ) in rows
    assert ("4.1", spec.items[4].title, "<br>".join(p.line for p in spec.items[4].presenters)) in rows
    items = [(b.html, b.level, b.ordered) for b in document.blocks if b.kind == LIST_ITEM]
    assert items[:6] == [
        ("Ausbau der Bahnstrecke Cottbus–Lübbenau", 0, False),
        ("Planfeststellung abgeschlossen", 1, False),
        ("Baubeginn im Herbst 2024", 1, False),
        ("Mobilitätszentrale Spremberg", 0, False),
        ("Kostenschätzung vorlegen", 0, True),
        ("Förderantrag stellen", 0, True),
    ]
    assert (HEADING, ("TOP 4.1 Vorstellung STARK-Projekt „Radschnellweg Spreewald“",)) in map(shape, document.blocks)


def test_pdf_page_furniture_is_dropped_and_wrapped_lines_joined() -> None:
    long = "Die Werkstatt empfiehlt die Weiterleitung des Projektes an die Staatskanzlei Brandenburg. " * 3
    markup = (
        "<html><head><style>@page { size: A5; margin: 20mm; @top-center { content: 'Werkstatt 3 – intern' }"
        " @bottom-center { content: 'Seite ' counter(page) ' von ' counter(pages) } }"
        " body { font-family: 'DejaVu Sans'; font-size: 10pt }</style></head><body>"
        + "".join(f"<h3>TOP {n} Thema {n}</h3><p>{long}</p><p>Kurze Zeile</p><p>Noch eine</p>" for n in range(1, 9))
        + "</body></html>"
    )
    document = read_document(docs.pdf_from_html(markup), "lang.pdf")
    assert "Seite 1 von" not in document.text
    assert "intern" not in document.text
    assert document.notes[0].level == INFO
    assert "ausgelassen" in document.notes[0].message
    paragraphs = [b.html for b in document.blocks if b.kind == PARAGRAPH]
    assert paragraphs.count(long.strip()) >= 7  # one may be split by a page break
    assert paragraphs.count("Kurze Zeile") == paragraphs.count("Noch eine") == 8
    headings = [b.html for b in document.blocks if b.kind == HEADING]
    assert headings == [f"TOP {n} Thema {n}" for n in range(1, 9)]
    assert all(b.where.startswith("Seite ") and ", Zeile " in b.where for b in document.blocks)


# --- the platform's own exports of the demo sessions ---------------------------------------------


def test_exported_minutes_of_the_demo_sessions_read_back(demo: object) -> None:
    w4 = meeting_staff_page(Meeting.objects.get(workshop__number=4, number=16).pk)
    w2 = meeting_staff_page(Meeting.objects.get(workshop__number=2, date=dt.date(2024, 1, 16)).pk)
    check_w4_pdf(read_document(minutes_pdf(w4), "w4.pdf"))
    check_w4_docx(read_document(minutes_docx(w4), "w4.docx"))
    check_w2(read_document(minutes_pdf(w2), "w2.pdf"), pdf=True)
    check_w2(read_document(minutes_docx(w2), "w2.docx"), pdf=False)


TOP_6_TITLE = (
    "Vorstellung Investitionsprojekt „Telemedizinische Einbindung von Notärzten im Regionalleitstellenbereich Lausitz“"
)
ZELLMANN = (
    "Ingolf Zellmann, Servicebereichsleiter Leitstelle/Rettungsdienst/Katastrophenschutz, "
    "Stadtverwaltung Cottbus/Chóśebuz"
)
NOTE_3 = (
    "Verbesserung der Lebensbedingungen / Soziale Infrastruktur IUC-Modellregion Gesundheit / "
    "Wärmeversorgung (Modellprojekte)"
)
GENERAL_16 = [
    ("Datum &amp; Uhrzeit", "24.01.2024, 14:10 Uhr – 16:30 Uhr"),
    ("Ort", "Bürgerzentrum, Uferstraße 6, 04916 Herzberg (Elster)"),
    ("Sitzungsleitung", "Sven Guntermann, Werkstattsprecher"),
    ("Protokollant", "Tobias Amende, Projektmanager, Wirtschaftsregion Lausitz"),
    ("Anlagen", "Liste der Teilnehmenden, Präsentation(en)"),
]


def section(document: SourceDocument, heading: str) -> list[Block]:
    """The blocks after a heading up to the next heading of the same or a higher level."""
    start = next(i for i, b in enumerate(document.blocks) if b.kind == HEADING and b.html == heading)
    level = document.blocks[start].level
    out = []
    for block in document.blocks[start + 1 :]:
        if block.kind == HEADING and block.level <= level:
            break
        out.append(block)
    return out


def check_w4_pdf(document: SourceDocument) -> None:
    assert document.format == PDF
    assert_lines_consistent(document)
    assert [shape(b) for b in document.blocks[:3]] == [
        (HEADING, ("ERGEBNISPROTOKOLL",)),
        (PARAGRAPH, ("Werkstatt 4: Daseinsvorsorge, ländliche Entwicklung &amp; “smart regions”",)),
        (HEADING, ("16. Sitzung der Werkstatt 4",)),
    ]
    assert document.blocks[0].level == 0
    assert [b.cells for b in section(document, "Allgemeines")] == GENERAL_16
    agenda = section(document, "Tagesordnung")
    assert all(b.kind == ROW for b in agenda)
    assert [b.cells[0] for b in agenda] == ["TOP", "1", "2", "3", "4", "5", "6", "7", "8"]
    assert agenda[1].cells[1] == (  # two presenters, each on its line
        "Begrüßung der Gäste<br>Sven Guntermann, Werkstattsprecher<br>"
        "Karsten Eule-Prütz, Bürgermeister der Stadt Herzberg (Elster)"
    )
    assert agenda[3].cells[1] == (
        f"Ausführungen zu den Schwerpunkten der Werkstatt 4<br>Heiko Jahn, Geschäftsführer, Wirtschaftsregion "
        f"Lausitz<br><i>{NOTE_3}</i>"
    )
    assert agenda[6].cells[1] == f"{TOP_6_TITLE}<br>{ZELLMANN}"  # wrapped title and presenter joined
    assert agenda[6].where == "Seite 1, Zeile 25"
    assert agenda[8].cells == ("8", "Sonstiges")

    results = section(document, "Ergebnisse")
    assert document.blocks[document.blocks.index(results[0]) - 1].level == 1
    assert [(b.kind, b.html) for b in results[:4]] == [
        (HEADING, "TOP 1 Begrüßung der Gäste"),
        (PARAGRAPH, "Sven Guntermann, Werkstattsprecher"),
        (PARAGRAPH, "Karsten Eule-Prütz, Bürgermeister der Stadt Herzberg (Elster)"),
        (HEADING, "TOP 2 Bestätigung des Protokolls der 15. Sitzung vom 21.11.2023 und der Tagesordnung"),
    ]
    assert [(b.kind, b.html) for b in section(document, "TOP 3 Ausführungen zu den Schwerpunkten der Werkstatt 4")] == [
        (PARAGRAPH, "Heiko Jahn, Geschäftsführer, Wirtschaftsregion Lausitz"),
        (PARAGRAPH, f"<i>{NOTE_3}</i>"),
        (LIST_ITEM, "Insgesamt 72 Projekte wurden seit März 2021 durch die IMAG bestätigt."),
        (
            LIST_ITEM,
            "Die Werkstatt 4 wird zukünftig immer mehr in den Fokus des Strukturwandels rücken. In den ersten drei "
            "Jahren lag der Schwerpunkt auf der Entwicklung wirtschaftlicher Perspektiven. Grundsätzlich sind die "
            "investiven Entwicklungen der Daseinsvorsorge unter Kriterien wie wirtschaftliche Ansiedlungen und "
            "Wachstumskerne zu betrachten.",
        ),
    ]
    assert [(b.kind, b.html) for b in section(document, f"TOP 6 {TOP_6_TITLE}")] == [
        (PARAGRAPH, ZELLMANN),
        (
            LIST_ITEM,
            "Das Projekt wurde am 16.01.2024 in der federführenden Werkstatt 2 vorgestellt und es wurde eine "
            "konsensuale Empfehlung für die Weiterleitung des Projektes an die Staatskanzlei Brandenburg "
            "ausgesprochen.",
        ),
    ]
    assert len([b for b in results if b.kind == LIST_ITEM]) == 2 + 4 + 1 + 1
    assert all("Seite 1 von 2" not in line for line in document.lines)


def check_w4_docx(document: SourceDocument) -> None:
    assert document.format == DOCX
    assert_lines_consistent(document)
    assert [b.cells for b in section(document, "Allgemeines")] == GENERAL_16
    agenda = section(document, "Tagesordnung")
    assert [b.where for b in agenda] == [f"Tabelle 2, Zeile {n}" for n in range(1, 10)]
    assert agenda[1].cells == (
        "1",
        "<p>Begrüßung der Gäste</p><p>Sven Guntermann, Werkstattsprecher<br>"
        "Karsten Eule-Prütz, Bürgermeister der Stadt Herzberg (Elster)</p>",
    )
    assert agenda[6].cells == ("6", f"<p>{TOP_6_TITLE}</p><p>{ZELLMANN}</p>")
    top_3 = section(document, "TOP 3 Ausführungen zu den Schwerpunkten der Werkstatt 4")
    assert [(b.kind, b.html, b.level) for b in top_3[:3]] == [
        (PARAGRAPH, "Heiko Jahn, Geschäftsführer, Wirtschaftsregion Lausitz", 0),
        (PARAGRAPH, f"<i>{NOTE_3}</i>", 0),
        (LIST_ITEM, "Insgesamt 72 Projekte wurden seit März 2021 durch die IMAG bestätigt.", 0),
    ]
    top_1 = section(document, "TOP 1 Begrüßung der Gäste")
    assert [shape(b) for b in top_1] == [
        (
            PARAGRAPH,
            ("Sven Guntermann, Werkstattsprecher<br>Karsten Eule-Prütz, Bürgermeister der Stadt Herzberg (Elster)",),
        )
    ]
    assert document.lines[top_1[0].line] == (
        "Sven Guntermann, Werkstattsprecher / Karsten Eule-Prütz, Bürgermeister der Stadt Herzberg (Elster)"
    )


def check_w2(document: SourceDocument, *, pdf: bool) -> None:
    assert [b.cells for b in section(document, "Allgemeines")] == [("Datum &amp; Uhrzeit", "16.01.2024")]
    agenda = section(document, "Tagesordnung")
    title = TOP_6_TITLE
    expected = f"{title}<br>Ingolf Zellmann" if pdf else f"<p>{title}</p><p>Ingolf Zellmann</p>"
    assert [b.cells for b in agenda] == [("TOP", "Thema und Vortragende"), ("1", expected)]
    notice = next(b for b in document.blocks if "Nicht" in b.html)
    assert notice.html.startswith("<b>Nicht")
    assert "Dieses Protokoll ist im Zustand „Entwurf“" in notice.html
    assert [shape(b) for b in section(document, f"TOP 1 {title}")] == [
        (PARAGRAPH, ("Ingolf Zellmann",)),
        (
            PARAGRAPH,
            (
                "Konsensuale Empfehlung für die Weiterleitung des Projektes an die Staatskanzlei Brandenburg "
                "(federführende Werkstatt).",
            ),
        ),
    ]


# --- nothing but DocumentError ---------------------------------------------------------------------

robust = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_or_refuse(content: bytes, name: str) -> None:
    try:
        document = read_document(content, name)
    except DocumentError as error:
        assert error.messages and error.messages[0].startswith("Die ")
        return
    assert document.blocks
    assert_lines_consistent(document)


@robust
@given(content=st.binary(min_size=0, max_size=2000), name=st.sampled_from(["a.txt", "a.docx", "a.pdf", "a"]))
def test_random_bytes_never_raise_anything_else(content: bytes, name: str) -> None:
    read_or_refuse(content, name)


@robust
@given(cut=st.floats(min_value=0.0, max_value=1.0), source=st.sampled_from(["docx", "pdf"]))
def test_truncations_of_real_files_never_raise_anything_else(cut: float, source: str) -> None:
    content = sample_docx() if source == "docx" else sample_pdf()
    read_or_refuse(content[: int(len(content) * cut)], f"a.{source}")


@robust
@given(
    position=st.floats(min_value=0.0, max_value=1.0),
    garbage=st.binary(min_size=1, max_size=64),
    source=st.sampled_from(["docx", "pdf"]),
)
def test_damaged_real_files_never_raise_anything_else(position: float, garbage: bytes, source: str) -> None:
    content = sample_docx() if source == "docx" else sample_pdf()
    at = int(len(content) * position)
    read_or_refuse(content[:at] + garbage + content[at + len(garbage) :], f"a.{source}")
