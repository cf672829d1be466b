"""The result minutes as a Word document (python-docx): real tables, headings and lists.

The office keeps working on minutes in Word, so the document uses Word's own structure rather than
look-alikes: the built-in heading styles (navigation pane, table of contents), tables for
Allgemeines and Tagesordnung with a repeating header row, and Word lists ("List Bullet",
"List Number", nested levels) for the result lists, converted from the sanitised result HTML of
``core.richtext``. Lower Sorbian name parts keep their language (``dsb-DE``) on the run, the rest
of the document is ``de-DE``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from io import BytesIO
from typing import Any, Protocol

from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from werkstatt.core.bilingual import mark_lower_sorbian, mark_lower_sorbian_html
from werkstatt.core.dates import format_date, format_date_time_range
from werkstatt.meetings.models import AgendaItem
from werkstatt.meetings.selectors import MeetingPage

LANGUAGE = "de-DE"
# Lower Sorbian as Word knows it (language id 0x082E).
LANGUAGE_BY_HTML = {"dsb": "dsb-DE", "de": "de-DE"}
BULLET_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")
NUMBER_STYLES = ("List Number", "List Number 2", "List Number 3")
CONTINUE_STYLES = ("List Continue", "List Continue 2", "List Continue 3")
# Block elements of the sanitised rich text; results sit under a Heading 2 (the agenda item).
BLOCK_STYLES = {"p": "Normal", "h3": "Heading 3", "h4": "Heading 4", "blockquote": "Quote"}
LINK_COLOUR = RGBColor(0x1D, 0x4E, 0xD8)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = Mm(25), Mm(20), Mm(20), Mm(22)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
_SPACE_RE = re.compile(r"\s+")


class _Container(Protocol):
    """A document body or a table cell: anything paragraphs can be added to."""

    def add_paragraph(self, text: str = "", style: Any = None) -> Paragraph: ...


@dataclass
class _List:
    ordered: bool
    num_id: int | None  # the numbering instance of an ordered list, so that each <ol> starts at 1


def _set_language(run: Run, language: str) -> None:
    """``<w:lang w:val=...>`` goes last in the run properties, after bold, italic, colour and underline."""
    r_pr = run._r.get_or_add_rPr()
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    r_pr.append(lang)


class HtmlWriter(HTMLParser):
    """Writes a sanitised HTML fragment into a document or table cell as Word paragraphs, runs and lists.

    Handles what ``core.richtext.sanitise_html`` lets through: ``p``, ``br``, ``ul``/``ol``/``li``
    (nested), ``strong``/``b``, ``em``/``i``, ``a`` (a real hyperlink), ``h3``/``h4``, ``blockquote``,
    and ``span lang="dsb"`` from ``core.bilingual``. Inline text before any block element goes into
    ``paragraph`` when one is given, else into a new paragraph.
    """

    def __init__(
        self,
        container: _Container,
        numbering: Numbering,
        *,
        paragraph: Paragraph | None = None,
        bold: bool = False,
        italic: bool = False,
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.container = container
        self.numbering = numbering
        self.paragraph = paragraph
        self._at_start = paragraph is None or not paragraph.text
        self._base_bold = bold
        self._base_italic = italic
        self._bold = 0
        self._italic = 0
        self._languages: list[str | None] = []
        self._lists: list[_List] = []
        self._in_item = False  # inside <li>, where further blocks continue the item
        self._href: str | None = None  # inside <a href>
        self._link: Any = None  # the <w:hyperlink> element of the current paragraph for that href

    # paragraphs

    def _new_paragraph(self, style: str) -> Paragraph:
        self.paragraph = self.container.add_paragraph(style=style)
        self._at_start = True
        return self.paragraph

    def _depth(self) -> int:
        return min(len(self._lists), len(BULLET_STYLES)) - 1

    def _list_item_paragraph(self) -> None:
        current = self._lists[-1]
        depth = self._depth()
        if current.ordered:
            paragraph = self._new_paragraph(NUMBER_STYLES[depth])
            if current.num_id is not None:
                num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = current.num_id
        else:
            self._new_paragraph(BULLET_STYLES[depth])

    def _block_style(self, tag: str = "p") -> str:
        if self._lists and self._in_item and tag == "p":
            return CONTINUE_STYLES[self._depth()]
        return BLOCK_STYLES[tag]

    # parser callbacks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_STYLES:
            # <li><p>text</p></li>: the item's own paragraph takes the first block.
            if not (self._in_item and self.paragraph is not None and self._at_start):
                self._new_paragraph(self._block_style(tag))
        elif tag in ("ul", "ol"):
            depth = min(len(self._lists), len(NUMBER_STYLES) - 1)
            num_id = self.numbering.restart(NUMBER_STYLES[depth]) if tag == "ol" else None
            self._lists.append(_List(ordered=tag == "ol", num_id=num_id))
            self.paragraph = None
        elif tag == "li":
            if not self._lists:  # a stray <li>: treat as a bullet
                self._lists.append(_List(ordered=False, num_id=None))
            self._in_item = True
            self._list_item_paragraph()
        elif tag == "br":
            if self.paragraph is not None:
                self.paragraph.add_run().add_break()
        elif tag in ("strong", "b"):
            self._bold += 1
        elif tag in ("em", "i"):
            self._italic += 1
        elif tag == "a":
            self._href = dict(attrs).get("href") or None
            self._link = None
        elif tag == "span":
            lang = dict(attrs).get("lang")
            self._languages.append(LANGUAGE_BY_HTML.get(lang or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_STYLES:
            self.paragraph = None
        elif tag in ("ul", "ol"):
            if self._lists:
                self._lists.pop()
            self.paragraph = None
            self._in_item = bool(self._lists)
        elif tag == "li":
            self.paragraph = None
            self._in_item = False
        elif tag in ("strong", "b"):
            self._bold = max(0, self._bold - 1)
        elif tag in ("em", "i"):
            self._italic = max(0, self._italic - 1)
        elif tag == "a":
            self._href = self._link = None
        elif tag == "span" and self._languages:
            self._languages.pop()

    def handle_data(self, data: str) -> None:
        text = _SPACE_RE.sub(" ", data)
        paragraph = self.paragraph
        if paragraph is None:
            if not text.strip():
                return
            paragraph = self._new_paragraph(self._block_style())
        if self._at_start:
            text = text.lstrip()
        if text:
            self._write(paragraph, text)

    # runs

    def _write(self, paragraph: Paragraph, text: str) -> None:
        run = paragraph.add_run(text)
        self._at_start = False
        if self._bold or self._base_bold:
            run.bold = True
        if self._italic or self._base_italic:
            run.italic = True
        if self._href:
            run.font.underline = True
            run.font.color.rgb = LINK_COLOUR
            if self._link is None or self._link.getparent() is not paragraph._p:
                # relate_to hands out the same relationship again for the same address
                self._link = OxmlElement("w:hyperlink")
                self._link.set(
                    qn("r:id"), paragraph.part.relate_to(self._href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
                )
                paragraph._p.append(self._link)
            self._link.append(run._r)  # moves the run into the hyperlink
        language = next((lang for lang in reversed(self._languages) if lang), None)
        if language:
            _set_language(run, language)


class Numbering:
    """Numbered lists in Word continue across the document unless each list has its own instance."""

    def __init__(self, document: DocumentObject) -> None:
        self.document = document

    def restart(self, style_name: str) -> int | None:
        style = self.document.styles[style_name]
        p_pr = style.element.pPr
        if p_pr is None or p_pr.numPr is None or p_pr.numPr.numId is None:
            return None
        numbering = self.document.part.numbering_part.element
        abstract_id = numbering.num_having_numId(p_pr.numPr.numId.val).abstractNumId.val
        num = numbering.add_num(abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return int(num.numId)


def write_html(container: _Container, numbering: Numbering, html: str, **kwargs: Any) -> None:
    writer = HtmlWriter(container, numbering, **kwargs)
    writer.feed(html)
    writer.close()


# --- the document ---------------------------------------------------------------------------------


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    """A simple field (PAGE, NUMPAGES) that Word fills in; "1" until it does."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _set_up(document: DocumentObject, context: dict[str, Any]) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM

    # Language of the whole document (the template says en-US): spelling and hyphenation in German.
    lang = document.styles.element.find(
        qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr") + "/" + qn("w:lang")
    )
    if lang is not None:
        lang.set(qn("w:val"), LANGUAGE)

    footer = section.footer.paragraphs[0]
    # The template's footer style has tab stops for US Letter (centre 3.25", right 6.5"): replace them.
    footer_style = document.styles["Footer"]
    for stop in list(footer_style.paragraph_format.tab_stops):
        footer.paragraph_format.tab_stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
    footer.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run(context["meeting"].title + "\t" + _("Seite") + " ")
    _add_field(footer, "PAGE")
    footer.add_run(" " + _("von") + " ")
    _add_field(footer, "NUMPAGES")

    now = dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
    properties = document.core_properties
    properties.title = context["document_title"]
    properties.subject = context["description"]
    properties.author = context["author"]
    properties.last_modified_by = context["author"]
    properties.keywords = f"{context['meeting'].workshop.label}; {context['heading']}"
    properties.category = context["heading"]
    properties.comments = ""
    properties.language = LANGUAGE
    properties.created = now
    properties.modified = now
    properties.revision = 1


