"""Minutes documents for the import tests, built in code: the same session in several shapes.

A ``SessionSpec`` describes a session once (workshop, date, place, chair, agenda items with presenters,
notes and results); the writers below put it into the shapes real archives have:

* ``minutes_text``: the seed's text export (sections, tab-separated rows, HTML fragments in results);
  ``as_crlf_bom``, ``as_cp1252``, ``as_utf16`` encode such text the way old tools saved it.
* ``docx_tables``: Word with tables for Allgemeines and Tagesordnung, headings per item and real Word
  lists ("List Bullet", "List Bullet 2", "List Number", and a multi-level list with ``w:ilvl``);
  ``results_in_table=True`` puts the results into a table, lists inside cells.
* ``docx_paragraphs``: Word without tables: "Datum: 24.01.2024" lines and bold "TOP 1: …" paragraphs.
* ``minutes_html`` + ``pdf_from_html``: a PDF made by WeasyPrint from an HTML layout of its own
  (a three-column agenda table), unlike the platform's exporter.
* ``scanned_pdf``: a PDF holding only an image (no text layer); ``truncated``: the first part of a file.

``sample_session()`` and ``online_session()`` are two sessions unlike the seed: sub-items (4.1, 4.2),
several presenters, nested and numbered result lists, an online session without address.
Whoever asserts on a parse can compare with the spec (``ItemSpec.result_html`` is the result as the
parser should keep it).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import docx
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell
from docx.text.paragraph import Paragraph

SEED = Path(__file__).resolve().parent.parent / "werkstatt" / "demo" / "seeds" / "003_bc30d92c6853b0cf.txt"

# --- the spec -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonSpec:
    """A presenter, chair or minute-taker as the minutes write them; ``name`` may be a group."""

    name: str
    function: str = ""
    organization: str = ""

    @property
    def line(self) -> str:
        """``Sven Guntermann, Werkstattsprecher, Wirtschaftsregion Lausitz``."""
        return ", ".join(part for part in (self.name, self.function, self.organization) if part)


@dataclass(frozen=True)
class ResultLine:
    """One line of a result: a paragraph (``kind="p"``) or a list item (``"bullet"``/``"number"``) at a level."""

    text: str
    kind: str = "p"
    level: int = 0


@dataclass(frozen=True)
class ItemSpec:
    number: str  # "1", "4.1"
    title: str
    presenters: tuple[PersonSpec, ...] = ()
    note: str = ""
    result: tuple[ResultLine, ...] = ()

    @property
    def result_html(self) -> str:
        """The result as nested HTML lists and paragraphs, as the parser should keep it."""
        return _result_html(self.result)


@dataclass(frozen=True)
class SessionSpec:
    workshop_number: int
    workshop_title: str
    number: int | None
    date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str = ""  # "Bürgerzentrum, Uferstraße 6, 04916 Herzberg (Elster)" or "Videokonferenz"
    chair: PersonSpec | None = None
    minute_taker: PersonSpec | None = None
    attachments: tuple[str, ...] = ()
    items: tuple[ItemSpec, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        if self.number:
            return f"{self.number}. Sitzung der Werkstatt {self.workshop_number}"
        return f"Sitzung der Werkstatt {self.workshop_number} vom {self.date:%d.%m.%Y}"

    @property
    def date_time(self) -> str:
        """``24.01.2024, 14:10 Uhr – 16:30 Uhr`` as in the seed."""
        text = f"{self.date:%d.%m.%Y}"
        if self.start_time:
            text += f", {self.start_time:%H:%M} Uhr"
            if self.end_time:
                text += f" – {self.end_time:%H:%M} Uhr"
        return text


def sample_session() -> SessionSpec:
    """Werkstatt 3, 12th session: sub-items, several presenters, nested and numbered result lists."""
    chair = PersonSpec("Dr. Maria Kowalczyk", "Werkstattsprecherin")
    return SessionSpec(
        workshop_number=3,
        workshop_title="Infrastruktur und Mobilität",
        number=12,
        date=dt.date(2024, 3, 5),
        start_time=dt.time(10, 0),
        end_time=dt.time(12, 45),
        place="Dieselkraftwerk, Uferstraße 1, 03046 Cottbus",
        chair=chair,
        minute_taker=PersonSpec("Jonas Schröder", "Referent", "Wirtschaftsregion Lausitz"),
        attachments=("Liste der Teilnehmenden", "Präsentationen"),
        items=(
            ItemSpec("1", "Begrüßung", (chair,)),
            ItemSpec(
                "2",
                "Bestätigung des Protokolls der 11. Sitzung vom 14.11.2023 und der Tagesordnung",
                (chair,),
                result=(ResultLine("Das Protokoll und die Tagesordnung werden ohne Änderungen bestätigt."),),
            ),
            ItemSpec(
                "3",
                "Aktueller Sachstand der Projekte der Werkstatt 3",
                (PersonSpec("Jan Lewerenz", "Leiter Lausitz-Büro", "Investitionsbank des Landes Brandenburg"),),
                result=(
                    ResultLine("Vier Projekte sind in der Umsetzung:", "p"),
                    ResultLine("Ausbau der Bahnstrecke Cottbus–Lübbenau", "bullet"),
                    ResultLine("Planfeststellung abgeschlossen", "bullet", 1),
                    ResultLine("Baubeginn im Herbst 2024", "bullet", 1),
                    ResultLine("Mobilitätszentrale Spremberg", "bullet"),
                    ResultLine("Nächste Schritte:", "p"),
                    ResultLine("Kostenschätzung vorlegen", "number"),
                    ResultLine("Förderantrag stellen", "number"),
                ),
            ),
            ItemSpec("4", "Vorstellung von Projekten"),
            ItemSpec(
                "4.1",
                "Vorstellung STARK-Projekt „Radschnellweg Spreewald“",
                (
                    PersonSpec("Anna Nowak", "Projektleiterin", "Landkreis Dahme-Spreewald"),
                    PersonSpec("Peter Lehmann", "Bürgermeister der Stadt Lübben (Spreewald)"),
                ),
                note="Radverkehr / Tourismus",
                result=(
                    ResultLine(
                        "Die Werkstatt empfiehlt einstimmig die Weiterleitung des Projektes an die Staatskanzlei."
                    ),
                ),
            ),
            ItemSpec(
                "4.2",
                "Vorstellung Investitionsprojekt „Mobilitätsknoten Lübbenau“",
                (PersonSpec("Thomas Krüger", "Fachbereichsleiter", "Stadtverwaltung Cottbus/Chóśebuz"),),
                result=(ResultLine("Das Projekt wird in der nächsten Sitzung erneut beraten.", "bullet"),),
            ),
            ItemSpec(
                "5",
                "Sonstiges",
                result=(ResultLine("Die nächste Sitzung findet am 04.06.2024 statt.", "bullet"),),
            ),
        ),
    )


def online_session() -> SessionSpec:
    """An online session of Werkstatt 1 without a number, one item, a group as presenters."""
    return SessionSpec(
        workshop_number=1,
        workshop_title="Unternehmen, Wirtschaftsentwicklung und Fachkräftesicherung",
        number=None,
        date=dt.date(2024, 2, 7),
        start_time=dt.time(9, 30),
        end_time=dt.time(11, 0),
        place="Videokonferenz",
        chair=PersonSpec("Sven Guntermann", "Werkstattsprecher"),
        items=(
            ItemSpec(
                "1",
                "Diskussion zu den Fachkräften in der Lausitz",
                (PersonSpec("Alle Werkstattmitglieder"),),
                result=(ResultLine("Die Diskussion wird in der nächsten Sitzung fortgesetzt."),),
            ),
        ),
    )


def _result_html(lines: tuple[ResultLine, ...]) -> str:
    out: list[str] = []
    stack: list[str] = []
    for line in lines:
        text = html.escape(line.text, quote=False)
        if line.kind == "p":
            while stack:
                out.append(f"</li></{stack.pop()}>")
            out.append(f"<p>{text}</p>")
            continue
        tag = "ol" if line.kind == "number" else "ul"
        depth = line.level + 1
        while len(stack) > depth or (len(stack) == depth and stack[-1] != tag):
            out.append(f"</li></{stack.pop()}>")
        if len(stack) == depth:
            out.append(f"</li><li>{text}")
            continue
        while len(stack) < depth:
            stack.append(tag)
            out.append(f"<{tag}><li>")
        out.append(text)
    while stack:
        out.append(f"</li></{stack.pop()}>")
    return "".join(out)


# --- text -----------------------------------------------------------------------------------------


def seed_text() -> bytes:
    """The seed document's bytes (a text export of the 16th session of Werkstatt 4), as stored."""
    return SEED.read_bytes()


