"""From the blocks of a document to a session: ``parse_document``.

The parser reads in two passes. The first walks the blocks in order and sorts them into sections
(head of the document, Allgemeines, Tagesordnung, Ergebnisse, Anlagen, Teilnehmende), keeping every
agenda row and every result entry with the block it came from. The second builds the items: it
numbers rows without a number, splits titles from presenters (preferring the split the Ergebnisse
section shows with its ``<p>`` structure), strips the repetitions of title, presenters and note from
the results, and reads kinds, projects and outcomes.

It never raises. Whatever is uncertain becomes a ``Finding`` that names the place in the document;
whatever fits nowhere is reported as "nicht zugeordnet", never dropped in silence. An unexpected
exception becomes one ERROR, so that nothing is imported from a document the parser did not understand.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html as html_lib
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from werkstatt.core.richtext import sanitise_html
from werkstatt.core.text import KNOWN_VARIANTS, normalise_text
from werkstatt.importers.minutes import names
from werkstatt.importers.minutes.dates import DateMatch, TimeMatch, find_dates, find_times, remove_spans
from werkstatt.importers.minutes.document import HEADING, LIST_ITEM, PARAGRAPH, ROW, Block, SourceDocument
from werkstatt.importers.minutes.parsed import (
    ERROR,
    INFO,
    WARNING,
    Finding,
    ParsedItem,
    ParsedPlace,
    ParsedProject,
    ParsedSession,
)

# --- sections ----------------------------------------------------------------------------------------

HEAD = "head"
GENERAL = "general"
AGENDA = "agenda"
RESULTS = "results"
ATTACHMENTS = "attachments"
PARTICIPANTS = "participants"
TITLE = "title"

SECTION_NAMES = {
    "allgemeines": GENERAL,
    "allgemeine angaben": GENERAL,
    "allgemeine informationen": GENERAL,
    "rahmendaten": GENERAL,
    "sitzungsdaten": GENERAL,
    "eckdaten": GENERAL,
    "tagesordnung": AGENDA,
    "tagesordnungspunkte": AGENDA,
    "agenda": AGENDA,
    "ergebnisse": RESULTS,
    "ergebnisprotokoll": RESULTS,
    "protokoll": RESULTS,
    "beratungsergebnisse": RESULTS,
    "ergebnisse der beratung": RESULTS,
    "ergebnisse der sitzung": RESULTS,
    "sitzungsverlauf": RESULTS,
    "verlauf": RESULTS,
    "anlagen": ATTACHMENTS,
    "anlage": ATTACHMENTS,
    "anlage(n)": ATTACHMENTS,
    "teilnehmende": PARTICIPANTS,
    "teilnehmer": PARTICIPANTS,
    "teilnehmerinnen und teilnehmer": PARTICIPANTS,
    "teilnehmerliste": PARTICIPANTS,
    "teilnehmendenliste": PARTICIPANTS,
    "anwesenheit": PARTICIPANTS,
    "anwesende": PARTICIPANTS,
    "anwesenheitsliste": PARTICIPANTS,
}
# Words that are the document's title when they come before any section.
TITLE_WORDS = {"ergebnisprotokoll", "protokoll", "niederschrift", "sitzungsprotokoll", "ergebnisniederschrift"}
TITLE_RE = re.compile(r"^(?:ergebnis|sitzungs)?(?:protokoll|niederschrift)\b(?!\s*:)", re.IGNORECASE)
SECTION_NUMBERING_RE = re.compile(r"^(?:[IVX]{1,4}|\d{1,2}|[A-H])[.)]\s+")

# --- labels of Allgemeines ------------------------------------------------------------------------

DATE = "date"
START = "start"
END = "end"
PLACE = "place"
CHAIR = "chair"
MINUTE_TAKER = "minute_taker"
ATTACHMENT = "attachment"
WORKSHOP = "workshop"
SESSION = "session"
PRESENT = "present"

LABELS = {
    "datum & uhrzeit": DATE,
    "datum und uhrzeit": DATE,
    "datum/uhrzeit": DATE,
    "datum / uhrzeit": DATE,
    "datum, uhrzeit": DATE,
    "datum": DATE,
    "termin": DATE,
    "sitzungstermin": DATE,
    "sitzungsdatum": DATE,
    "zeit": DATE,
    "uhrzeit": DATE,
    "tag": DATE,
    "beginn": START,
    "sitzungsbeginn": START,
    "start": START,
    "ende": END,
    "sitzungsende": END,
    "schluss": END,
    "ort": PLACE,
    "sitzungsort": PLACE,
    "tagungsort": PLACE,
    "veranstaltungsort": PLACE,
    "ort der sitzung": PLACE,
    "ort & raum": PLACE,
    "sitzungsleitung": CHAIR,
    "leitung": CHAIR,
    "moderation": CHAIR,
    "vorsitz": CHAIR,
    "sitzungsleiter": CHAIR,
    "sitzungsleiterin": CHAIR,
    "moderator": CHAIR,
    "moderatorin": CHAIR,
    "protokollant": MINUTE_TAKER,
    "protokollantin": MINUTE_TAKER,
    "protokollant/in": MINUTE_TAKER,
    "protokollant:in": MINUTE_TAKER,
    "protokoll": MINUTE_TAKER,
    "protokollführung": MINUTE_TAKER,
    "protokollführer": MINUTE_TAKER,
    "protokollführerin": MINUTE_TAKER,
    "protokoll geführt von": MINUTE_TAKER,
    "anlagen": ATTACHMENT,
    "anlage": ATTACHMENT,
    "anlage(n)": ATTACHMENT,
    "werkstatt": WORKSHOP,
    "gremium": WORKSHOP,
    "sitzung": SESSION,
    "sitzungsnummer": SESSION,
    "sitzung nr.": SESSION,
    "nr.": SESSION,
    "teilnehmende": PRESENT,
    "teilnehmer": PRESENT,
    "anwesend": PRESENT,
    "anwesenheit": PRESENT,
    "teilnehmerinnen und teilnehmer": PRESENT,
}
LABEL_VALUE_RE = re.compile(r"^\s*([^:]{2,40}?)\s*:\s*(.*)$", re.DOTALL)

# --- numbers, workshops, sessions ---------------------------------------------------------------------

_NUM = r"\d{1,3}(?:\.\d{1,3}){0,3}"
TOP_RE = re.compile(
    rf"^\s*(?:TOP|Top|top|Tagesordnungspunkt|TO-Punkt)\s*(?P<num>{_NUM})\.?(?![\d])\s*[:.)\-–—]?\s*(?P<rest>.*)$",
    re.DOTALL,
)
BARE_NUMBER_RE = re.compile(rf"^\s*(?P<num>{_NUM})(?:\.|\s*[:)\-–—])?\s+(?P<rest>\S.*)$", re.DOTALL)
NUMBER_CELL_RE = re.compile(rf"^\s*(?:TOP|Top|top|Tagesordnungspunkt)?\s*(?P<num>{_NUM})\.?\s*:?\s*$")
HEADER_CELLS = {"top", "nr.", "nr", "tagesordnungspunkt", "#", "lfd. nr.", "punkt", "nummer"}

WORKSHOP_RES = (
    re.compile(r"\bWerkstatt\s*(?:Nr\.?\s*)?(\d{1,2})(?![\d.]\d)\b"),
    re.compile(r"\b(\d{1,2})\.\s*Werkstatt\b"),
)
# "Schwerpunkten der Werkstatt 4" in an item's title: the workshop, if nothing else says.
WORKSHOP_IN_TITLE_RE = re.compile(r"\b(?:der|unserer|dieser)\s+Werkstatt\s+(\d{1,2})\b")
SESSION_RES = (
    re.compile(r"\b(\d{1,3})\.\s*(?:ordentlichen?\s+|außerordentlichen?\s+)?(?:Werkstatt)?[Ss]itzung\b"),
    re.compile(r"\bSitzung\s*(?:Nr\.?|Nummer)\s*(\d{1,3})\b"),
)

# --- kinds, projects, outcomes ---------------------------------------------------------------------------

APPROVAL_RE = re.compile(
    r"\b(?:Bestätigung|Genehmigung|Billigung|Annahme|Abstimmung|Freigabe|bestätigen|genehmigen)\b.*\bProtokoll",
    re.IGNORECASE,
)
APPROVED_SESSION_RE = re.compile(r"\b(\d{1,3})\.\s*(?:Werkstatt)?[Ss]itzung\b")
PROJECT_REPORT_RE = re.compile(
    r"\b(?:Sach)?[Ss]tand\b.{0,40}\bProjekt|\bProjekt\w*\s*(?:sach)?stand|\bProjektstand\b|\bProjektübersicht\b",
    re.IGNORECASE,
)
PRESENTATION_RE = re.compile(
    r"^(?:Kurz)?(?:Vorstellung|Präsentation)\s+(?:des|der|eines|einer|von|zum|zur|zu)?\s*"
    r"(?P<label>[\w-]*(?:[Pp]rojekt(?:e|es|s)?|[Vv]orhaben[s]?|[Pp]rojektidee(?:n)?|[Pp]rojektskizze(?:n)?))"
    r"(?=[\s:„\"“»«,]|$)\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
PRESENTATION_PLAIN_RE = re.compile(
    r"^Projekt(?:vorstellung|präsentation)(?:en)?\b\s*[:–—-]?\s*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL
)
QUOTED_RE = re.compile(r"[„“\"»«‚‘](?P<title>[^„“”\"»«‚‘’]{2,300})[“”\"«»‘’]")
OUTCOMES = (
    ("recommendation_conditions", r"empfehlung mit (?:auflagen|bedingungen|maßgaben)|mit auflagen empfohlen"),
    ("no_recommendation", r"keine empfehlung|nicht empfohlen|abgelehnt"),
    ("deferral", r"zurückgestellt|zurückstellung|vertagt"),
    (
        "recommendation",
        r"(?:konsensuale|einstimmige|einvernehmliche)n? empfehlung|(?:einstimmig|einvernehmlich|konsensual) "
        r"empfohlen|empfehlung für die weiterleitung|wird zur (?:weiterleitung|förderung) empfohlen",
    ),
    ("notice", r"zur kenntnis genommen|kenntnisnahme|nimmt .{0,60}zur kenntnis"),
)
LEAD_RE = re.compile(r"federführenden?\s+Werkstatt\s*(\d{1,2})", re.IGNORECASE)

# --- places ----------------------------------------------------------------------------------------------

ONLINE_RE = re.compile(
    r"\b(?:online|videokonferenz|video-konferenz|webex|zoom|ms teams|microsoft teams|teams|digital|virtuell|"
    r"telefonkonferenz|webkonferenz|big ?blue ?button|jitsi)\b",
    re.IGNORECASE,
)
POSTAL_RE = re.compile(r"^(?:D-)?(\d{5})\s+(.+)$")
STREET_RE = re.compile(
    r"^(?:[^\d,]{2,80}?(?:straße|strasse|str\.|weg|platz|allee|ring|gasse|damm|ufer|chaussee|markt|steig|"
    r"promenade|hof|berg|pfad|zeile|anger)\s*\d+\s*[a-zA-Z]?(?:\s*[-–/]\s*\d+\s*[a-zA-Z]?)?|"
    r"[^\d,]{2,80}\s\d+\s*[a-zA-Z]?(?:\s*[-–/]\s*\d+\s*[a-zA-Z]?)?)$",
    re.IGNORECASE,
)

MAX_TITLE = 500
BULLETS = "•·▪◦‣∙●○■□–-*"


# --- small helpers ------------------------------------------------------------------------------------------


def _plain(html: str) -> str:
    """Visible text of an HTML fragment, entities decoded, spaces folded (no variants corrected)."""
    text = re.sub(r"<[^>]*>", " ", html or "")
    text = html_lib.unescape(text)
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", text).strip()


def _key(text: str) -> str:
    """Comparison key: normalised, lower case, letters and digits only."""
    return "".join(char for char in normalise_text(text).lower() if char.isalnum())


def _cut_after_key(text: str, length: int) -> int:
    """The position in ``text`` after its first ``length`` letters and digits (lower-cased one by one)."""
    count = 0
    for index, char in enumerate(text):
        if char.lower().isalnum():
            count += len(char.lower())
            if count >= length:
                return index + 1
    return len(text)


def _number(raw: str) -> str:
    """ "04.1" -> "4.1"."""
    return ".".join(str(int(part)) for part in raw.split("."))


def _number_key(number: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in number.split("."))
    except ValueError:
        return (10**6,)


def _short(text: str, limit: int = 80) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _date_text(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def _time_text(value: dt.time) -> str:
    return f"{value.strftime('%H:%M')} Uhr"


@dataclass
class _Line:
    text: str  # plain, normalised
    italic: bool = False
    bold: bool = False


def _html_lines(html: str) -> list[_Line]:
    """The lines of a cell: split at paragraphs, line breaks and list items; trailing italic runs apart."""
    lines: list[_Line] = []
    parts = re.split(r"(?i)<br\s*/?>|</?(?:p|div|li|ul|ol|h\d|tr|td|blockquote)\b[^>]*>|\n", html or "")
    trailing_italic = re.compile(r"(?is)<(i|em)\b[^>]*>((?:(?!<(?:i|em)\b).)*?)(?:</\1>)?\s*$")
    for part in parts:
        if not _plain(part):
            continue
        italics: list[str] = []
        rest = part
        while len(rest) < 5000 and len(italics) < 20 and (match := trailing_italic.search(rest)):
            if not _plain(match.group(2)):
                rest = rest[: match.start()]
                continue
            italics.insert(0, match.group(2))
            rest = rest[: match.start()]
        if _plain(rest):
            bold = bool(re.match(r"(?is)^\s*<(b|strong)\b[^>]*>.*</\1>\s*$", rest))
            lines.append(_Line(_plain(rest), bold=bold))
        lines.extend(_Line(_plain(italic), italic=True) for italic in italics)
    return lines


@dataclass
class _Chunk:
    """A piece of a result: a paragraph, a list item, a heading or a rest of HTML."""

    kind: str  # "p", "li", "h", "html"
    html: str
    block: Block
    level: int = 0
    ordered: bool = False

    @property
    def text(self) -> str:
        return _plain(self.html)


def _cell_chunks(html: str, block: Block) -> list[_Chunk]:
    """Leading ``<p>`` elements of a cell one by one, the rest as one piece."""
    chunks: list[_Chunk] = []
    rest = html or ""
    while match := re.match(r"(?is)\s*<p\b[^>]*>(.*?)</p\s*>", rest):
        chunks.append(_Chunk("p", match.group(1), block))
        rest = rest[match.end() :]
    if _plain(rest):
        chunks.append(_Chunk("html", rest, block))
    return chunks


@dataclass
class _AgendaEntry:
    number: str | None
    cells: list[str]  # HTML of the content
    block: Block
    raw_number: str = ""  # a number cell that could not be read ("4a")


@dataclass
class _ResultEntry:
    number: str | None
    title: str  # from a heading or a "TOP n" paragraph; "" for table rows
    chunks: list[_Chunk]
    block: Block
    item: ParsedItem | None = None


@dataclass
class _ItemState:
    item: ParsedItem
    presenters_text: list[str] = field(default_factory=list)  # as written, normalised
    chunks: list[_Chunk] = field(default_factory=list)
    block: Block | None = None


# --- the parser ----------------------------------------------------------------------------------------------


def parse_document(document: SourceDocument, *, workshop_number: int | None = None) -> ParsedSession:
    """Read a session out of ``document``; never raises (problems are findings, ERROR = cannot import)."""
    session = ParsedSession()
    try:
        _Parser(document, session, workshop_number).run()
    except Exception as exc:  # the contract: any input gives findings, never an exception
        session.findings.append(
            Finding(
                ERROR,
                _("Das Dokument konnte nicht vollständig gelesen werden (%(error)s).")
                % {"error": f"{type(exc).__name__}: {_short(str(exc), 120)}"},
            )
        )
    return session


class _Parser:
    def __init__(self, document: SourceDocument, session: ParsedSession, workshop_number: int | None) -> None:
        self.document = document
        self.session = session
        self.given_workshop = workshop_number
        self.variants_seen: set[tuple[int | None, str]] = set()
        self.variant_re = (
            re.compile("|".join(re.escape(k) for k in sorted(KNOWN_VARIANTS, key=len, reverse=True)))
            if KNOWN_VARIANTS
            else None
        )
        # first pass
        self.section_blocks: dict[str, Block] = {}
        self.agenda: list[_AgendaEntry] = []
        self.results: list[_ResultEntry] = []
        self.workshop_mentions: list[tuple[int, Block, str]] = []  # (number, block, as written)
        self.session_mentions: list[tuple[int, Block]] = []
        self.header_dates: list[tuple[DateMatch, str, Block]] = []
        self.date_set = False
        self.pending_start: tuple[dt.time, Block] | None = None
        self.pending_end: tuple[dt.time, Block] | None = None
        self.times_block: Block | None = None
        self.implicit_items: Block | None = None
        self.has_results_heading = False
        self.last_label: str = ""
        # second pass
        self.states: list[_ItemState] = []

    # findings

    def add(self, level: str, message: str, block: Block | None = None) -> None:
        if block is not None:
            self.session.findings.append(Finding(level, f"{block.where}: {message}", block.where, block.line))
        else:
            self.session.findings.append(Finding(level, _("Dokument: %(message)s") % {"message": message}))

    def norm(self, text: str, block: Block | None) -> str:
        """``normalise_text`` with an INFO for every known variant corrected (once per line and variant)."""
        text = unicodedata.normalize("NFC", text or "")
        if self.variant_re is not None:
            for match in self.variant_re.finditer(text):
                variant = match.group(0)
                seen = (block.line if block else None, variant)
                if seen in self.variants_seen:
                    continue
                self.variants_seen.add(seen)
                self.add(
                    INFO,
                    _("„%(variant)s“ als „%(official)s“ gelesen.")
                    % {"variant": variant, "official": KNOWN_VARIANTS[variant]},
                    block,
                )
        return normalise_text(text)

    def unassigned(self, block: Block, text: str) -> None:
        self.add(WARNING, _("nicht zugeordnet: „%(text)s“") % {"text": _short(text)}, block)

    # the run

    def run(self) -> None:
        self.first_pass()
        self.build_items()
        self.finish_session()

    # --- first pass: sections and entries ---------------------------------------------------------------------

    def section_of(self, block: Block, text: str, started: bool) -> str | None:
        if block.kind == ROW and len([c for c in block.cells if _plain(c)]) != 1:
            return None
        if block.kind == LIST_ITEM:
            return None
        key = SECTION_NUMBERING_RE.sub("", text).strip().rstrip(":").strip().lower()
        if not started and (key in TITLE_WORDS or (TITLE_RE.match(key) and len(key) < 200)):
            return TITLE
        if key in SECTION_NAMES:
            return SECTION_NAMES[key]
        if block.kind == HEADING:
            for name, section in SECTION_NAMES.items():
                if key.startswith(name + " ") and len(key) < 80 and section in (AGENDA, RESULTS, GENERAL):
                    return section
        return None

    def first_pass(self) -> None:
        blocks = [b for b in self.document.blocks if any(_plain(c) for c in b.cells)]
        keys: set[str | None] = set()
        for block in blocks:  # which sections the document has (a title before them is no section)
            keys.add(self.section_of(block, _plain(" ".join(block.cells)), bool(keys - {None, TITLE})))
        self.has_results_heading = RESULTS in keys
        section = HEAD
        for block in blocks:
            text = _plain(" ".join(block.cells))
            found = self.section_of(block, text, section != HEAD)
            if found == TITLE:
                self.scan_head(block, text, title=True)
                continue
            if found is not None:
                section = found
                self.section_blocks.setdefault(found, block)
                self.last_label = ""
                continue
            if section in (HEAD, GENERAL) and AGENDA not in keys and self.implicit_items is None:
                implicit = self.implicit_section(block, text)
                if implicit is not None:
                    section = implicit
                    self.implicit_items = block
            if section in (HEAD, GENERAL):
                self.general_block(block, text)
            elif section == AGENDA:
                self.agenda_block(block, text)
            elif section == RESULTS:
                self.results_block(block, text)
            elif section == ATTACHMENTS:
                self.session.attachments.extend(self.norm(part, block) for part in names.split_list(text))
            else:
                self.add(
                    WARNING,
                    _("Teilnehmende werden nicht übernommen: „%(text)s“") % {"text": _short(text)},
                    block,
                )

    def implicit_section(self, block: Block, text: str) -> str | None:
        """Items in a document without the headings Tagesordnung and Ergebnisse."""
        if (
            block.kind == ROW
            and len(block.cells) > 1
            and NUMBER_CELL_RE.match(_plain(block.cells[0]))
            and any(_plain(c) for c in block.cells[1:])
        ):
            return AGENDA
        top = block.kind in (PARAGRAPH, HEADING) and TOP_RE.match(text)
        if top or (block.kind == HEADING and BARE_NUMBER_RE.match(text)):
            # an agenda before the Ergebnisse, or items with their results straight away
            return AGENDA if self.has_results_heading else RESULTS
        return None

    # head and Allgemeines

    def general_block(self, block: Block, text: str) -> None:
        if block.kind == ROW and len(block.cells) > 1:
            label = _plain(block.cells[0])
            value_html = "<br>".join(c for c in block.cells[1:] if _plain(c))
            if self.general_value(label, value_html, block):
                return
            if not _plain(value_html) and self.scan_head(block, label):
                return
            self.unassigned(block, text)
            return
        if block.kind == LIST_ITEM and self.last_label == ATTACHMENT:
            self.session.attachments.extend(self.norm(part, block) for part in names.split_list(text))
            return
        match = LABEL_VALUE_RE.match(text)
        if match and self.general_value(match.group(1), html_lib.escape(match.group(2)), block):
            return
        if self.scan_head(block, text):
            return
        self.unassigned(block, text)

    def general_value(self, label: str, value_html: str, block: Block) -> bool:
        key = re.sub(r"\s+", " ", label).strip().rstrip(":").strip().lower()
        kind = LABELS.get(key)
        if kind is None:
            return False
        self.last_label = kind
        value = self.norm(" ".join(line.text for line in _html_lines(value_html)), block)
        if not value:
            return True
        if kind == DATE:
            self.read_date(value, block)
        elif kind in (START, END):
            self.read_single_time(kind, value, block)
        elif kind == PLACE:
            if self.session.place is not None:
                self.add(WARNING, _("weiterer Ort „%(text)s“ nicht übernommen.") % {"text": _short(value)}, block)
            else:
                self.session.place = parse_place(value)
        elif kind in (CHAIR, MINUTE_TAKER):
            self.read_person(kind, value, block)
        elif kind == ATTACHMENT:
            self.session.attachments.extend(names.split_list(value))
        elif kind == WORKSHOP:
            if not self.scan_workshop(value, block, by_label=True):
                self.unassigned(block, f"{label}: {value}")
        elif kind == SESSION:
            number = re.search(r"\d{1,3}", value)
            if number:
                self.session_mentions.append((int(number.group(0)), block))
            else:
                self.unassigned(block, f"{label}: {value}")
        elif kind == PRESENT:
            self.add(WARNING, _("Teilnehmende werden nicht übernommen: „%(text)s“") % {"text": _short(value)}, block)
        return True

    def read_person(self, kind: str, value: str, block: Block) -> None:
        people, doubts = names.parse_people(value)
        if not people:
            return
        person = people[0]
        for doubt in doubts:
            self.add(WARNING, doubt + ".", block)
        if len(people) > 1:
            others = "; ".join(p.raw for p in people[1:])
            self.add(WARNING, _("weitere Personen nicht übernommen: „%(text)s“") % {"text": _short(others)}, block)
        if kind == CHAIR:
            self.session.chair = person
        else:
            self.session.minute_taker = person

    def scan_head(self, block: Block, text: str, *, title: bool = False) -> bool:
        """Workshop, session number and date in a title or a line of the head; True if anything was read."""
        text = self.norm(text, block)
        found = title
        if self.scan_workshop(text, block):
            found = True
        for pattern in SESSION_RES:
            for match in pattern.finditer(text):
                self.session_mentions.append((int(match.group(1)), block))
                found = True
        for date in find_dates(text):
            self.header_dates.append((date, text, block))
            found = True
        return found

    def scan_workshop(self, text: str, block: Block, *, by_label: bool = False) -> bool:
        for pattern in WORKSHOP_RES:
            match = pattern.search(text)
            if match:
                self.workshop_mentions.append((int(match.group(1)), block, match.group(0)))
                return True
        if by_label and re.fullmatch(r"\d{1,2}", text.strip()):
            self.workshop_mentions.append((int(text), block, text))
            return True
        number = workshop_by_name(text)
        if number is not None:
            self.workshop_mentions.append((number, block, text))
            return True
        return False

    def read_date(self, value: str, block: Block) -> None:
        dates = find_dates(value)
        if dates:
            date = dates[0]
            if self.date_set:
                self.add(WARNING, _("weiteres Datum „%(raw)s“ nicht übernommen.") % {"raw": date.raw}, block)
            else:
                self.session.date = self.checked_date(date, block)
                self.date_set = True
            for other in dates[1:]:
                self.add(WARNING, _("weiteres Datum „%(raw)s“ nicht übernommen.") % {"raw": other.raw}, block)
        rest = remove_spans(value, [(d.start, d.end) for d in dates])
        times = find_times(rest)
        if not dates and not times:
            self.add(ERROR, _("„%(raw)s“ ist kein lesbares Datum.") % {"raw": _short(value)}, block)
            return
        self.set_times(times, block)

    def read_single_time(self, kind: str, value: str, block: Block) -> None:
        dates = find_dates(value)
        if dates and not self.date_set:
            self.session.date = self.checked_date(dates[0], block)
            self.date_set = True
        times = find_times(remove_spans(value, [(d.start, d.end) for d in dates]))
        if not times:
            self.add(ERROR, _("„%(raw)s“ ist keine lesbare Uhrzeit.") % {"raw": _short(value)}, block)
            return
        if len(times) == 2 and kind == START:
            self.set_times(times, block)
            return
        time = times[0]
        if time.value is None:
            self.add(ERROR, _("„%(raw)s“ ist keine gültige Uhrzeit.") % {"raw": time.raw}, block)
            return
        if kind == START:
            self.session.start_time = time.value
        else:
            self.session.end_time = time.value
        self.times_block = block

    def set_times(self, times: list[TimeMatch], block: Block | None) -> None:
        values: list[dt.time | None] = []
        for time in times:
            if time.value is None:
                self.add(ERROR, _("„%(raw)s“ ist keine gültige Uhrzeit.") % {"raw": time.raw}, block)
            values.append(time.value)
        if values:
            self.session.start_time = values[0]
            self.times_block = block
        if len(values) > 1:
            self.session.end_time = values[1]

    def checked_date(self, date: DateMatch, block: Block) -> dt.date | None:
        if date.value is None:
            self.add(ERROR, _("„%(raw)s“ ist kein gültiges Datum.") % {"raw": date.raw}, block)
            return None
        if date.loose:
            self.add(
                WARNING,
                _("Datum „%(raw)s“ als %(date)s gelesen.") % {"raw": date.raw, "date": _date_text(date.value)},
                block,
            )
        return date.value

    # Tagesordnung

    def agenda_block(self, block: Block, text: str) -> None:
        if block.kind == ROW:
            cells = list(block.cells)
            first = _plain(cells[0]) if cells else ""
            if first.lower().rstrip(":") in HEADER_CELLS and len(cells) > 1:
                return  # the header row of the table ("TOP", "Thema und Vortragende")
            content = [c for c in cells[1:] if _plain(c)]
            number = NUMBER_CELL_RE.match(first)
            if number and content:
                self.agenda.append(_AgendaEntry(_number(number.group("num")), content, block))
                return
            if len(cells) == 1 or (not content and first):
                self.agenda_line(block, cells[0] if len(cells) == 1 else " ".join(cells), text)
                return
            if not first:
                self.agenda.append(_AgendaEntry(None, content, block))
                return
            # a first cell that is not a number ("4a", or a table without a number column)
            if number is None and len(first) <= 6:
                self.agenda.append(_AgendaEntry(None, content, block, raw_number=first))
            else:
                self.agenda.append(_AgendaEntry(None, [c for c in cells if _plain(c)], block))
            return
        if block.kind == LIST_ITEM and block.ordered and not TOP_RE.match(text) and not BARE_NUMBER_RE.match(text):
            self.agenda.append(_AgendaEntry(self.list_number(block), [block.html], block))
            return
        self.agenda_line(block, block.html, text)

    def list_number(self, block: Block) -> str:
        """Numbers of a Word numbered list: 1, 2, … and 2.1, 2.2 for the level below."""
        numbered = [e for e in self.agenda if e.block.kind == LIST_ITEM and e.block.ordered and e.number]
        if block.level == 0 or not numbered:
            tops = [e for e in numbered if e.block.level == 0]
            last = _number_key(tops[-1].number or "0")[0] if tops else 0
            return str(last + 1)
        parent = next((e for e in reversed(numbered) if e.block.level == 0), None)
        parent_number = parent.number if parent and parent.number else "1"
        siblings = [e for e in numbered if e.number and e.number.startswith(parent_number + ".")]
        return f"{parent_number}.{len(siblings) + 1}"

    def agenda_line(self, block: Block, html: str, text: str) -> None:
        match = TOP_RE.match(text) or BARE_NUMBER_RE.match(text)
        if match:
            self.agenda.append(_AgendaEntry(_number(match.group("num")), [_strip_number(html)], block))
            return
        if self.agenda:
            self.agenda[-1].cells.append(html)
            return
        if block.kind == LIST_ITEM:  # an agenda as a bullet list without numbers
            self.agenda.append(_AgendaEntry(None, [_strip_bullet(block.html)], block))
            return
        self.unassigned(block, text)

    # Ergebnisse

    def results_block(self, block: Block, text: str) -> None:
        if block.kind == ROW:
            cells = list(block.cells)
            first = _plain(cells[0]) if cells else ""
            if first.lower().rstrip(":") in HEADER_CELLS and len(cells) > 1:
                return
            content = [c for c in cells[1:] if _plain(c)]
            number = NUMBER_CELL_RE.match(first)
            if number and len(cells) > 1:
                chunks = [chunk for cell in content for chunk in _cell_chunks(cell, block)]
                self.results.append(_ResultEntry(_number(number.group("num")), "", chunks, block))
                return
            if len(cells) == 1:
                self.results_line(block, cells[0], text)
                return
            if self.results and not first:
                self.results[-1].chunks.extend(chunk for cell in content for chunk in _cell_chunks(cell, block))
                return
            self.results.append(
                _ResultEntry(None, first, [c for cell in content for c in _cell_chunks(cell, block)], block)
            )
            return
        self.results_line(block, block.html, text)

    def results_line(self, block: Block, html: str, text: str) -> None:
        match = TOP_RE.match(text)
        if match is None and block.kind == HEADING:
            match = BARE_NUMBER_RE.match(text)
        if match is None and block.kind == PARAGRAPH and re.match(r"(?is)^\s*<(b|strong)\b[^>]*>.*</\1>\s*$", html):
            match = BARE_NUMBER_RE.match(text)
        if match:
            self.results.append(_ResultEntry(_number(match.group("num")), match.group("rest").strip(), [], block))
            return
        if block.kind == HEADING:
            self.results.append(_ResultEntry(None, text, [], block))
            return
        if not self.results:
            self.unassigned(block, text)
            return
        if block.kind == LIST_ITEM:
            item_html = _strip_bullet(html)
            chunk = _Chunk("li", item_html, block, level=max(0, min(block.level, 8)), ordered=block.ordered)
        elif re.search(r"(?i)<(p|ul|ol|li|h\d|blockquote)\b", html):
            chunk = _Chunk("html", html, block)
        else:
            chunk = _Chunk("p", html, block)
        self.results[-1].chunks.append(chunk)

    # --- second pass: items -----------------------------------------------------------------------------------

    def build_items(self) -> None:
        explicit = {e.number for e in self.agenda if e.number}
        numbers_first: dict[str, Block] = {}
        previous: str | None = None
        results_by_number: dict[str, _ResultEntry] = {}
        for result in self.results:
            if result.number and result.number not in results_by_number:
                results_by_number[result.number] = result
        for entry in self.agenda:
            if entry.number is None:
                entry.number = _next_number(previous, explicit | set(numbers_first))
                if entry.raw_number:
                    message = _("TOP-Nummer „%(raw)s“ nicht lesbar; als TOP %(number)s eingeordnet") % {
                        "raw": entry.raw_number,
                        "number": entry.number,
                    }
                else:
                    message = _("TOP ohne Nummer; als TOP %(number)s eingeordnet") % {"number": entry.number}
                if previous:
                    message += _(" (nach TOP %(previous)s)") % {"previous": previous}
                self.add(WARNING, message + ".", entry.block)
            elif entry.number in numbers_first:
                self.add(
                    ERROR,
                    _("TOP %(number)s kommt doppelt vor (zuerst %(where)s).")
                    % {"number": entry.number, "where": numbers_first[entry.number].where},
                    entry.block,
                )
            numbers_first.setdefault(entry.number, entry.block)
            previous = entry.number
            self.states.append(self.item_from_agenda(entry, results_by_number.get(entry.number)))
        self.attach_results()
        self.missing_sections()
        for state in self.states:
            self.finish_item(state)
        self.session.items = [state.item for state in self.states]

    def item_from_agenda(self, entry: _AgendaEntry, result: _ResultEntry | None) -> _ItemState:
        block = entry.block
        number = entry.number or ""
        lines = [line for cell in entry.cells for line in _html_lines(cell)]
        for line in lines:
            line.text = self.norm(line.text, block)
        note = " ".join(line.text for line in lines if line.italic)
        normal = [line for line in lines if not line.italic]
        hint = ""
        if result is not None:
            firsts = [c for c in result.chunks if c.kind == "p"]
            if result.title:
                hint = normalise_text(result.title)
            elif firsts:
                hint = normalise_text(firsts[0].text)
        title = ""
        presenter_lines: list[str] = []
        if normal:
            title = normal[0].text
            rest = normal[1:]
            confirmed = bool(hint) and _key(hint) == _key(title)
            # a title wrapped over two lines (PDF): lines before the first person belong to it
            while rest and not confirmed and not normal[0].bold and not names.looks_like_person_line(rest[0].text):
                title = f"{title} {rest.pop(0).text}"
            for line in rest:
                if presenter_lines and not names.looks_like_person_line(line.text):
                    presenter_lines[-1] = f"{presenter_lines[-1]} {line.text}"
                else:
                    presenter_lines.append(line.text)
            if not presenter_lines:
                title, inline = self.split_title(title, hint, block)
                if inline:
                    presenter_lines.append(inline)
        item = ParsedItem(number=number, title=title, kind="ordinary", note=note, where=block.where, line=block.line)
        state = _ItemState(item=item, presenters_text=presenter_lines, block=block)
        for text in presenter_lines:
            people, doubts = names.parse_people(text)
            item.presenters.extend(people)
            for doubt in doubts:
                self.add(WARNING, _("TOP %(number)s: %(doubt)s.") % {"number": number, "doubt": doubt}, block)
        return state

    def split_title(self, text: str, hint: str, block: Block) -> tuple[str, str]:
        """Title and presenters written on one line; the Ergebnisse section's title decides if it can."""
        text_key, hint_key = _key(text), _key(hint)
        if hint_key and text_key.startswith(hint_key):
            cut = _cut_after_key(text, len(hint_key))
            while cut < len(text) and not text[cut].isspace() and not text[cut].isalnum():
                cut += 1  # closing quotes and brackets belong to the title
            # the cut must fall between words, not inside one
            if cut >= len(text) or not (text[cut - 1].isalnum() and text[cut].isalnum()):
                return text[:cut].strip(), text[cut:].strip()
        title, presenters, ambiguous = names.split_title(text)
        if ambiguous:
            self.add(
                WARNING,
                _("Titel und Vortragende geschätzt getrennt: „%(title)s“ | „%(presenters)s“.")
                % {"title": _short(title, 60), "presenters": _short(presenters, 60)},
                block,
            )
        return title, presenters

    def attach_results(self) -> None:
        by_number = {s.item.number: s for s in self.states}
        by_title = {_key(s.item.title): s for s in self.states if s.item.title}
        current: _ItemState | None = None
        from_results = not self.agenda
        for entry in self.results:
            state: _ItemState | None = None
            created = False
            if entry.number is not None:
                state = by_number.get(entry.number)
                if state is None:
                    state = self.item_from_results(entry)
                    created = True
                    if not from_results:
                        self.add(
                            WARNING,
                            _(
                                "Ergebnis zu TOP %(number)s, den die Tagesordnung nicht hat; "
                                "der TOP wurde aus den Ergebnissen übernommen."
                            )
                            % {"number": entry.number},
                            entry.block,
                        )
                    by_number[entry.number] = state
                    self.insert_state(state)
                elif state.chunks and entry.block is not state.chunks[0].block:
                    self.add(
                        WARNING,
                        _("weiteres Ergebnis zu TOP %(number)s angehängt.") % {"number": entry.number},
                        entry.block,
                    )
            elif entry.title and _key(entry.title) in by_title:
                state = by_title[_key(entry.title)]
            elif current is not None:
                # a heading inside a result, or a row continuing the one before
                level = 4 if entry.block.kind == HEADING and entry.block.level >= 3 else 3
                if entry.title:
                    current.chunks.append(
                        _Chunk("html", f"<h{level}>{html_lib.escape(entry.title)}</h{level}>", entry.block)
                    )
                current.chunks.extend(entry.chunks)
                continue
            elif from_results and entry.title:
                number = _next_number(self.states[-1].item.number if self.states else None, set(by_number))
                entry.number = number
                state = self.item_from_results(entry)
                created = True
                self.add(
                    WARNING,
                    _("TOP ohne Nummer; als TOP %(number)s eingeordnet.") % {"number": number},
                    entry.block,
                )
                by_number[number] = state
                self.insert_state(state)
            else:
                self.unassigned(entry.block, entry.title or " ".join(c.text for c in entry.chunks))
                continue
            heading_key, title_key = _key(entry.title), _key(state.item.title)
            # the heading repeats the title: nothing to keep unless it says something else
            same = title_key.startswith(heading_key) or heading_key.startswith(title_key)
            if heading_key and title_key and not same:
                self.add(
                    WARNING,
                    _("Titel von TOP %(number)s weicht von der Tagesordnung ab: „%(title)s“.")
                    % {"number": state.item.number, "title": _short(entry.title)},
                    entry.block,
                )
            if not created:
                if not state.chunks and not state.item.presenters:
                    # the agenda listed titles only: presenters and note stand at the head of the result
                    state.chunks.extend(self.take_people(state, entry.chunks, entry.block))
                elif not state.chunks and not state.item.note:
                    state.chunks.extend(self.take_note(state, entry.chunks, entry.block))
                else:
                    state.chunks.extend(entry.chunks)
            current = state

    def insert_state(self, state: _ItemState) -> None:
        key = _number_key(state.item.number)
        position = len(self.states)
        for index, other in enumerate(self.states):
            if _number_key(other.item.number) > key:
                position = index
                break
        self.states.insert(position, state)

    def item_from_results(self, entry: _ResultEntry) -> _ItemState:
        """An item known only from the Ergebnisse: title, then presenters and note if the next pieces are such."""
        block = entry.block
        chunks = list(entry.chunks)
        title = self.norm(entry.title, block)
        if not title and chunks and chunks[0].kind in ("p", "html") and len(_html_lines(chunks[0].html)) == 1:
            title = self.norm(chunks.pop(0).text, block)
        item = ParsedItem(number=entry.number or "", title=title, kind="ordinary", where=block.where, line=block.line)
        state = _ItemState(item=item, presenters_text=[], chunks=[], block=block)
        state.chunks = self.take_people(state, chunks, block)
        return state

    def take_note(self, state: _ItemState, chunks: list[_Chunk], block: Block) -> list[_Chunk]:
        """A note only the Ergebnisse give: an italic paragraph after the repeated title and presenters."""
        keys = self.repetitions(state)
        head = 0
        while head < len(chunks) and self.is_repetition(chunks[head], state, keys):
            head += 1
        if head < len(chunks) and chunks[head].kind == "p":
            lines = _html_lines(chunks[head].html)
            if lines and all(line.italic for line in lines):
                state.item.note = " ".join(self.norm(line.text, block) for line in lines)
                return chunks[:head] + chunks[head + 1 :]
        return list(chunks)

    def take_people(self, state: _ItemState, chunks: list[_Chunk], block: Block) -> list[_Chunk]:
        """Presenters and note at the head of a result (when the agenda did not give them); the rest is returned."""
        chunks = list(chunks)
        item = state.item
        note = ""
        presenter_lines: list[str] = []
        if chunks and chunks[0].kind in ("p", "li", "html"):
            lines = _html_lines(chunks[0].html)
            if lines and all(line.italic or names.looks_like_person_line(line.text) for line in lines):
                chunks.pop(0)
                presenter_lines = [self.norm(line.text, block) for line in lines if not line.italic]
                note = " ".join(self.norm(line.text, block) for line in lines if line.italic)
            while chunks and chunks[0].kind in ("p", "li") and names.looks_like_person_line(chunks[0].text):
                presenter_lines.append(self.norm(chunks.pop(0).text, block))
        if chunks and not note:
            lines = _html_lines(chunks[0].html)
            if chunks[0].kind == "p" and lines and all(line.italic for line in lines):
                note = " ".join(self.norm(line.text, block) for line in lines)
                chunks.pop(0)
        if note and not item.note:
            item.note = note
        state.presenters_text.extend(presenter_lines)
        for text in presenter_lines:
            people, doubts = names.parse_people(text)
            item.presenters.extend(people)
            for doubt in doubts:
                self.add(WARNING, _("TOP %(number)s: %(doubt)s.") % {"number": item.number, "doubt": doubt}, block)
        return chunks

    def missing_sections(self) -> None:
        agenda_block = self.section_blocks.get(AGENDA)
        results_block = self.section_blocks.get(RESULTS)
        if self.implicit_items is not None and results_block is None:
            self.add(
                WARNING,
                _(
                    "Überschriften „Tagesordnung“ und „Ergebnisse“ fehlen; "
                    "die TOPs wurden ab hier aus dem Text gelesen."
                ),
                self.implicit_items,
            )
        elif self.implicit_items is not None:
            self.add(
                WARNING,
                _("Überschrift „Tagesordnung“ fehlt; die TOPs ab hier wurden als Tagesordnung gelesen."),
                self.implicit_items,
            )
        elif agenda_block is None and results_block is not None:
            self.add(
                WARNING,
                _("Abschnitt „Tagesordnung“ fehlt; die TOPs wurden aus den Ergebnissen übernommen."),
                results_block,
            )
        elif agenda_block is not None and results_block is None:
            self.add(WARNING, _("Abschnitt „Ergebnisse“ fehlt; die TOPs haben keine Ergebnisse."), agenda_block)
        if not self.states:
            self.add(WARNING, _("keine Tagesordnungspunkte gefunden."), agenda_block or results_block)

    # one item: result, kind, projects

    def finish_item(self, state: _ItemState) -> None:
        item = state.item
        block = state.block
        if not item.title:
            self.add(ERROR, _("TOP %(number)s hat keinen Titel.") % {"number": item.number}, block)
        elif len(item.title) > MAX_TITLE:
            self.add(
                ERROR,
                _("Der Titel von TOP %(number)s ist länger als %(max)s Zeichen.")
                % {"number": item.number, "max": MAX_TITLE},
                block,
            )
        item.result = self.result_html(state)
        self.classify(state)

    def repetitions(self, state: _ItemState) -> set[str]:
        item = state.item
        people = " ".join(state.presenters_text)
        keys = {
            _key(item.title),
            _key(people),
            _key(item.note),
            _key(f"{people} {item.note}"),
            _key(f"{item.title} {people}"),
            _key(f"{item.title} {people} {item.note}"),
            _key(f"TOP {item.number} {item.title}"),
            _key(f"{item.number} {item.title}"),
        }
        keys.update(_key(p.raw) for p in item.presenters)
        keys.update(_key(text) for text in state.presenters_text)
        keys.discard("")
        return keys

    def is_repetition(self, chunk: _Chunk, state: _ItemState, keys: set[str]) -> bool:
        if chunk.kind not in ("p", "li", "html"):
            return False
        if chunk.kind == "html" and re.search(r"(?i)<(ul|ol|li)\b", chunk.html):
            return False
        if _key(chunk.text) in keys:
            return True
        lines = _html_lines(chunk.html)
        if lines and all(_key(line.text) in keys for line in lines):
            return True
        # the presenters again, written a little differently ("Herr Jahn, WRL"): only as a paragraph, not a sentence
        family = {p.family_name for p in state.item.presenters if p.family_name}
        if chunk.kind == "li" or not family or not lines or any(line.italic for line in lines):
            return False
        if any(re.search(r"[a-zäöüß]{3,}[.!?]$", line.text) for line in lines):
            return False
        people = [names.parse_person(normalise_text(line.text))[0] for line in lines]
        return all(names.looks_like_person_line(line.text) for line in lines) and all(
            p.family_name in family for p in people
        )

    def result_html(self, state: _ItemState) -> str:
        keys = self.repetitions(state)
        out: list[str] = []
        stack: list[str] = []
        started = False

        def close_lists() -> None:
            while stack:
                out.append(f"</li></{stack.pop()}>")

        for chunk in state.chunks:
            if not started and self.is_repetition(chunk, state, keys):
                continue
            started = True
            if chunk.kind == "li":
                tag = "ol" if chunk.ordered else "ul"
                depth = chunk.level + 1
                while len(stack) > depth:
                    out.append(f"</li></{stack.pop()}>")
                if len(stack) == depth:
                    if stack[-1] != tag:
                        out.append(f"</li></{stack.pop()}><{tag}>")
                        stack.append(tag)
                    else:
                        out.append("</li>")
                while len(stack) < depth:
                    out.append(f"<{tag}>" if len(stack) == depth - 1 else f"<{tag}><li>")
                    stack.append(tag)
                out.append(f"<li>{chunk.html}")
                continue
            close_lists()
            if chunk.kind == "p":
                out.append(f"<p>{chunk.html}</p>")
            else:
                out.append(chunk.html)
        close_lists()
        return sanitise_html("".join(out))

    def classify(self, state: _ItemState) -> None:
        item = state.item
        block = state.block
        title = item.title
        if APPROVAL_RE.search(title):
            item.kind = "minutes_approval"
            number = APPROVED_SESSION_RE.search(title)
            if number:
                item.approves_number = int(number.group(1))
            dates = find_dates(title)
            if dates:
                item.approves_date = self.checked_date(dates[0], block) if block else dates[0].value
            return
        if PROJECT_REPORT_RE.search(title):
            item.kind = "project_report"
            return
        match = PRESENTATION_RE.match(title) or PRESENTATION_PLAIN_RE.match(title)
        if not match:
            return
        item.kind = "project_presentation"
        label = match.groupdict().get("label") or ""
        rest = match.group("rest")
        titles = [m.group("title").strip() for m in QUOTED_RE.finditer(rest)]
        if not titles:
            # unquoted: "Projektvorstellung: Digitales Dorf", but not "Vorstellung der Projekte der Werkstatt 4"
            plain = re.sub(r"\s*\([^)]*\)\s*$", "", rest).strip(" :–—-.\"'„“”»«")
            titles = [plain] if plain[:1].isupper() or plain[:1].isdigit() else []
        kind_label = re.sub(r"(?<=[Pp]rojekt)(?:es|s)$", "", label) if label else ""
        instrument = ""
        head = f"{label} {rest[: rest.find(titles[0])] if titles and titles[0] in rest else ''}"
        if re.search(r"\bSTARK\b|\bStark-", head):
            instrument = "stark"
        elif re.search(r"\bJTF\b", head):
            instrument = "jtf"
        outcome, lead_workshop, lead_outcome, lead_date = self.outcomes(state)
        for project_title in titles:
            item.projects.append(
                ParsedProject(
                    title=project_title,
                    instrument=instrument,
                    kind_label=kind_label,
                    outcome=outcome,
                    lead_workshop=lead_workshop,
                    lead_outcome=lead_outcome,
                    lead_date=lead_date,
                )
            )

    def outcomes(self, state: _ItemState) -> tuple[str, int | None, str, dt.date | None]:
        """(outcome here, lead workshop, its outcome, its date) as the result states them."""
        text = " ".join(_plain(part) for part in re.split(r"(?i)</li>|</p>|<br\s*/?>", state.item.result))
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])", text)
        outcome = lead_outcome = ""
        lead_workshop: int | None = None
        lead_date: dt.date | None = None
        for sentence in sentences:
            found = _outcome(sentence)
            lead = LEAD_RE.search(sentence)
            if lead:
                lead_workshop = int(lead.group(1))
                lead_outcome = lead_outcome or found
                dates = find_dates(sentence)
                if dates and lead_date is None:
                    date = dates[0]
                    if date.value is None:
                        self.add(
                            WARNING,
                            _("„%(raw)s“ ist kein gültiges Datum; nicht übernommen.") % {"raw": date.raw},
                            state.block,
                        )
                    else:
                        if date.loose:
                            self.add(
                                WARNING,
                                _("Datum „%(raw)s“ als %(date)s gelesen.")
                                % {"raw": date.raw, "date": _date_text(date.value)},
                                state.block,
                            )
                        lead_date = date.value
            elif found and not outcome:
                outcome = found
        return outcome, lead_workshop, lead_outcome, lead_date

    # --- the session as a whole -----------------------------------------------------------------------------------

    def finish_session(self) -> None:
        self.finish_workshop()
        self.finish_number()
        self.finish_date()

    def finish_workshop(self) -> None:
        session = self.session
        mentions = self.workshop_mentions
        inferred = self.workshop_from_titles() if not mentions else None
        if self.given_workshop is not None:
            session.workshop_number = self.given_workshop
            other: tuple[int, Block | None, str] | None = next(
                ((n, b, w) for n, b, w in mentions if n != self.given_workshop), None
            )
            if other is None and inferred is not None and inferred[0] != self.given_workshop:
                other = (inferred[0], self.item_block(inferred[1]), inferred[1].title)
            if other is not None:
                self.add(
                    WARNING,
                    _("Das Dokument nennt „%(written)s“; übernommen wird Werkstatt %(given)s (Vorgabe).")
                    % {"written": _short(other[2], 60), "given": self.given_workshop},
                    other[1],
                )
        elif mentions:
            number, block, _written = mentions[0]
            session.workshop_number = number
            for other_number, other_block, written in mentions[1:]:
                if other_number != number:
                    self.add(
                        WARNING,
                        _(
                            "„%(written)s“ widerspricht Werkstatt %(number)s (%(where)s); "
                            "übernommen: Werkstatt %(number)s."
                        )
                        % {"written": _short(written, 60), "number": number, "where": block.where},
                        other_block,
                    )
                    break
        elif inferred is not None:
            number, item = inferred
            session.workshop_number = number
            self.add(
                WARNING,
                _("Werkstatt %(number)s aus TOP %(top)s geschlossen („%(title)s“); bitte prüfen.")
                % {"number": number, "top": item.number, "title": _short(item.title, 60)},
                self.item_block(item),
            )
        else:
            self.add(ERROR, _("Werkstatt nicht erkannt; bitte mit --workshop / im Formular angeben."))
        if session.workshop_number is not None:
            session.workshop_name = dict(_workshops()).get(session.workshop_number, "")

    def workshop_from_titles(self) -> tuple[int, ParsedItem] | None:
        """ "Schwerpunkte der Werkstatt 4" in the items' titles, if they all name the same workshop."""
        found: list[tuple[int, ParsedItem]] = []
        for state in self.states:
            for match in WORKSHOP_IN_TITLE_RE.finditer(state.item.title):
                found.append((int(match.group(1)), state.item))
        return found[0] if len({number for number, _item in found}) == 1 else None

    def item_block(self, item: ParsedItem) -> Block | None:
        return next((s.block for s in self.states if s.item is item), None)

    def finish_number(self) -> None:
        session = self.session
        approval = next((s for s in self.states if s.item.approves_number is not None), None)
        if self.session_mentions:
            number, block = self.session_mentions[0]
            session.number = number
            for other, other_block in self.session_mentions[1:]:
                if other != number:
                    self.add(
                        WARNING,
                        _("Sitzungsnummer %(other)s widerspricht der %(number)s. Sitzung (%(where)s).")
                        % {"other": other, "number": number, "where": block.where},
                        other_block,
                    )
                    break
            if approval is not None and approval.item.approves_number not in (None, number - 1):
                self.add(
                    WARNING,
                    _(
                        "TOP %(top)s bestätigt das Protokoll der %(approved)s. Sitzung, "
                        "dies ist aber die %(number)s. Sitzung."
                    )
                    % {"top": approval.item.number, "approved": approval.item.approves_number, "number": number},
                    approval.block,
                )
        elif approval is not None and approval.item.approves_number is not None:
            session.number = approval.item.approves_number + 1
            self.add(
                WARNING,
                _("Sitzungsnummer %(number)s aus TOP %(top)s geschlossen („Protokoll der %(approved)s. Sitzung“).")
                % {"number": session.number, "top": approval.item.number, "approved": approval.item.approves_number},
                approval.block,
            )
        else:
            self.add(WARNING, _("keine Sitzungsnummer gefunden; die Sitzung wird ohne Nummer angelegt."))

    def finish_date(self) -> None:
        session = self.session
        if not self.date_set and self.header_dates:
            date, _text, block = self.header_dates[0]
            session.date = self.checked_date(date, block)
            self.date_set = True
            if session.start_time is None:
                rest = remove_spans(_text, [(date.start, date.end)])
                times = [t for t in find_times(rest) if t.value is not None]
                if times and re.search(r"(?i)uhr|\bvon\b|\bbis\b", rest):
                    self.set_times(times, block)
        if not self.date_set:
            self.add(ERROR, _("kein Sitzungsdatum gefunden."))
        start, end = session.start_time, session.end_time
        if start is not None and end is not None and end < start:
            self.add(
                ERROR,
                _("Das Ende (%(end)s) liegt vor dem Beginn (%(start)s).")
                % {"end": _time_text(end), "start": _time_text(start)},
                self.times_block,
            )
        if end is not None and start is None:
            self.add(WARNING, _("Ende ohne Beginn; das Ende wird nicht übernommen."), self.times_block)
            session.end_time = None