def _mark_header_row(table: Table) -> None:
    """The first row repeats on every page and tells screen readers it holds column headers."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _set_widths(table: Table, *widths: int) -> None:
    """Word reads the cell widths, LibreOffice the table grid: set both."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _general_table(document: DocumentObject, numbering: Numbering, page: MeetingPage) -> None:
    meeting = page.meeting
    # (label, escaped HTML with lang="dsb" spans)
    rows: list[tuple[str, str]] = [
        (
            _("Datum & Uhrzeit"),
            mark_lower_sorbian(format_date_time_range(meeting.date, meeting.start_time, meeting.end_time)),
        )
    ]
    if meeting.location:
        rows.append((_("Ort"), mark_lower_sorbian(meeting.location.address_line)))
    if meeting.chair:
        rows.append((_("Sitzungsleitung"), _person_line(meeting.chair.name, meeting.chair_function)))
    if meeting.minute_taker:
        rows.append((_("Protokollant"), _person_line(meeting.minute_taker.name, meeting.minute_taker_function)))
    if page.files:
        rows.append((_("Anlagen"), mark_lower_sorbian(", ".join(file.name for file in page.files))))
    table = document.add_table(rows=len(rows), cols=2)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].paragraphs[0].add_run(label).bold = True
        write_html(row.cells[1], numbering, value, paragraph=row.cells[1].paragraphs[0])
    _set_widths(table, Mm(45), TEXT_WIDTH - Mm(45))