def minutes_text(spec: SessionSpec) -> str:
    """The spec in the seed's text shape: sections, tab-separated rows, HTML fragments in the results."""
    lines = ["", "ERGEBNISPROTOKOLL", "", "Allgemeines", "", f"Datum & Uhrzeit\t{spec.date_time}"]
    if spec.place:
        lines.append(f"Ort\t{spec.place}")
    if spec.chair:
        lines.append(f"Sitzungsleitung\t{spec.chair.line}")
    if spec.minute_taker:
        lines.append(f"Protokollant\t{spec.minute_taker.line}")
    if spec.attachments:
        lines.append(f"Anlagen\t{', '.join(spec.attachments)}")
    lines += ["", "Tagesordnung", ""]
    for item in spec.items:
        parts = [item.title, *(p.line for p in item.presenters)]
        if item.note:
            parts.append(f"<i>{item.note}</i>")
        lines.append(f"{item.number}\t{' '.join(parts)}")
    lines += ["", "Ergebnisse", ""]
    for item in spec.items:
        cell = f"<p>{item.title}</p>"
        if item.presenters:
            cell += f" <p>{' '.join(p.line for p in item.presenters)}</p>"
        cell += item.result_html
        lines.append(f"{item.number}\t{cell}")
    return "\n".join(lines) + "\n"