# --- module helpers -------------------------------------------------------------------------------------


def _strip_number(html: str) -> str:
    """The HTML of a line without its leading "TOP 4.1:" (tags before it kept)."""
    return re.sub(
        rf"^(\s*(?:<[^>]+>\s*)*)(?:(?:TOP|Top|top|Tagesordnungspunkt|TO-Punkt)\s*)?{_NUM}\.?(?:\s*[:.)\-–—])?\s*",
        r"\1",
        html,
        count=1,
    )


def _strip_bullet(html: str) -> str:
    return re.sub(rf"^(\s*(?:<[^>]+>\s*)*)[{re.escape(BULLETS)}]\s+", r"\1", html, count=1)


def _next_number(previous: str | None, taken: set[str]) -> str:
    """The number after ``previous`` that nobody has: 3 -> 4, or 3.1 if a later row is numbered 4."""
    if previous is None:
        candidate = 1
        while str(candidate) in taken:
            candidate += 1
        return str(candidate)
    parts = previous.split(".")
    following = ".".join([*parts[:-1], str(int(parts[-1]) + 1)])
    if following not in taken:
        return following
    sub = 1
    while f"{previous}.{sub}" in taken:
        sub += 1
    return f"{previous}.{sub}"


def _outcome(sentence: str) -> str:
    lower = sentence.lower()
    for value, pattern in OUTCOMES:
        if re.search(pattern, lower):
            return value
    return ""