def _person_line(*parts: str) -> str:
    """``Sven Guntermann, Werkstattsprecher`` as escaped HTML, Sorbian name parts marked."""
    return ", ".join(str(mark_lower_sorbian(part)) for part in parts if part)


def _presenter_lines(item: AgendaItem) -> list[str]:
    """One escaped HTML line per presenter; the lines go into one paragraph, separated by line breaks."""
    return [
        _person_line(presenter.person.name if presenter.person else presenter.group_label,
                     presenter.function, presenter.organization_name)
        for presenter in item.presenters.all()
    ]  # fmt: skip


def _agenda_table(document: DocumentObject, numbering: Numbering, page: MeetingPage) -> None:
    if not page.agenda_items:
        document.add_paragraph(_("Es sind keine Tagesordnungspunkte erfasst."))
        return
    table = document.add_table(rows=1 + len(page.agenda_items), cols=2)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, label in zip(table.rows[0].cells, (_("TOP"), _("Thema und Vortragende")), strict=True):
        cell.paragraphs[0].add_run(label).bold = True
    _mark_header_row(table)
    for row, item in zip(table.rows[1:], page.agenda_items, strict=True):
        row.cells[0].paragraphs[0].add_run(item.number).bold = True
        content = row.cells[1]
        write_html(content, numbering, mark_lower_sorbian(item.title), paragraph=content.paragraphs[0], bold=True)
        if presenters := _presenter_lines(item):
            write_html(content, numbering, "<br>".join(presenters), paragraph=content.add_paragraph())
        if item.note:
            write_html(
                content, numbering, mark_lower_sorbian(item.note), paragraph=content.add_paragraph(), italic=True
            )
    _set_widths(table, Mm(15), TEXT_WIDTH - Mm(15))