def as_crlf_bom(text: str) -> bytes:
    """UTF-8 with byte order mark and Windows line ends, as Notepad saves it."""
    return "\ufeff".encode() + text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def as_cp1252(text: str) -> bytes:
    """Windows-1252 (characters it lacks, like „ś“, become „?“), Windows line ends."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("cp1252", errors="replace")


def as_utf16(text: str) -> bytes:
    """UTF-16 little endian with byte order mark, as Word's "Unicode text" export writes it."""
    return text.replace("\n", "\r\n").encode("utf-16")


# --- Word -----------------------------------------------------------------------------------------


def _save(document: DocumentObject) -> bytes:
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def multilevel_list(document: DocumentObject, formats: tuple[str, ...] = ("decimal", "lowerLetter", "bullet")) -> int:
    """A Word list definition with one numbering format per level (``w:ilvl``); returns its ``numId``."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), str(max(abstract_ids, default=-1) + 1))
    for level, fmt in enumerate(formats):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(level))
        for tag, value in (
            ("w:start", "1"),
            ("w:numFmt", fmt),
            ("w:lvlText", "•" if fmt == "bullet" else f"%{level + 1}."),
        ):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            lvl.append(child)
        abstract.append(lvl)
    # abstractNum elements come before num elements
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = numbering.add_num(int(abstract.get(qn("w:abstractNumId"))))
    return int(num.numId)


def list_paragraph(container: DocumentObject | _Cell, text: str, num_id: int, level: int) -> Paragraph:
    """A "List Paragraph" numbered through ``w:numPr`` (numId, ilvl), as Word itself writes lists."""
    paragraph = container.add_paragraph(text, style="List Paragraph")
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id
    return paragraph


_STYLE_LISTS = {"bullet": ("List Bullet", "List Bullet 2", "List Bullet 3"), "number": ("List Number", "List Number 2")}


def _write_result(container: DocumentObject | _Cell, lines: tuple[ResultLine, ...], first: Paragraph | None) -> None:
    """Result lines as paragraphs and Word list styles ("List Bullet 2" for level 1 …)."""
    for line in lines:
        if line.kind == "p":
            if first is not None:
                first.add_run(line.text)
                first = None
            else:
                container.add_paragraph(line.text)
            continue
        styles = _STYLE_LISTS[line.kind]
        container.add_paragraph(line.text, style=styles[min(line.level, len(styles) - 1)])
        first = None


def docx_tables(spec: SessionSpec, *, results_in_table: bool = False) -> bytes:
    """Word with tables for Allgemeines and Tagesordnung; results under headings or in a table.

    Agenda cells hold several paragraphs: the title (bold), one paragraph per presenter, the note
    (italic). Results use "List Bullet"/"List Bullet 2"/"List Number"; inside a results table the
    lists sit in the cell.
    """
    document = docx.Document()
    document.add_paragraph("Ergebnisprotokoll", style="Title")
    document.add_paragraph(f"Werkstatt {spec.workshop_number}: {spec.workshop_title}")
    document.add_paragraph().add_run(spec.title).bold = True

    document.add_heading("Allgemeines", level=1)
    rows = [("Datum & Uhrzeit", spec.date_time)]
    if spec.place:
        rows.append(("Ort", spec.place))
    if spec.chair:
        rows.append(("Sitzungsleitung", spec.chair.line))
    if spec.minute_taker:
        rows.append(("Protokollant", spec.minute_taker.line))
    if spec.attachments:
        rows.append(("Anlagen", ", ".join(spec.attachments)))
    table = document.add_table(rows=len(rows), cols=2)
    table.style = document.styles["Table Grid"]
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].paragraphs[0].add_run(label).bold = True
        row.cells[1].paragraphs[0].add_run(value)

    document.add_heading("Tagesordnung", level=1)
    table = document.add_table(rows=1 + len(spec.items), cols=2)
    table.style = document.styles["Table Grid"]
    table.rows[0].cells[0].paragraphs[0].add_run("TOP").bold = True
    table.rows[0].cells[1].paragraphs[0].add_run("Thema und Vortragende").bold = True
    for row, item in zip(table.rows[1:], spec.items, strict=True):
        row.cells[0].paragraphs[0].add_run(item.number)
        cell = row.cells[1]
        cell.paragraphs[0].add_run(item.title).bold = True
        for presenter in item.presenters:
            cell.add_paragraph(presenter.line)
        if item.note:
            cell.add_paragraph().add_run(item.note).italic = True

    document.add_heading("Ergebnisse", level=1)
    if results_in_table:
        table = document.add_table(rows=len(spec.items), cols=2)
        table.style = document.styles["Table Grid"]
        for row, item in zip(table.rows, spec.items, strict=True):
            row.cells[0].paragraphs[0].add_run(f"TOP {item.number}")
            cell = row.cells[1]
            cell.paragraphs[0].add_run(item.title).bold = True
            for presenter in item.presenters:
                cell.add_paragraph(presenter.line)
            _write_result(cell, item.result, None)
    else:
        for item in spec.items:
            document.add_heading(f"TOP {item.number} {item.title}", level=2)
            for presenter in item.presenters:
                document.add_paragraph(presenter.line)
            if item.note:
                document.add_paragraph().add_run(item.note).italic = True
            _write_result(document, item.result, None)
    return _save(document)


def docx_paragraphs(spec: SessionSpec) -> bytes:
    """Word without tables or heading styles: "Datum: 24.01.2024" lines and bold "TOP 1: …" paragraphs.

    Result lists are written as Word writes them by hand: "List Paragraph" with a multi-level list
    definition (``w:numPr``; level 0 decimal, level 1 letters, level 2 bullets) for numbered lines,
    and "List Bullet"/"List Bullet 2" for bullets.
    """
    document = docx.Document()
    numbered = multilevel_list(document)
    document.add_paragraph().add_run("ERGEBNISPROTOKOLL").bold = True
    document.add_paragraph().add_run(f"{spec.title}: {spec.workshop_title}").bold = True
    document.add_paragraph(f"Datum: {spec.date:%d.%m.%Y}")
    if spec.start_time:
        end = f" – {spec.end_time:%H:%M}" if spec.end_time else ""
        document.add_paragraph(f"Uhrzeit: {spec.start_time:%H:%M}{end} Uhr")
    if spec.place:
        document.add_paragraph(f"Ort: {spec.place}")
    if spec.chair:
        document.add_paragraph(f"Sitzungsleitung: {spec.chair.line}")
    if spec.minute_taker:
        document.add_paragraph(f"Protokoll: {spec.minute_taker.line}")
    if spec.attachments:
        document.add_paragraph(f"Anlagen: {', '.join(spec.attachments)}")
    document.add_paragraph()
    document.add_paragraph().add_run("Tagesordnung").bold = True
    for item in spec.items:
        document.add_paragraph(f"TOP {item.number}: {item.title}")
    document.add_paragraph()
    document.add_paragraph().add_run("Ergebnisse").bold = True
    for item in spec.items:
        document.add_paragraph().add_run(f"TOP {item.number}: {item.title}").bold = True
        for presenter in item.presenters:
            document.add_paragraph(presenter.line)
        if item.note:
            document.add_paragraph().add_run(item.note).italic = True
        for line in item.result:
            if line.kind == "number":
                list_paragraph(document, line.text, numbered, line.level)
            elif line.kind == "bullet":
                document.add_paragraph(line.text, style=_STYLE_LISTS["bullet"][min(line.level, 2)])
            else:
                document.add_paragraph(line.text)
    return _save(document)


# --- PDF ------------------------------------------------------------------------------------------


def minutes_html(spec: SessionSpec) -> str:
    """An HTML layout unlike the exporter's: a three-column agenda (TOP | Thema | Vortragende)."""
    e = html.escape
    general = [("Datum & Uhrzeit", spec.date_time)]
    if spec.place:
        general.append(("Ort", spec.place))
    if spec.chair:
        general.append(("Sitzungsleitung", spec.chair.line))
    if spec.minute_taker:
        general.append(("Protokollant", spec.minute_taker.line))
    if spec.attachments:
        general.append(("Anlagen", ", ".join(spec.attachments)))
    parts = [
        "<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><style>",
        "@page { size: A4; margin: 20mm; } body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; }",
        "td, th { text-align: left; vertical-align: top; padding: 1mm 2mm; } table { border-collapse: collapse; }",
        "</style></head><body>",
        f"<h1>ERGEBNISPROTOKOLL</h1><p><b>{e(spec.title)}</b></p>",
        "<h2>Allgemeines</h2><table>",
        *(f"<tr><th>{e(label)}</th><td>{e(value)}</td></tr>" for label, value in general),
        "</table><h2>Tagesordnung</h2><table>",
    ]
    for item in spec.items:
        presenters = "<br>".join(e(p.line) for p in item.presenters)
        parts.append(f"<tr><td>{e(item.number)}</td><td>{e(item.title)}</td><td>{presenters}</td></tr>")
    parts.append("</table><h2>Ergebnisse</h2>")
    for item in spec.items:
        parts.append(f"<h3>TOP {e(item.number)} {e(item.title)}</h3>")
        parts += [f"<p>{e(p.line)}</p>" for p in item.presenters]
        if item.note:
            parts.append(f"<p><i>{e(item.note)}</i></p>")
        parts.append(item.result_html)
    parts.append("</body></html>")
    return "".join(parts)


def pdf_from_html(markup: str) -> bytes:
    """A PDF with a text layer, rendered by WeasyPrint from ``markup`` (system fonts, no network)."""
    import weasyprint

    return bytes(weasyprint.HTML(string=markup).write_pdf())


def png_bytes(width: int = 600, height: int = 300) -> bytes:
    """A PNG with some dark "text-like" bars on white, made with Pillow."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for row in range(5):
        draw.rectangle((40, 40 + row * 45, width - 40 - row * 60, 60 + row * 45), fill="black")
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def scanned_pdf(pages: int = 1) -> bytes:
    """A PDF like a scan: each page only an image, no text layer."""
    uri = "data:image/png;base64," + base64.b64encode(png_bytes()).decode("ascii")
    images = "".join(f"<img src='{uri}' style='width: 170mm; page-break-after: always'>" for _ in range(pages))
    return pdf_from_html(f"<!DOCTYPE html><html><body style='margin: 0'>{images}</body></html>")


def truncated(content: bytes, fraction: float = 0.5) -> bytes:
    """The first ``fraction`` of a file, as an interrupted upload or copy leaves it."""
    return content[: max(1, int(len(content) * fraction))]