def _workshops() -> list[tuple[int, str]]:
    from werkstatt.demo import data

    return list(data.WORKSHOPS)


def workshop_by_name(text: str) -> int | None:
    """The workshop whose title the text names (spelling, quotes and "&"/"und" ignored)."""
    text_key = _key(text.replace("&", " und "))
    if len(text_key) < 8:
        return None
    for number, title in _workshops():
        title_key = _key(title.replace("&", " und "))
        if title_key and title_key in text_key:
            return number
        if len(text_key) < 3 * len(title_key) and difflib.SequenceMatcher(None, text_key, title_key).ratio() >= 0.85:
            return number
    return None


def parse_place(text: str) -> ParsedPlace:
    """Split "Bürgerzentrum, Uferstraße 6, 04916 Herzberg (Elster)" into its parts; online meetings marked.

    Parts before the street describe the building or room; a part after the street without a postal
    code is the town. Whatever cannot be placed stays in the description, nothing is dropped.
    """
    place = ParsedPlace(raw=text)
    before: list[str] = []
    after: list[str] = []
    for part in names.split_list(text.replace(" | ", ", ")):
        if ONLINE_RE.search(part):
            place.online = True
            continue
        postal = POSTAL_RE.match(part)
        if postal and not place.postal_code:
            place.postal_code, place.locality = postal.group(1), postal.group(2).strip()
            continue
        if not place.street_address and STREET_RE.match(part) and not re.fullmatch(r"[\d\s]+", part):
            place.street_address = part
            continue
        (after if place.street_address else before).append(part)
    if after and not place.locality:
        place.locality = after.pop(0)
    place.description = ", ".join(before + after)
    return place