def _results(document: DocumentObject, numbering: Numbering, page: MeetingPage) -> None:
    for item in page.agenda_items:
        heading = document.add_heading(level=2)
        write_html(document, numbering, mark_lower_sorbian(f"{_('TOP')} {item.number} {item.title}"), paragraph=heading)
        if presenters := _presenter_lines(item):
            write_html(document, numbering, "<br>".join(presenters), paragraph=document.add_paragraph())
        if item.note:
            write_html(
                document, numbering, mark_lower_sorbian(item.note), paragraph=document.add_paragraph(), italic=True
            )
        if item.result:
            write_html(document, numbering, mark_lower_sorbian_html(item.result))


def _errata(document: DocumentObject, numbering: Numbering, page: MeetingPage) -> None:
    """The corrections noted after approval, as on the session page and in the PDF."""
    if not page.errata:
        return
    document.add_heading(_("Berichtigungen"), level=1)
    document.add_paragraph(
        _("Das bestätigte Protokoll bleibt unverändert; diese Berichtigungen wurden nachträglich vermerkt.")
    )
    for erratum in page.errata:
        title = _("Berichtigung vom %(date)s") % {"date": format_date(erratum.created)}
        if erratum.agenda_item is not None:
            title += " – " + _("zu TOP %(number)s %(title)s") % {
                "number": erratum.agenda_item.number,
                "title": erratum.agenda_item.title,
            }
        heading = document.add_heading(level=2)
        write_html(document, numbering, mark_lower_sorbian(title), paragraph=heading)
        write_html(document, numbering, mark_lower_sorbian_html(erratum.text))


def minutes_document(page: MeetingPage, context: dict[str, Any]) -> bytes:
    """Build the DOCX of ``minutes.minutes_docx``; ``context`` is ``minutes.document_context``."""
    meeting = page.meeting
    document = Document()
    numbering = Numbering(document)
    _set_up(document, context)

    title = document.add_paragraph(style="Title")
    title.add_run(context["heading"]).font.all_caps = True
    workshop = document.add_paragraph()
    write_html(document, numbering, mark_lower_sorbian(f"{meeting.workshop.label}: {meeting.workshop.title}"),
               paragraph=workshop)  # fmt: skip
    document.add_paragraph().add_run(meeting.title).bold = True
    if not meeting.minutes_are_public:
        notice = document.add_paragraph()
        notice.add_run(_("Nicht öffentlich.") + " ").bold = True
        notice.add_run(
            _("Dieses Protokoll ist im Zustand „%(state)s“ und noch nicht veröffentlicht.")
            % {"state": meeting.get_minutes_state_display()}
        )

    document.add_heading(_("Allgemeines"), level=1)
    _general_table(document, numbering, page)
    document.add_heading(_("Tagesordnung"), level=1)
    _agenda_table(document, numbering, page)
    document.add_heading(_("Ergebnisse"), level=1)
    _results(document, numbering, page)
    _errata(document, numbering, page)

    out = BytesIO()
    document.save(out)
    return out.getvalue()
