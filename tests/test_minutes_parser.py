"""The minutes parser: from the blocks of a document to a session, with findings for all that is uncertain.

Inputs are built by hand as ``SourceDocument``s in the shapes the readers produce: text lines (a tab
makes a row, a bullet a list item), Word-like headings, tables and lists, paragraph-only documents and
PDF-like rows. The seed document must parse into exactly what the demo data holds.

The seed's findings, documented: three INFOs for the typo "Werkstattprecher" (lines 9, 15, 16) and two
WARNINGs, because the seed names neither its workshop nor its session number: the workshop is taken
from TOP 3 ("Schwerpunkten der Werkstatt 4"), the number 16 from TOP 2 ("Protokolls der 15. Sitzung").
With ``workshop_number=4`` only the second warning remains.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkstatt.core.richtext import sanitise_html
from werkstatt.core.text import normalise_text
from werkstatt.demo import data
from werkstatt.importers.minutes import names
from werkstatt.importers.minutes.dates import find_dates, find_times
from werkstatt.importers.minutes.document import (
    BLOCK_KINDS,
    DOCX,
    HEADING,
    LIST_ITEM,
    PARAGRAPH,
    PDF,
    ROW,
    TEXT,
    Block,
    SourceDocument,
)
from werkstatt.importers.minutes.parsed import ERROR, INFO, LEVELS, WARNING, ParsedSession
from werkstatt.importers.minutes.parser import parse_document, parse_place
from werkstatt.meetings.models import AGENDA_NUMBER_RE

SEED = Path(data.__file__).parent / "seeds" / "003_bc30d92c6853b0cf.txt"


# --- building documents -----------------------------------------------------------------------------------


def text_document(text: str) -> SourceDocument:
    """Blocks as the text reader makes them: tab -> row, bullet -> list item, else paragraph."""
    lines = text.split("\n")
    blocks = []
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        where = f"Zeile {index + 1}"
        if "\t" in line:
            blocks.append(Block(ROW, tuple(line.split("\t")), where, index))
        elif line.lstrip().startswith(("•", "-")):
            blocks.append(Block(LIST_ITEM, (line.strip(),), where, index))
        else:
            blocks.append(Block(PARAGRAPH, (line,), where, index))
    return SourceDocument("test.txt", TEXT, text.encode(), "", lines, blocks)


def block_document(specs: list[tuple], fmt: str = DOCX) -> SourceDocument:
    """Blocks from (kind, cells[, level[, ordered]]) tuples; each block is one line of the document."""
    blocks = []
    lines = []
    for index, spec in enumerate(specs):
        kind, cells, *rest = spec
        cells = (cells,) if isinstance(cells, str) else tuple(cells)
        level = rest[0] if rest else 0
        ordered = rest[1] if len(rest) > 1 else False
        blocks.append(Block(kind, cells, f"Absatz {index + 1}", index, level, ordered))
        lines.append(" | ".join(cells))
    return SourceDocument("test.docx", fmt, b"", "", lines, blocks)


def lines(*texts: str) -> str:
    return "\n".join(texts)


def seed_document() -> SourceDocument:
    return text_document(SEED.read_text(encoding="utf-8"))


def messages(session: ParsedSession, level: str) -> list[str]:
    return [f.message for f in session.findings if f.level == level]


def assert_consistent(session: ParsedSession) -> None:
    """What an importable session must satisfy (no ERROR findings)."""
    assert session.workshop_number is not None
    assert session.date is not None
    if session.end_time is not None:
        assert session.start_time is not None and session.end_time >= session.start_time
    numbers = [item.number for item in session.items]
    assert len(numbers) == len(set(numbers))
    for item in session.items:
        assert AGENDA_NUMBER_RE.match(item.number)
        assert item.title and len(item.title) <= 500
        assert sanitise_html(item.result) == item.result


def assert_findings_have_places(session: ParsedSession) -> None:
    for finding in session.findings:
        assert finding.level in LEVELS
        if finding.where:
            assert finding.message.startswith(finding.where + ": ")


# --- the seed ---------------------------------------------------------------------------------------------------


def test_seed_session_fields() -> None:
    session = parse_document(seed_document())
    expected = data.SESSION_16
    assert session.errors == []
    assert session.workshop_number == 4
    assert session.workshop_name == dict(data.WORKSHOPS)[4]
    assert session.number == expected.number
    assert session.date == expected.date
    assert (session.start_time, session.end_time) == (expected.start, expected.end)
    assert session.place is not None
    description, street, postal_code, locality, _municipality = expected.location
    assert (session.place.description, session.place.street_address) == (description, street)
    assert (session.place.postal_code, session.place.locality, session.place.online) == (postal_code, locality, False)
    assert session.chair is not None and session.minute_taker is not None
    assert (session.chair.given_name, session.chair.family_name) == ("Sven", "Guntermann")
    assert session.chair.function == normalise_text(expected.chair[1]) == "Werkstattsprecher"
    assert (session.minute_taker.given_name, session.minute_taker.family_name) == ("Tobias", "Amende")
    assert f"{session.minute_taker.function}, {session.minute_taker.organization}" == expected.minute_taker[1]
    assert session.attachments == list(expected.attachments)


def test_seed_items_are_agenda_16() -> None:
    session = parse_document(seed_document())
    assert [item.number for item in session.items] == [row[0] for row in data.AGENDA_16]
    for item, (number, kind, title, note, presenters, result) in zip(session.items, data.AGENDA_16, strict=True):
        assert (item.number, item.kind, item.title, item.note) == (number, kind, normalise_text(title), note)
        assert item.result == sanitise_html(result), number
        assert len(item.presenters) == len(presenters), number
        for person, (key, function, organisation) in zip(item.presenters, presenters, strict=True):
            if key == "*":
                assert person.group_label == function
                assert (person.given_name, person.family_name) == ("", "")
                continue
            title_, given_name, family_name, *_rest = data.PERSONS[key]
            assert (person.title, person.given_name, person.family_name) == (title_, given_name, family_name)
            assert person.function == normalise_text(function)
            assert person.organization == normalise_text(organisation)
            assert person.group_label == ""
        assert item.where.startswith("Zeile ") and item.line is not None


def test_seed_previous_session_and_projects() -> None:
    session = parse_document(seed_document())
    assert session.previous_session == (data.SESSION_15.number, data.SESSION_15.date)
    top5, top6 = session.items[4], session.items[5]
    assert [(p.title, p.instrument, p.kind_label) for p in top5.projects] == [
        (data.WERTEGESELLSCHAFT.title, "stark", "STARK-Projekt")
    ]
    assert (top5.projects[0].outcome, top5.projects[0].lead_workshop) == ("", None)
    assert len(top6.projects) == 1
    project = top6.projects[0]
    assert (project.title, project.instrument, project.kind_label) == (
        data.TELEMEDICINE.title,
        "",
        "Investitionsprojekt",
    )
    assert (project.lead_workshop, project.lead_outcome, project.lead_date) == (
        2,
        "recommendation",
        data.WORKSHOP_2_RECOMMENDATION_DATE,
    )
    assert project.outcome == ""
    assert all(not item.projects for item in session.items if item.number not in ("5", "6"))


def test_seed_findings() -> None:
    session = parse_document(seed_document())
    assert messages(session, INFO) == [
        "Zeile 9: „Werkstattprecher“ als „Werkstattsprecher“ gelesen.",
        "Zeile 15: „Werkstattprecher“ als „Werkstattsprecher“ gelesen.",
        "Zeile 16: „Werkstattprecher“ als „Werkstattsprecher“ gelesen.",
    ]
    assert messages(session, WARNING) == [
        "Zeile 17: Werkstatt 4 aus TOP 3 geschlossen („Ausführungen zu den Schwerpunkten der Werkstatt 4“); "
        "bitte prüfen.",
        "Zeile 16: Sitzungsnummer 16 aus TOP 2 geschlossen („Protokoll der 15. Sitzung“).",
    ]
    assert messages(session, ERROR) == []
    assert [(f.where, f.line) for f in session.warnings] == [("Zeile 17", 16), ("Zeile 16", 15)]
    assert_findings_have_places(session)


def test_seed_with_workshop_given() -> None:
    session = parse_document(seed_document(), workshop_number=4)
    assert session.workshop_number == 4
    assert messages(session, WARNING) == [
        "Zeile 16: Sitzungsnummer 16 aus TOP 2 geschlossen („Protokoll der 15. Sitzung“)."
    ]
    other = parse_document(seed_document(), workshop_number=2)
    assert other.workshop_number == 2
    assert other.workshop_name == dict(data.WORKSHOPS)[2]
    assert (
        "Zeile 17: Das Dokument nennt „Ausführungen zu den Schwerpunkten der Werkstatt 4“; übernommen wird "
        "Werkstatt 2 (Vorgabe)." in messages(other, WARNING)
    )


def test_seed_without_results_section_uses_the_heuristic_split() -> None:
    """Without the Ergebnisse section the one-line agenda rows are split by names alone, the same way."""
    text = SEED.read_text(encoding="utf-8").split("\nErgebnisse\n")[0]
    session = parse_document(text_document(text))
    assert [item.title for item in session.items] == [normalise_text(row[2]) for row in data.AGENDA_16]
    assert [[p.name or p.group_label for p in item.presenters] for item in session.items] == [
        ["Sven Guntermann", "Karsten Eule-Prütz"],
        ["Sven Guntermann"],
        ["Heiko Jahn"],
        ["Jan Lewerenz"],
        ["Prof. Dr.-Ing. Eckart Kramer"],
        ["Ingolf Zellmann"],
        ["Alle Werkstattmitglieder"],
        [],
    ]
    assert "Zeile 13: Abschnitt „Ergebnisse“ fehlt; die TOPs haben keine Ergebnisse." in messages(session, WARNING)
    assert all(item.result == "" for item in session.items)


# --- a Word document as the exporter writes it ------------------------------------------------------------


def docx_minutes() -> SourceDocument:
    return block_document(
        [
            (HEADING, "Ergebnisprotokoll", 0),
            (PARAGRAPH, "Werkstatt 4: Daseinsvorsorge, ländliche Entwicklung &amp; “smart regions”"),
            (PARAGRAPH, "<b>16. Sitzung der Werkstatt 4</b>"),
            (HEADING, "Allgemeines", 1),
            (ROW, ("<b>Datum &amp; Uhrzeit</b>", "24.01.2024, 14:10 Uhr – 16:30 Uhr")),
            (ROW, ("Ort", "Bürgerzentrum, Uferstraße 6, 04916 Herzberg (Elster)")),
            (ROW, ("Sitzungsleitung", "Sven Guntermann, Werkstattsprecher")),
            (ROW, ("Protokollant", "Tobias Amende, Projektmanager, Wirtschaftsregion Lausitz")),
            (ROW, ("Anlagen", "Liste der Teilnehmenden, Präsentation(en)")),
            (HEADING, "Tagesordnung", 1),
            (ROW, ("TOP", "Thema und Vortragende")),
            (
                ROW,
                (
                    "<b>1</b>",
                    "<p><b>Begrüßung der Gäste</b></p><p>Sven Guntermann, Werkstattsprecher<br>"
                    "Karsten Eule-Prütz, Bürgermeister der Stadt Herzberg (Elster)</p>",
                ),
            ),
            (
                ROW,
                (
                    "3",
                    "<p><b>Ausführungen zu den Schwerpunkten der Werkstatt 4</b></p>"
                    "<p>Heiko Jahn, Geschäftsführer, Wirtschaftsregion Lausitz</p>"
                    "<p><i>Verbesserung der Lebensbedingungen / Soziale Infrastruktur</i></p>",
                ),
            ),
            (ROW, ("4", "<p><b>Aktueller Sachstand der Projekte</b></p>")),
            (ROW, ("4.1", "<p><b>Projekte in Umsetzung</b></p><p>Jan Lewerenz, Leiter Lausitz-Büro, ILB</p>")),
            (ROW, ("4.2", "<p><b>Projekte in Planung</b></p><p>N. N.</p>")),
            (HEADING, "Ergebnisse", 1),
            (HEADING, "TOP 1 Begrüßung der Gäste", 2),
            (
                PARAGRAPH,
                "Sven Guntermann, Werkstattsprecher<br>Karsten Eule-Prütz, Bürgermeister der Stadt Herzberg (Elster)",
            ),
            (PARAGRAPH, "Herr Guntermann begrüßt die Gäste."),
            (HEADING, "TOP 3 Ausführungen zu den Schwerpunkten der Werkstatt 4", 2),
            (PARAGRAPH, "Heiko Jahn, Geschäftsführer, Wirtschaftsregion Lausitz"),
            (PARAGRAPH, "<i>Verbesserung der Lebensbedingungen / Soziale Infrastruktur</i>"),
            (LIST_ITEM, "Erster Punkt", 0),
            (LIST_ITEM, "Unterpunkt a", 1),
            (LIST_ITEM, "Unterpunkt b", 1),
            (LIST_ITEM, "Schritt eins", 2, True),
            (LIST_ITEM, "Zweiter Punkt", 0),
            (PARAGRAPH, "Ein Absatz danach mit <b>Fettdruck</b>."),
            (HEADING, "TOP 4.1 Projekte in Umsetzung", 2),
            (PARAGRAPH, "Jan Lewerenz, Leiter Lausitz-Büro, ILB"),
            (LIST_ITEM, "Zwei Inbetriebnahmen", 0, True),
            (LIST_ITEM, "Drei Grundsteinlegungen", 0, True),
        ]
    )


def test_docx_shape() -> None:
    session = parse_document(docx_minutes())
    assert session.errors == [] and session.warnings == []
    assert (session.workshop_number, session.number, session.date) == (4, 16, dt.date(2024, 1, 24))
    assert (session.start_time, session.end_time) == (dt.time(14, 10), dt.time(16, 30))
    assert session.attachments == ["Liste der Teilnehmenden", "Präsentation(en)"]
    assert [(i.number, i.title) for i in session.items] == [
        ("1", "Begrüßung der Gäste"),
        ("3", "Ausführungen zu den Schwerpunkten der Werkstatt 4"),
        ("4", "Aktueller Sachstand der Projekte"),
        ("4.1", "Projekte in Umsetzung"),
        ("4.2", "Projekte in Planung"),
    ]
    top1, top3, top4, top41, top42 = session.items
    assert [(p.name, p.function) for p in top1.presenters] == [
        ("Sven Guntermann", "Werkstattsprecher"),
        ("Karsten Eule-Prütz", "Bürgermeister der Stadt Herzberg (Elster)"),
    ]
    assert top1.result == "<p>Herr Guntermann begrüßt die Gäste.</p>"
    assert top3.note == "Verbesserung der Lebensbedingungen / Soziale Infrastruktur"
    assert top3.result == (
        "<ul><li>Erster Punkt<ul><li>Unterpunkt a</li><li>Unterpunkt b<ol><li>Schritt eins</li></ol></li></ul></li>"
        "<li>Zweiter Punkt</li></ul><p>Ein Absatz danach mit <b>Fettdruck</b>.</p>"
    )
    assert top4.kind == "project_report" and top4.presenters == [] and top4.result == ""
    assert [(p.name, p.function, p.organization) for p in top41.presenters] == [
        ("Jan Lewerenz", "Leiter Lausitz-Büro", "ILB")
    ]
    assert top41.result == "<ol><li>Zwei Inbetriebnahmen</li><li>Drei Grundsteinlegungen</li></ol>"
    assert [p.group_label for p in top42.presenters] == ["N. N."]


def test_docx_results_as_table_cells_with_paragraphs() -> None:
    document = block_document(
        [
            (PARAGRAPH, "Protokoll der 3. Sitzung der Werkstatt 2 am 05.03.2021"),
            (HEADING, "Tagesordnung", 1),
            (ROW, ("1", "<p>Begrüßung</p><p>Anna Maria Schulz, Referentin, Landkreis Elbe-Elster</p>")),
            (HEADING, "Beratungsergebnisse", 1),
            (
                ROW,
                (
                    "1",
                    "<p>Begrüßung</p><p>Anna Maria Schulz, Referentin, Landkreis Elbe-Elster</p>"
                    "<p>Frau Schulz eröffnet die Sitzung.</p><ul><li>Punkt</li></ul>",
                ),
            ),
        ]
    )
    session = parse_document(document)
    assert (session.workshop_number, session.number, session.date) == (2, 3, dt.date(2021, 3, 5))
    assert session.errors == [] and session.warnings == []
    (item,) = session.items
    (person,) = item.presenters
    assert (person.given_name, person.family_name, person.function, person.organization) == (
        "Anna Maria",
        "Schulz",
        "Referentin",
        "Landkreis Elbe-Elster",
    )
    assert item.result == "<p>Frau Schulz eröffnet die Sitzung.</p><ul><li>Punkt</li></ul>"


# --- paragraph-only and PDF-like documents -----------------------------------------------------------------


PARAGRAPH_MINUTES = """Protokoll
Werkstatt 5: Kunst, Kultur, Tourismus und Marketing
Sitzung Nr. 7
Datum: 24. Januar 2024
Beginn: 14.10 Uhr
Ende: 16 Uhr
Ort: Online (Videokonferenz)
Moderation: Dr. Petra Muster, Geschäftsstelle, Wirtschaftsregion Lausitz GmbH
Protokollführung: Max Beispiel
TOP 1: Begrüßung der Gäste
Dr. Petra Muster, Moderatorin
Die Moderatorin begrüßt alle.
TOP 2: Projektvorstellung: Kulturscheune Drebkau
Hans von Bergen, Vorsitzender, Kulturverein Drebkau e.V.
Das Projekt wird zurückgestellt.
TOP 3: Verschiedenes
• Nächste Sitzung im Mai.
- Einladung folgt."""


def test_paragraph_only_online_session() -> None:
    session = parse_document(text_document(PARAGRAPH_MINUTES))
    assert session.errors == []
    assert (session.workshop_number, session.number) == (5, 7)
    assert (session.date, session.start_time, session.end_time) == (
        dt.date(2024, 1, 24),
        dt.time(14, 10),
        dt.time(16, 0),
    )
    assert session.place is not None and session.place.online
    assert (session.place.street_address, session.place.locality) == ("", "")
    assert session.chair is not None and session.chair.title == "Dr."
    assert (session.chair.function, session.chair.organization) == ("Geschäftsstelle", "Wirtschaftsregion Lausitz GmbH")
    assert session.minute_taker is not None and session.minute_taker.name == "Max Beispiel"
    assert [(i.number, i.title) for i in session.items] == [
        ("1", "Begrüßung der Gäste"),
        ("2", "Projektvorstellung: Kulturscheune Drebkau"),
        ("3", "Verschiedenes"),
    ]
    top1, top2, top3 = session.items
    assert [p.name for p in top1.presenters] == ["Dr. Petra Muster"]
    assert top1.result == "<p>Die Moderatorin begrüßt alle.</p>"
    (hans,) = top2.presenters
    assert (hans.given_name, hans.family_name, hans.function, hans.organization) == (
        "Hans",
        "von Bergen",
        "Vorsitzender",
        "Kulturverein Drebkau e.V.",
    )
    assert top2.kind == "project_presentation"
    assert [(p.title, p.kind_label, p.outcome) for p in top2.projects] == [("Kulturscheune Drebkau", "", "deferral")]
    assert top3.result == "<ul><li>Nächste Sitzung im Mai.</li><li>Einladung folgt.</li></ul>"
    assert messages(session, WARNING) == [
        "Zeile 10: Überschriften „Tagesordnung“ und „Ergebnisse“ fehlen; die TOPs wurden ab hier aus dem Text gelesen."
    ]


def test_pdf_like_rows_with_wrapped_title_and_headings() -> None:
    document = block_document(
        [
            (PARAGRAPH, "ERGEBNISPROTOKOLL"),
            (PARAGRAPH, "Werkstatt 3: Infrastruktur und Mobilität"),
            (PARAGRAPH, "12. Werkstattsitzung"),
            (PARAGRAPH, "Allgemeines"),
            (ROW, ("Datum & Uhrzeit", "03.05.2023 von 10:00 bis 12:30 Uhr")),
            (ROW, ("Ort", "Rathaus, Markt 1, 03046 Cottbus")),
            (PARAGRAPH, "Tagesordnung"),
            (ROW, ("TOP", "Thema und Vortragende")),
            (ROW, ("1", "Bestätigung des Protokolls der 11. Sitzung vom<br>01.02.2023")),
            (ROW, ("2", "Vorstellung Projekt „Radweg Spreeaue“<br>Prof. Dr. Erika Muster, BTU Cottbus-Senftenberg")),
            (PARAGRAPH, "Ergebnisse"),
            (HEADING, "TOP 1 Bestätigung des Protokolls der 11. Sitzung vom 01.02.2023", 3),
            (PARAGRAPH, "Das Protokoll wird bestätigt."),
            (HEADING, "TOP 2 Vorstellung Projekt „Radweg Spreeaue“", 3),
            (LIST_ITEM, "Prof. Dr. Erika Muster, BTU Cottbus-Senftenberg"),
            (PARAGRAPH, "Die Werkstatt spricht eine Empfehlung mit Auflagen aus."),
        ],
        fmt=PDF,
    )
    session = parse_document(document)
    assert session.errors == [] and session.warnings == []
    assert (session.workshop_number, session.number, session.date) == (3, 12, dt.date(2023, 5, 3))
    assert (session.start_time, session.end_time) == (dt.time(10), dt.time(12, 30))
    assert session.place is not None
    assert (session.place.description, session.place.street_address, session.place.postal_code) == (
        "Rathaus",
        "Markt 1",
        "03046",
    )
    top1, top2 = session.items
    assert top1.title == "Bestätigung des Protokolls der 11. Sitzung vom 01.02.2023"
    assert (top1.kind, top1.approves_number, top1.approves_date) == ("minutes_approval", 11, dt.date(2023, 2, 1))
    assert top1.result == "<p>Das Protokoll wird bestätigt.</p>"
    (person,) = top2.presenters
    assert (person.title, person.name, person.organization) == (
        "Prof. Dr.",
        "Prof. Dr. Erika Muster",
        "BTU Cottbus-Senftenberg",
    )
    assert top2.result == "<p>Die Werkstatt spricht eine Empfehlung mit Auflagen aus.</p>"
    assert [(p.title, p.kind_label, p.outcome) for p in top2.projects] == [
        ("Radweg Spreeaue", "Projekt", "recommendation_conditions")
    ]


def test_word_numbered_agenda_list_and_sub_items() -> None:
    document = block_document(
        [
            (PARAGRAPH, "Werkstatt 1"),
            (PARAGRAPH, "Datum: 01.02.2024"),
            (HEADING, "Tagesordnung"),
            (LIST_ITEM, "Begrüßung", 0, True),
            (LIST_ITEM, "Sachstand der Projekte", 0, True),
            (LIST_ITEM, "Projekte in Umsetzung", 1, True),
            (LIST_ITEM, "Projekte in Planung", 1, True),
            (LIST_ITEM, "Sonstiges", 0, True),
            (HEADING, "Ergebnisse"),
            (HEADING, "TOP 2.2 Projekte in Planung"),
            (PARAGRAPH, "Keine neuen Projekte."),
        ]
    )
    session = parse_document(document)
    assert session.errors == []
    assert [(i.number, i.title, i.kind) for i in session.items] == [
        ("1", "Begrüßung", "ordinary"),
        ("2", "Sachstand der Projekte", "project_report"),
        ("2.1", "Projekte in Umsetzung", "ordinary"),
        ("2.2", "Projekte in Planung", "ordinary"),
        ("3", "Sonstiges", "ordinary"),
    ]
    assert session.items[3].result == "<p>Keine neuen Projekte.</p>"
    assert messages(session, WARNING) == [
        "Dokument: keine Sitzungsnummer gefunden; die Sitzung wird ohne Nummer angelegt."
    ]


@pytest.mark.parametrize("written", ["TOP 4.1", "4.1.", "4.1", "TOP 4.1:", "Top 04.1 –"])
def test_numbers_as_written(written: str) -> None:
    document = text_document(f"Werkstatt 4\nDatum: 24.01.2024\nTagesordnung\n{written} Unterpunkt\nErgebnisse")
    session = parse_document(document)
    assert [(i.number, i.title) for i in session.items] == [("4.1", "Unterpunkt")]


# --- missing sections -------------------------------------------------------------------------------------------


def test_no_agenda_items_from_results() -> None:
    text = lines(
        "Werkstatt 4",
        "16. Sitzung",
        "Datum: 24.01.2024",
        "Ergebnisse",
        "1\t<p>Begrüßung</p> <p>Sven Guntermann, Werkstattsprecher</p> <p>Alle sind da.</p>",
        "2\t<p>Sonstiges</p>",
    )
    session = parse_document(text_document(text))
    assert session.errors == []
    assert [(i.number, i.title, [p.name for p in i.presenters], i.result) for i in session.items] == [
        ("1", "Begrüßung", ["Sven Guntermann"], "<p>Alle sind da.</p>"),
        ("2", "Sonstiges", [], ""),
    ]
    assert messages(session, WARNING) == [
        "Zeile 4: Abschnitt „Tagesordnung“ fehlt; die TOPs wurden aus den Ergebnissen übernommen."
    ]


def test_agenda_paragraphs_without_heading_before_results() -> None:
    text = "Werkstatt 4\nDatum: 24.01.2024\nTOP 1: Begrüßung\nTOP 2: Sonstiges\nErgebnisse\nTOP 2 Sonstiges\nNichts."
    session = parse_document(text_document(text))
    assert [(i.number, i.title, i.result) for i in session.items] == [
        ("1", "Begrüßung", ""),
        ("2", "Sonstiges", "<p>Nichts.</p>"),
    ]
    assert "Zeile 3: Überschrift „Tagesordnung“ fehlt; die TOPs ab hier wurden als Tagesordnung gelesen." in messages(
        session, WARNING
    )


def test_no_items_at_all_is_a_warning() -> None:
    session = parse_document(text_document("Werkstatt 4\n16. Sitzung\nDatum: 24.01.2024"))
    assert session.errors == [] and session.items == []
    assert messages(session, WARNING) == ["Dokument: keine Tagesordnungspunkte gefunden."]


# --- bad input ------------------------------------------------------------------------------------------------------


BASE = "ERGEBNISPROTOKOLL\nWerkstatt 4\n16. Sitzung\nAllgemeines\n"


def test_row_without_number_is_numbered_after_its_predecessor() -> None:
    text = BASE + lines(
        "Datum\t24.01.2024",
        "Tagesordnung",
        "1\tBegrüßung",
        "\tOhne Nummer",
        "2\tSonstiges",
        "3a\tMit Buchstabe",
        "Ergebnisse",
    )
    session = parse_document(text_document(text))
    assert [(i.number, i.title) for i in session.items] == [
        ("1", "Begrüßung"),
        ("1.1", "Ohne Nummer"),
        ("2", "Sonstiges"),
        ("3", "Mit Buchstabe"),
    ]
    assert messages(session, WARNING) == [
        "Zeile 8: TOP ohne Nummer; als TOP 1.1 eingeordnet (nach TOP 1).",
        "Zeile 10: TOP-Nummer „3a“ nicht lesbar; als TOP 3 eingeordnet (nach TOP 2).",
    ]
    assert session.errors == []


def test_duplicate_numbers_are_an_error() -> None:
    text = BASE + "Datum\t24.01.2024\nTagesordnung\n1\tBegrüßung\n1\tNoch einmal\nErgebnisse"
    session = parse_document(text_document(text))
    assert messages(session, ERROR) == ["Zeile 8: TOP 1 kommt doppelt vor (zuerst Zeile 7)."]
    assert [i.title for i in session.items] == ["Begrüßung", "Noch einmal"]


def test_loose_date_is_read_with_a_warning() -> None:
    session = parse_document(text_document(BASE + "Datum & Uhrzeit\t24.1.24, 14 Uhr - 16.30 Uhr"))
    assert (session.date, session.start_time, session.end_time) == (
        dt.date(2024, 1, 24),
        dt.time(14),
        dt.time(16, 30),
    )
    assert "Zeile 5: Datum „24.1.24“ als 24.01.2024 gelesen." in messages(session, WARNING)
    assert session.errors == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("32.13.2024", "Zeile 5: „32.13.2024“ ist kein gültiges Datum."),
        ("24.01.2024, 16:30 Uhr – 14:10 Uhr", "Zeile 5: Das Ende (14:10 Uhr) liegt vor dem Beginn (16:30 Uhr)."),
        ("24.01.2024, 25:10 Uhr", "Zeile 5: „25:10 Uhr“ ist keine gültige Uhrzeit."),
        ("irgendwann", "Zeile 5: „irgendwann“ ist kein lesbares Datum."),
    ],
)
def test_bad_dates_and_times_are_errors(value: str, message: str) -> None:
    session = parse_document(text_document(BASE + f"Datum\t{value}"))
    assert message in messages(session, ERROR)


def test_no_date_and_no_workshop_are_errors() -> None:
    session = parse_document(text_document("ERGEBNISPROTOKOLL\nTagesordnung\n1\tBegrüßung\nErgebnisse"))
    assert messages(session, ERROR) == [
        "Dokument: Werkstatt nicht erkannt; bitte mit --workshop / im Formular angeben.",
        "Dokument: kein Sitzungsdatum gefunden.",
    ]
    given_session = parse_document(
        text_document("ERGEBNISPROTOKOLL\nDatum: 24.01.2024\nTagesordnung\n1\tBegrüßung\nErgebnisse"),
        workshop_number=3,
    )
    assert given_session.errors == [] and given_session.workshop_number == 3


def test_workshop_given_differs_from_the_document() -> None:
    session = parse_document(text_document("Werkstatt 2\nDatum: 24.01.2024"), workshop_number=4)
    assert session.workshop_number == 4
    assert "Zeile 1: Das Dokument nennt „Werkstatt 2“; übernommen wird Werkstatt 4 (Vorgabe)." in messages(
        session, WARNING
    )


def test_workshop_by_name_and_ordinal() -> None:
    by_name = parse_document(text_document("Daseinsvorsorge, ländliche Entwicklung und smart regions\nDatum: 1.2.2024"))
    assert by_name.workshop_number == 4
    ordinal = parse_document(text_document("Ergebnisprotokoll der 4. Werkstatt\nDatum: 01.02.2024"))
    assert ordinal.workshop_number == 4


def test_results_entry_for_an_unknown_number_is_added() -> None:
    text = BASE + lines(
        "Datum\t24.01.2024",
        "Tagesordnung",
        "1\tBegrüßung",
        "3\tSonstiges",
        "Ergebnisse",
        "1\t<p>Begrüßung</p>",
        "2\t<p>Nachtrag</p> <p>Es wurde nachgetragen.</p>",
    )
    session = parse_document(text_document(text))
    assert [(i.number, i.title, i.result) for i in session.items] == [
        ("1", "Begrüßung", ""),
        ("2", "Nachtrag", "<p>Es wurde nachgetragen.</p>"),
        ("3", "Sonstiges", ""),
    ]
    assert messages(session, WARNING) == [
        "Zeile 11: Ergebnis zu TOP 2, den die Tagesordnung nicht hat; der TOP wurde aus den Ergebnissen übernommen."
    ]
    assert session.items[1].where == "Zeile 11"


def test_unassigned_lines_are_reported() -> None:
    text = BASE + lines(
        "Datum\t24.01.2024",
        "Unbekannt\tWert",
        "Tagesordnung",
        "Ein Satz ohne TOP.",
        "1\tBegrüßung",
        "Ergebnisse",
        "Vor dem ersten TOP.",
    )
    session = parse_document(text_document(text))
    assert messages(session, WARNING) == [
        "Zeile 6: nicht zugeordnet: „Unbekannt Wert“",
        "Zeile 8: nicht zugeordnet: „Ein Satz ohne TOP.“",
        "Zeile 11: nicht zugeordnet: „Vor dem ersten TOP.“",
    ]


def test_session_number_missing_and_conflicting() -> None:
    missing = parse_document(text_document("Werkstatt 4\nDatum: 24.01.2024"))
    assert missing.number is None
    assert messages(missing, WARNING) == [
        "Dokument: keine Tagesordnungspunkte gefunden.",
        "Dokument: keine Sitzungsnummer gefunden; die Sitzung wird ohne Nummer angelegt.",
    ]
    conflict = parse_document(
        text_document(
            lines(
                "Werkstatt 4",
                "17. Sitzung",
                "Datum: 24.01.2024",
                "Tagesordnung",
                "1\tBestätigung des Protokolls der 15. Sitzung",
            )
        )
    )
    assert conflict.number == 17
    assert "Zeile 5: TOP 1 bestätigt das Protokoll der 15. Sitzung, dies ist aber die 17. Sitzung." in messages(
        conflict, WARNING
    )


def test_ambiguous_title_split_is_a_warning() -> None:
    text = BASE + "Datum\t24.01.2024\nTagesordnung\n1\tBegrüßung der Gäste Xaver Yps, Leiter"
    session = parse_document(text_document(text))
    item = session.items[0]
    assert item.title == "Begrüßung der Gäste"
    assert [p.name for p in item.presenters] == ["Xaver Yps"]
    assert messages(session, WARNING)[0] == (
        "Zeile 7: Titel und Vortragende geschätzt getrennt: „Begrüßung der Gäste“ | „Xaver Yps, Leiter“."
    )


def test_unexpected_exception_becomes_an_error() -> None:
    document = SourceDocument("x.txt", TEXT, b"", "", ["x"], ["kein Block"])  # type: ignore[list-item]
    session = parse_document(document)
    (finding,) = session.findings
    assert finding.level == ERROR
    assert finding.message.startswith("Das Dokument konnte nicht vollständig gelesen werden (AttributeError")


def test_script_in_a_result_is_sanitised() -> None:
    text = BASE + lines(
        "Datum\t24.01.2024",
        "Tagesordnung",
        "1\tBegrüßung",
        "Ergebnisse",
        '1\t<p>Begrüßung</p><p onclick="x()">Hallo<script>alert(1)</script></p>',
    )
    session = parse_document(text_document(text))
    assert session.items[0].result == "<p>Hallo</p>"


# --- outcomes -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "outcome"),
    [
        ("Die Werkstatt spricht eine konsensuale Empfehlung aus.", "recommendation"),
        ("Es wird eine Empfehlung mit Auflagen ausgesprochen.", "recommendation_conditions"),
        ("Das Projekt wird zurückgestellt.", "deferral"),
        ("Es wird keine Empfehlung ausgesprochen.", "no_recommendation"),
        ("Die Werkstatt hat das Projekt zur Kenntnis genommen.", "notice"),
        ("Es wird diskutiert.", ""),
    ],
)
def test_outcomes(sentence: str, outcome: str) -> None:
    text = BASE + lines(
        "Datum\t24.01.2024",
        "Tagesordnung",
        "1\tVorstellung Projekt „Testprojekt“",
        "Ergebnisse",
        f"1\t<p>{sentence}</p>",
    )
    session = parse_document(text_document(text))
    (project,) = session.items[0].projects
    assert (project.title, project.outcome, project.lead_workshop) == ("Testprojekt", outcome, None)


# --- names, places, dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Sven Guntermann, Werkstattsprecher Karsten Eule-Prütz, Bürgermeister der Stadt Herzberg (Elster)",
            [
                ("", "Sven", "Guntermann", "Werkstattsprecher", ""),
                ("", "Karsten", "Eule-Prütz", "Bürgermeister der Stadt Herzberg (Elster)", ""),
            ],
        ),
        (
            "Heiko Jahn, Geschäftsführer, Wirtschaftsregion Lausitz",
            [("", "Heiko", "Jahn", "Geschäftsführer", "Wirtschaftsregion Lausitz")],
        ),
        (
            "Prof. Dr.-Ing. Eckart Kramer, Hochschule für nachhaltige Entwicklung Eberswalde",
            [("Prof. Dr.-Ing.", "Eckart", "Kramer", "", "Hochschule für nachhaltige Entwicklung Eberswalde")],
        ),
        (
            "Ingolf Zellmann, Servicebereichsleiter Leitstelle/Rettungsdienst/Katastrophenschutz, "
            "Stadtverwaltung Cottbus/Chóśebuz",
            [
                (
                    "",
                    "Ingolf",
                    "Zellmann",
                    "Servicebereichsleiter Leitstelle/Rettungsdienst/Katastrophenschutz",
                    "Stadtverwaltung Cottbus/Chóśebuz",
                )
            ],
        ),
        (
            "Dipl.-Ing. Anna Maria von der Heide, Amt Schlieben",
            [("Dipl.-Ing.", "Anna Maria", "von der Heide", "", "Amt Schlieben")],
        ),
        ("Frau Müller, Referentin", [("", "", "Müller", "Referentin", "")]),
        ("Max Muster, Projektleiter, Muster GmbH", [("", "Max", "Muster", "Projektleiter", "Muster GmbH")]),
    ],
)
def test_people(text: str, expected: list[tuple[str, str, str, str, str]]) -> None:
    people, doubts = names.parse_people(text)
    assert doubts == []
    assert [(p.title, p.given_name, p.family_name, p.function, p.organization) for p in people] == expected


@pytest.mark.parametrize("label", ["Alle Werkstattmitglieder", "alle Mitglieder", "N. N.", "Geschäftsstelle"])
def test_groups(label: str) -> None:
    people, doubts = names.parse_people(label)
    assert doubts == [] and [(p.group_label, p.name) for p in people] == [(label, "")]


def test_unknown_presenter_text_is_kept_as_a_group_with_a_doubt() -> None:
    people, doubts = names.parse_people("Vertretung des Landkreises")
    assert [p.group_label for p in people] == ["Vertretung des Landkreises"]
    assert doubts == ["„Vertretung des Landkreises“ als Gruppe gelesen"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Bürgerzentrum, Uferstraße 6, 04916 Herzberg (Elster)",
            ("Bürgerzentrum", "Uferstraße 6", "04916", "Herzberg (Elster)", False),
        ),
        ("Online (Videokonferenz)", ("", "", "", "", True)),
        ("Webex", ("", "", "", "", True)),
        ("MS Teams", ("", "", "", "", True)),
        ("digital", ("", "", "", "", True)),
        ("Rathaus Cottbus, Raum 2.14", ("Rathaus Cottbus, Raum 2.14", "", "", "", False)),
        ("Uferstraße 6, Herzberg", ("", "Uferstraße 6", "", "Herzberg", False)),
        ("Stadthalle, Berliner Straße 10, Cottbus", ("Stadthalle", "Berliner Straße 10", "", "Cottbus", False)),
        ("03046 Cottbus", ("", "", "03046", "Cottbus", False)),
    ],
)
def test_places(text: str, expected: tuple[str, str, str, str, bool]) -> None:
    place = parse_place(text)
    assert (place.description, place.street_address, place.postal_code, place.locality, place.online) == expected
    assert place.raw == text


@pytest.mark.parametrize(
    ("text", "date", "loose"),
    [
        ("24.01.2024", dt.date(2024, 1, 24), False),
        ("24.1.24", dt.date(2024, 1, 24), True),
        ("Mittwoch, 24. Januar 2024", dt.date(2024, 1, 24), False),
        ("24. Jan. 2024", dt.date(2024, 1, 24), False),
        ("2024-01-24", dt.date(2024, 1, 24), False),
        ("32.13.2024", None, False),
        ("29.02.2023", None, False),
    ],
)
def test_dates(text: str, date: dt.date | None, loose: bool) -> None:
    (match,) = find_dates(text)
    assert (match.value, match.loose) == (date, loose)


@pytest.mark.parametrize(
    ("text", "times"),
    [
        (", 14:10 Uhr – 16:30 Uhr", [dt.time(14, 10), dt.time(16, 30)]),
        ("von 14:10 bis 16:30 Uhr", [dt.time(14, 10), dt.time(16, 30)]),
        ("14.10 - 16.30 Uhr", [dt.time(14, 10), dt.time(16, 30)]),
        ("14 Uhr", [dt.time(14)]),
        ("14 bis 16 Uhr", [dt.time(14), dt.time(16)]),
        ("Raum 12", []),
    ],
)
def test_times(text: str, times: list[dt.time]) -> None:
    assert [t.value for t in find_times(text)] == times


def test_attachments_respect_parentheses() -> None:
    assert names.split_list("Liste der Teilnehmenden, Präsentation(en); Anlage (a, b)") == [
        "Liste der Teilnehmenden",
        "Präsentation(en)",
        "Anlage (a, b)",
    ]


# --- robustness -------------------------------------------------------------------------------------------------

CELL = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "Tagesordnung",
            "Ergebnisse",
            "Allgemeines",
            "ERGEBNISPROTOKOLL",
            "Datum",
            "24.01.2024, 14:10 Uhr – 16:30 Uhr",
            "32.13.2024",
            "TOP 4.1 Titel",
            "4",
            "4.1",
            "<p>Titel</p> <p>Sven Guntermann, Werkstattsprecher</p> <ul> • a • b",
            "<i>Notiz",
            "<b><i></b>",
            "Werkstatt 4",
            "16. Sitzung",
            "Vorstellung STARK-Projekt „X“ Prof. Dr. A B, Uni",
            "Bestätigung des Protokolls der 15. Sitzung vom 31.02.2023",
            "in der federführenden Werkstatt 2 am 1.1.24 konsensuale Empfehlung",
            "&#8226; &lt;script&gt;",
        ]
    ),
)
BLOCK = st.builds(
    lambda kind, cells, level, ordered: (kind, cells, level, ordered),
    st.sampled_from(BLOCK_KINDS),
    st.lists(CELL, min_size=0, max_size=4),
    st.integers(min_value=-1, max_value=12),
    st.booleans(),
)


def _document(specs: list[tuple[str, list[str], int, bool]]) -> SourceDocument:
    blocks = [
        Block(kind, tuple(cells), f"Zeile {index + 1}", index, level, ordered)
        for index, (kind, cells, level, ordered) in enumerate(specs)
    ]
    return SourceDocument("random.txt", TEXT, b"", "", [" ".join(c) for _k, c, _l, _o in specs], blocks)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(BLOCK, max_size=25), st.one_of(st.none(), st.integers(min_value=1, max_value=5)))
def test_random_blocks_never_crash(specs: list[tuple[str, list[str], int, bool]], workshop: int | None) -> None:
    session = parse_document(_document(specs), workshop_number=workshop)
    assert not any(f.message.startswith("Das Dokument konnte nicht") for f in session.findings)
    assert_findings_have_places(session)
    if not session.errors:
        assert_consistent(session)


def test_huge_cells_do_not_crash() -> None:
    huge = "<i>" * 2000 + "Begrüßung der Gäste Sven Guntermann, " * 2000 + "24.01.2024 " * 500
    endless = "Wort " * 20000
    document = _document(
        [
            (PARAGRAPH, ["Werkstatt 4"], 0, False),
            (PARAGRAPH, ["Datum: 24.01.2024"], 0, False),
            (HEADING, ["Tagesordnung"], 1, False),
            (ROW, ["1", huge], 0, False),
            (ROW, ["2", endless], 0, False),
            (HEADING, ["Ergebnisse"], 1, False),
            (ROW, ["1", huge], 0, False),
            (LIST_ITEM, [huge], 30, True),
        ]
    )
    session = parse_document(document)
    assert "Zeile 5: Der Titel von TOP 2 ist länger als 500 Zeichen." in messages(session, ERROR)
    assert_findings_have_places(session)


def test_every_truncation_of_the_seed_gives_errors_or_a_consistent_session() -> None:
    document = seed_document()
    for end in range(len(document.blocks) + 1):
        truncated = SourceDocument(
            document.file_name, TEXT, b"", "", document.lines, document.blocks[:end], list(document.notes)
        )
        for workshop in (None, 4):
            session = parse_document(truncated, workshop_number=workshop)
            assert not any(f.message.startswith("Das Dokument konnte nicht") for f in session.findings)
            assert_findings_have_places(session)
            if session.errors:
                continue
            assert_consistent(session)
            # what was read agrees with the whole document
            assert session.date == data.SESSION_16.date
            full = {item.number: item for item in parse_document(document).items}
            for item in session.items:
                assert item.title == full[item.number].title


def test_seed_with_section_lines_as_headings() -> None:
    """The text reader may mark known section names as headings: the result is the same."""
    document = seed_document()
    sections = {"ERGEBNISPROTOKOLL", "Allgemeines", "Tagesordnung", "Ergebnisse"}
    document.blocks = [
        Block(HEADING, b.cells, b.where, b.line, 1) if b.kind == PARAGRAPH and b.html.strip() in sections else b
        for b in document.blocks
    ]
    as_headings = parse_document(document)
    as_paragraphs = parse_document(seed_document())
    assert as_headings.items == as_paragraphs.items
    assert as_headings.findings == as_paragraphs.findings


def test_participants_section_is_reported_not_dropped() -> None:
    text = lines("Werkstatt 4", "Datum: 24.01.2024", "Teilnehmende", "Max Muster, LAG", "Anlagen", "Präsentation")
    session = parse_document(text_document(text))
    assert session.attachments == ["Präsentation"]
    assert "Zeile 4: Teilnehmende werden nicht übernommen: „Max Muster, LAG“" in messages(session, WARNING)
