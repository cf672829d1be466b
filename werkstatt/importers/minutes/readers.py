"""Readers: the bytes of a minutes file -> ``document.SourceDocument``, whatever the format.

What a file is comes from its content (its first bytes, for zip packages the entries), never from its
name; a name that says otherwise is reported as a warning. Three readers share the entry point
``read_document``:

* ``TextReader``: one block per non-empty line. Tab-separated lines are rows, bullet lines list items;
  the cells keep the HTML fragments text exports carry (the parser sanitises them).
* ``DocxReader``: Word's own structure: heading styles, tables (one row block per table row), real
  Word lists with their levels and numbering formats; runs become escaped HTML with ``<b>``,
  ``<i>``, ``<br>`` and links.
* ``PdfReader``: the text layer of a PDF (pdfplumber), rebuilt into lines, wrapped lines joined,
  page furniture dropped, two-column layouts (label | text) read as table rows.

Anything a file cannot give raises ``DocumentError`` with a German message naming the file; what a
reader did or doubts on the way is a ``Finding`` in ``SourceDocument.notes``.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import itertools
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkstatt.documents.validators import MEGABYTE, max_upload_bytes
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
from werkstatt.importers.minutes.parsed import INFO, WARNING, Finding

__all__ = ["DocumentError", "detect_format", "read_document"]

# A zip package whose entries unpack to more than this is refused (a "zip bomb" or not minutes at all).
MAX_UNPACKED_BYTES = 256 * MEGABYTE


@dataclass
class Reading:
    """What a format reader hands back: the document's lines, its blocks and its notes."""

    lines: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)


def read_document(content: bytes, file_name: str) -> SourceDocument:
    """Read a minutes file (text, DOCX or PDF) into blocks; raise ``DocumentError`` if it cannot be read."""
    name = display_name(file_name)
    if len(content) > max_upload_bytes():
        raise DocumentError(
            _("Die Datei „%(name)s“ ist %(size)s MB groß; erlaubt sind höchstens %(limit)s MB.")
            % {"name": name, "size": _megabytes(len(content)), "limit": _megabytes(max_upload_bytes())}
        )
    if not content:
        raise DocumentError(_("Die Datei „%(name)s“ ist leer.") % {"name": name})
    kind = detect_format(content, file_name)
    notes: list[Finding] = []
    claimed = _claimed_format(file_name)
    if claimed and claimed != kind:
        notes.append(
            Finding(
                WARNING,
                _(
                    "Die Datei „%(name)s“ ist keine %(claimed)s, sondern eine %(actual)s; "
                    "sie wurde als %(label)s gelesen."
                )
                % {
                    "name": name,
                    "claimed": _type_noun(claimed),
                    "actual": _type_noun(kind),
                    "label": _read_as(kind),
                },
            )
        )
    reader: TextReader | DocxReader | PdfReader
    if kind == TEXT:
        reader = TextReader(content, name)
    elif kind == DOCX:
        reader = DocxReader(content, name)
    else:
        reader = PdfReader(content, name)
    reading = reader.read()
    return SourceDocument(
        file_name=name,
        format=kind,
        content=content,
        sha512=hashlib.sha512(content).hexdigest(),
        lines=reading.lines,
        blocks=reading.blocks,
        notes=notes + reading.notes,
    )


def display_name(file_name: str) -> str:
    """The file's own name, without any folder a browser or command line passed along."""
    return re.split(r"[\\/]", file_name or "")[-1] or _("(ohne Namen)")


def _megabytes(size: int) -> str:
    value = size / MEGABYTE
    text = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
    return text.replace(".", ",")


# --- what a file is -------------------------------------------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# (signature at offset 0, what it is) for files that are clearly no minutes
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "ein PNG-Bild"),
    (b"\xff\xd8\xff", "ein JPEG-Bild"),
    (b"GIF87a", "ein GIF-Bild"),
    (b"GIF89a", "ein GIF-Bild"),
    (b"II*\x00", "ein TIFF-Bild"),
    (b"MM\x00*", "ein TIFF-Bild"),
    (b"\x1f\x8b", "ein gzip-Archiv"),
    (b"7z\xbc\xaf\x27\x1c", "ein 7-Zip-Archiv"),
    (b"Rar!\x1a\x07", "ein RAR-Archiv"),
    (b"\x7fELF", "ein Programm"),
    (b"{\\rtf", "ein RTF-Dokument"),
)
_ZIP_KINDS: tuple[tuple[str, str], ...] = (
    ("xl/workbook.xml", "eine Excel-Tabelle (.xlsx)"),
    ("ppt/presentation.xml", "eine PowerPoint-Präsentation (.pptx)"),
)
_OPEN_DOCUMENT_KINDS = {
    "application/vnd.oasis.opendocument.text": "ein OpenDocument-Text (.odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "eine OpenDocument-Tabelle (.ods)",
    "application/vnd.oasis.opendocument.presentation": "eine OpenDocument-Präsentation (.odp)",
}
_EXTENSIONS = {
    ".txt": TEXT,
    ".text": TEXT,
    ".tsv": TEXT,
    ".csv": TEXT,
    ".md": TEXT,
    ".docx": DOCX,
    ".docm": DOCX,
    ".pdf": PDF,
}


def _readable_types() -> str:
    return _("Lesbar sind Textdateien, Word-Dokumente (.docx) und PDF-Dateien mit Text.")


def _not_minutes(name: str, what: str) -> DocumentError:
    return DocumentError(
        _("Die Datei „%(name)s“ ist %(what)s und kein lesbares Protokoll. %(readable)s")
        % {"name": name, "what": what, "readable": _readable_types()}
    )


def _damaged(name: str, label: str) -> DocumentError:
    return DocumentError(
        _(
            "Die %(label)s „%(name)s“ ist beschädigt oder unvollständig und kann nicht gelesen werden. "
            "Bitte die Datei erneut speichern oder herunterladen und noch einmal hochladen."
        )
        % {"label": label, "name": name}
    )


def detect_format(content: bytes, file_name: str) -> str:
    """TEXT, DOCX or PDF, from the content; any other kind of file raises ``DocumentError``."""
    name = display_name(file_name)
    position = content[:1024].find(b"%PDF-")
    if position == 0 or (position > 0 and re.search(rb"[^\t\n\r\x20-\x7e]", content[:position])):
        return PDF  # a PDF may carry a few bytes of junk before its header
    if content.startswith(_OLE2):
        raise DocumentError(
            _(
                "Die Datei „%(name)s“ ist ein Dokument im alten Word-Format (.doc, Word 97–2003) oder ein anderes "
                "altes Office-Format; das wird nicht unterstützt. Bitte in Word öffnen und als Word-Dokument "
                "(.docx) speichern."
            )
            % {"name": name}
        )
    if content.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_format(content, name, file_name)
    if content.startswith(_TEXT_BOMS):
        return TEXT
    for signature, what in _BINARY_SIGNATURES:
        if content.startswith(signature):
            raise _not_minutes(name, what)
    if content[:12].startswith(b"RIFF") and content[8:12] == b"WEBP":
        raise _not_minutes(name, _("ein WebP-Bild"))
    if b"\x00" in content:
        raise _not_minutes(name, _("eine Binärdatei"))
    return TEXT


def _zip_format(content: bytes, name: str, file_name: str) -> str:
    try:
        with zipfile.ZipFile(BytesIO(content)) as package:
            entries = {info.filename: info for info in package.infolist()}
            if sum(info.file_size for info in entries.values()) > MAX_UNPACKED_BYTES:
                raise _not_minutes(name, _("ein ungewöhnlich großes ZIP-Paket"))
            if "word/document.xml" in entries:
                return DOCX
            for entry, what in _ZIP_KINDS:
                if entry in entries:
                    raise _not_minutes(name, what)
            if "mimetype" in entries and entries["mimetype"].file_size < 200:
                mimetype = package.read("mimetype").decode("ascii", "replace").strip()
                if what := _OPEN_DOCUMENT_KINDS.get(mimetype, ""):
                    if mimetype.endswith(".text"):
                        raise DocumentError(
                            _(
                                "Die Datei „%(name)s“ ist ein OpenDocument-Text (.odt); der wird nicht gelesen. "
                                "Bitte als Word-Dokument (.docx) oder PDF speichern."
                            )
                            % {"name": name}
                        )
                    raise _not_minutes(name, what)
            raise _not_minutes(name, _("ein ZIP-Archiv"))
    except DocumentError:
        raise
    except Exception as error:  # zipfile raises several kinds on damaged packages
        if b"word/" in content[:4096] or _claimed_format(file_name) == DOCX:
            raise _damaged(name, _("Word-Datei")) from error
        raise _damaged(name, _("ZIP-Datei")) from error


def _claimed_format(file_name: str) -> str:
    """The format the name's ending claims, or "" for endings that claim none of the three."""
    match = re.search(r"\.[A-Za-z0-9]+$", display_name(file_name))
    return _EXTENSIONS.get(match.group(0).lower(), "") if match else ""


def _type_noun(kind: str) -> str:
    return {TEXT: _("Textdatei"), DOCX: _("Word-Datei"), PDF: _("PDF-Datei")}[kind]


def _read_as(kind: str) -> str:
    return {TEXT: _("Text"), DOCX: _("Word-Dokument"), PDF: _("PDF")}[kind]


def _no_text(name: str) -> DocumentError:
    return DocumentError(_("Die Datei „%(name)s“ enthält keinen Text.") % {"name": name})


# --- HTML helpers shared by the readers --------------------------------------------------------------

_TAG_RE = re.compile(r"<[^>]*>")
_SEPARATOR_RE = re.compile(r"\s*(?:<br\s*/?>|</p>\s*<p>|</li>\s*<li>|<li>|<ul>|<ol>)\s*", re.IGNORECASE)
_SPACES_RE = re.compile(r"\s+")


def html_to_text(fragment: str) -> str:
    """A fragment as one plain line: line breaks, paragraphs and list items become " / "."""
    text = _SEPARATOR_RE.sub(" / ", fragment)
    text = html.unescape(_TAG_RE.sub("", text))
    text = _SPACES_RE.sub(" ", text).strip()
    return re.sub(r"^(?:/ )+|(?: /)+$", "", re.sub(r"(?:/ )+/", "/", text)).strip()


@dataclass
class Run:
    """A piece of text with its inline formatting, for rendering to HTML."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""


def runs_to_html(runs: list[Run], *, bold: bool = True) -> str:
    """Escaped HTML of runs; adjacent runs of the same formatting are merged, ``\\n`` becomes ``<br>``.

    ``bold=False`` leaves bold out (a line or paragraph that is bold throughout: its weight is layout).
    """
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and not run.text.strip(" "):  # a space between runs takes no formatting of its own
            merged[-1].text += run.text
            continue
        key = (run.bold and bold, run.italic, run.href)
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].href) == key:
            merged[-1].text += run.text
        else:
            merged.append(Run(run.text, *key))
    parts: list[str] = []
    for run in merged:
        text = "<br>".join(html.escape(piece, quote=False) for piece in run.text.split("\n"))
        # Spaces at the edges stay outside the tags: "<i>a</i> b", not "<i>a </i>b".
        stripped = text.strip(" ")
        if not stripped:
            parts.append(text)
            continue
        lead, trail = text[: len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")) :]
        if run.italic:
            stripped = f"<i>{stripped}</i>"
        if run.bold:
            stripped = f"<b>{stripped}</b>"
        if run.href:
            stripped = f'<a href="{html.escape(run.href)}">{stripped}</a>'
        parts.append(lead + stripped + trail)
    out = "".join(parts).strip()
    return re.sub(r"^(?:<br>\s*)+|(?:\s*<br>)+$", "", out)


# --- text -----------------------------------------------------------------------------------------

_BULLET_LINE_RE = re.compile(r"^(?P<bullet>[•◦▪‣–*-]|o(?= ))[ \t]+(?P<text>\S.*)$")
_ORDERED_LINE_RE = re.compile(r"^(?P<marker>\d{1,3}|[A-Za-z])\)[ \t]+(?P<text>\S.*)$")
_BULLET_LEVELS = {"◦": 1, "o": 1, "▪": 2}
# Control characters that are no text; \v, \f and \x1a (line and page breaks, end of file) of
# Word's and DOS's text exports are layout and become spaces without a note.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
_LAYOUT_CONTROL_RE = re.compile(r"[\x0b\x0c\x1a]")


class TextReader:
    """Plain text exports: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 or Latin-1."""

    def __init__(self, content: bytes, name: str) -> None:
        self.content = content
        self.name = name
        self.notes: list[Finding] = []

    def decode(self) -> str:
        content = self.content
        for bom, codec, label in (
            (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
            (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
            (codecs.BOM_UTF8, "utf-8-sig", ""),
            (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
            (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
        ):
            if content.startswith(bom):
                text = content.decode(codec, errors="replace")
                if label:
                    self._encoding_note(label)
                if "\ufffd" in text:
                    self.notes.append(
                        Finding(
                            WARNING,
                            _("Einige Zeichen sind in %(encoding)s nicht gültig und wurden durch „�“ ersetzt.")
                            % {"encoding": label or "UTF-8"},
                        )
                    )
                return text
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            pass
        try:
            text = content.decode("cp1252")
            self._encoding_note("Windows-1252")
        except UnicodeDecodeError:
            text = content.decode("latin-1")
            self._encoding_note("ISO-8859-1 (Latin-1)")
        return text

    def _encoding_note(self, encoding: str) -> None:
        self.notes.append(
            Finding(
                INFO,
                _("Zeichenkodierung %(encoding)s erkannt; der Text wurde nach UTF-8 umgewandelt.")
                % {"encoding": encoding},
            )
        )

    def read(self) -> Reading:
        text = self.decode()
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        if text.endswith("\n"):
            lines.pop()
        controls = sum(len(_CONTROL_RE.findall(line)) for line in lines)
        if controls > max(8, len(text) // 50):
            raise _not_minutes(self.name, _("eine Binärdatei"))
        if controls:
            lines = [_CONTROL_RE.sub(" ", line) for line in lines]
            self.notes.append(
                Finding(
                    WARNING,
                    ngettext(
                        "%(count)d Steuerzeichen im Text wurde durch ein Leerzeichen ersetzt.",
                        "%(count)d Steuerzeichen im Text wurden durch Leerzeichen ersetzt.",
                        controls,
                    )
                    % {"count": controls},
                )
            )
        lines = [_LAYOUT_CONTROL_RE.sub(" ", line) for line in lines]
        unit = self._indent_unit(lines)
        blocks = [block for index, line in enumerate(lines) if (block := self._block(index, line, unit))]
        if not blocks:
            raise _no_text(self.name)
        return Reading(lines=lines, blocks=blocks, notes=self.notes)

    @staticmethod
    def _indent_unit(lines: list[str]) -> int:
        """Spaces per list level: the smallest indentation of an indented list line, at least 2."""
        widths = []
        for line in lines:
            stripped = line.lstrip(" ")
            if stripped != line and (_BULLET_LINE_RE.match(stripped) or _ORDERED_LINE_RE.match(stripped)):
                widths.append(len(line) - len(stripped))
        return max(2, min(widths)) if widths else 2

    @staticmethod
    def _indent_level(indent: str, unit: int) -> int:
        return indent.count("\t") + indent.count(" ") // unit

    def _block(self, index: int, line: str, unit: int) -> Block | None:
        stripped = line.strip()
        if not stripped:
            return None
        where = _("Zeile %(number)d") % {"number": index + 1}
        content = line.lstrip()
        indent = line[: len(line) - len(content)]
        if match := _BULLET_LINE_RE.match(content):
            level = self._indent_level(indent, unit) or _BULLET_LEVELS.get(match.group("bullet"), 0)
            text = match.group("text").replace("\t", " ").strip()
            return Block(LIST_ITEM, (text,), where, index, level=level)
        if match := _ORDERED_LINE_RE.match(content):
            text = match.group("text").replace("\t", " ").strip()
            return Block(LIST_ITEM, (text,), where, index, level=self._indent_level(indent, unit), ordered=True)
        if "\t" in content:
            cells = tuple(cell.strip() for cell in content.split("\t") if cell.strip())
            return Block(ROW, cells, where, index)
        return Block(PARAGRAPH, (stripped,), where, index)


# --- DOCX -----------------------------------------------------------------------------------------

_HEADING_STYLE_RE = re.compile(r"^(?:heading|überschrift)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "titel"}
_LIST_STYLE_RE = re.compile(r"^list (bullet|number)(?: (\d))?$", re.IGNORECASE)
_CONTINUE_STYLE_RE = re.compile(r"^list continue(?: \d)?$", re.IGNORECASE)
_UNORDERED_FORMATS = {"bullet", "none", ""}
# Longer bold paragraphs are emphasised text, not headings.
_MAX_BOLD_HEADING = 200


@dataclass
class _Paragraph:
    """One Word paragraph as the reader sees it."""

    segments: list[list[Run]]  # split at tabs
    style: str
    heading: int | None = None  # heading level
    list_level: int | None = None  # list nesting, None if no list item
    ordered: bool = False
    continues_list: bool = False  # "List Continue": a further paragraph of the list item before it

    @property
    def runs(self) -> list[Run]:
        out: list[Run] = []
        for index, segment in enumerate(self.segments):
            if index:
                out.append(Run(" "))
            out.extend(segment)
        return out

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs).strip()

    @property
    def all_bold(self) -> bool:
        runs = [run for run in self.runs if run.text.strip()]
        return bool(runs) and all(run.bold for run in runs)

    def html(self) -> str:
        return _segment_html(self.runs)


class _Numbering:
    """Numbering formats of a document's list definitions ("bullet", "decimal", "lowerLetter" …)."""

    def __init__(self, document: Any) -> None:
        try:
            self.element: Any = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            self.element = None

    def format(self, num_id: int, level: int) -> str | None:
        if self.element is None:
            return None
        from docx.oxml.ns import qn

        for num in self.element.findall(qn("w:num")):
            if num.get(qn("w:numId")) != str(num_id):
                continue
            for override in num.findall(qn("w:lvlOverride")):
                if override.get(qn("w:ilvl")) == str(level):
                    fmt = override.find(f"{qn('w:lvl')}/{qn('w:numFmt')}")
                    if fmt is not None:
                        return str(fmt.get(qn("w:val"), ""))
            abstract = num.find(qn("w:abstractNumId"))
            if abstract is None:
                return None
            abstract_id = abstract.get(qn("w:val"))
            for definition in self.element.findall(qn("w:abstractNum")):
                if definition.get(qn("w:abstractNumId")) == abstract_id:
                    for lvl in definition.findall(qn("w:lvl")):
                        if lvl.get(qn("w:ilvl")) == str(level):
                            fmt = lvl.find(qn("w:numFmt"))
                            return str(fmt.get(qn("w:val"), "")) if fmt is not None else None
            return None
        return None


class DocxReader:
    """Word documents (python-docx): body paragraphs and tables in reading order."""

    def __init__(self, content: bytes, name: str) -> None:
        self.content = content
        self.name = name
        self.reading = Reading()
        self.paragraph_count = 0
        self.table_count = 0
        self.deepest_heading = 0

    def read(self) -> Reading:
        try:
            import docx

            document = docx.Document(BytesIO(self.content))
            self.numbering = _Numbering(document)
            self._walk(document)
        except DocumentError:
            raise
        except Exception as error:  # python-docx and lxml raise many kinds on damaged packages
            raise _damaged(self.name, _("Word-Datei")) from error
        if not self.reading.blocks:
            raise _no_text(self.name)
        return self.reading

    # structure

    def _walk(self, document: Any) -> None:
        from docx.table import Table

        for item in _block_items(document.element.body, document):
            if isinstance(item, Table):
                self._table(item)
            else:
                self._body_paragraph(self._paragraph(item))

    def _add(self, kind: str, cells: tuple[str, ...], where: str, line: str, **kwargs: Any) -> None:
        self.reading.blocks.append(Block(kind, cells, where, len(self.reading.lines), **kwargs))
        self.reading.lines.append(line)

    def _body_paragraph(self, paragraph: _Paragraph) -> None:
        if not paragraph.text:
            return
        self.paragraph_count += 1
        where = _("Absatz %(number)d") % {"number": self.paragraph_count}
        blocks = self.reading.blocks
        if paragraph.continues_list and blocks and blocks[-1].kind == LIST_ITEM:
            last = blocks[-1]
            blocks[-1] = replace(last, cells=(f"{last.html}<br>{paragraph.html()}",))
            self.reading.lines[last.line] = html_to_text(blocks[-1].html)
            return
        if paragraph.heading is not None:
            self.deepest_heading = max(self.deepest_heading, paragraph.heading)
            self._add(HEADING, (paragraph.html(),), where, paragraph.text, level=paragraph.heading)
        elif paragraph.list_level is not None:
            self._add(
                LIST_ITEM,
                (paragraph.html(),),
                where,
                paragraph.text,
                level=paragraph.list_level,
                ordered=paragraph.ordered,
            )
        elif len(cells := [_segment_html(segment) for segment in paragraph.segments if _has_text(segment)]) > 1:
            self._add(ROW, tuple(cells), where, " | ".join(html_to_text(cell) for cell in cells))
        elif paragraph.all_bold and len(paragraph.text) <= _MAX_BOLD_HEADING and "\n" not in paragraph.text:
            self._add(HEADING, (paragraph.html(),), where, paragraph.text, level=self.deepest_heading + 1)
        else:
            self._add(PARAGRAPH, (paragraph.html(),), where, html_to_text(paragraph.html()))

    def _table(self, table: Any) -> None:
        self.table_count += 1
        for number, cells in enumerate(self._rows(table), start=1):
            if not cells:
                continue
            where = _("Tabelle %(table)d, Zeile %(row)d") % {"table": self.table_count, "row": number}
            self._add(ROW, tuple(cells), where, " | ".join(html_to_text(cell) for cell in cells))

    def _rows(self, table: Any) -> Iterator[list[str]]:
        from docx.oxml.ns import qn
        from docx.table import _Cell

        for tr in table._tbl.tr_lst:
            cells = []
            for tc in tr.findall(qn("w:tc")):
                if tc.vMerge == "continue":  # the lower part of a vertically merged cell: shown above
                    continue
                cell_html = self._cell_html(_Cell(tc, table))
                if cell_html:
                    cells.append(cell_html)
            yield cells

    def _cell_html(self, cell: Any) -> str:
        """A cell's content: one paragraph inline, several as ``<p>``, list paragraphs as nested lists."""
        from docx.table import Table

        paragraphs: list[_Paragraph] = []
        for item in _block_items(cell._tc, cell):
            if isinstance(item, Table):  # a table inside a cell: each row as a paragraph
                for cells in self._rows(item):
                    if cells:
                        text = " | ".join(html_to_text(c) for c in cells)
                        paragraphs.append(_Paragraph([[Run(text)]], ""))
                continue
            paragraph = self._paragraph(item)
            if not paragraph.text:
                continue
            if paragraph.continues_list and paragraphs and paragraphs[-1].list_level is not None:
                paragraphs[-1].segments[-1].extend([Run("\n"), *paragraph.runs])
                continue
            paragraphs.append(paragraph)
        if len(paragraphs) == 1 and paragraphs[0].list_level is None:
            return paragraphs[0].html()
        return nested_html(paragraphs)

    # paragraphs

    def _paragraph(self, paragraph: Any) -> _Paragraph:
        style = paragraph.style
        names = _style_names(style)
        segments: list[list[Run]] = [[]]
        for run in _runs(paragraph):
            pieces = run.text.split("\t")
            for index, piece in enumerate(pieces):
                if index:
                    segments.append([])
                segments[-1].append(Run(piece, run.bold, run.italic, run.href))
        info = _Paragraph(segments, names[0] if names else "")
        info.heading = _heading_level(paragraph, style, names)
        if info.heading is None:
            self._list_info(paragraph, style, names, info)
        return info

    def _list_info(self, paragraph: Any, style: Any, names: list[str], info: _Paragraph) -> None:
        if any(_CONTINUE_STYLE_RE.match(name) for name in names[:1]):
            info.continues_list = True
            return
        style_match = next((m for name in names if (m := _LIST_STYLE_RE.match(name))), None)
        style_level = int(style_match.group(2)) - 1 if style_match and style_match.group(2) else 0
        num_pr = _num_pr(paragraph._p.pPr)
        level = 0
        if num_pr is None:
            for element in _style_chain(style):
                if (num_pr := _num_pr(element.element.pPr)) is not None:
                    break
        if num_pr is not None:
            num_id = num_pr.numId.val if num_pr.numId is not None else None
            if num_id is None:  # the level on the paragraph, the list from its style
                num_id = next(
                    (
                        n.numId.val
                        for s in _style_chain(style)
                        if (n := _num_pr(s.element.pPr)) is not None and n.numId is not None
                    ),
                    None,
                )
            if num_id == 0:  # numbering switched off for this paragraph
                return
            level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
            fmt = self.numbering.format(num_id, level) if num_id is not None else None
        elif style_match:
            fmt = "decimal" if style_match.group(1).lower() == "number" else "bullet"
        else:
            return
        if fmt is None:
            fmt = "decimal" if style_match and style_match.group(1).lower() == "number" else "bullet"
        info.list_level = max(int(level), style_level)
        info.ordered = fmt not in _UNORDERED_FORMATS


def _has_text(runs: list[Run]) -> bool:
    return any(run.text.strip() for run in runs)


def _segment_html(runs: list[Run]) -> str:
    """Runs as HTML; bold only where it stands out (not when everything is bold)."""
    texts = [run for run in runs if run.text.strip()]
    return runs_to_html(runs, bold=not (texts and all(run.bold for run in texts)))


def _block_items(parent: Any, owner: Any) -> Iterator[Any]:
    """Paragraphs and tables of a body or cell in order, looking into content controls (``w:sdt``)."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, owner)
        elif child.tag == qn("w:tbl"):
            yield Table(child, owner)
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent")) if child.tag == qn("w:sdt") else child
            if content is not None:
                yield from _block_items(content, owner)


@dataclass
class _RunInfo:
    text: str
    bold: bool
    italic: bool
    href: str


def _runs(paragraph: Any, element: Any = None, href: str = "") -> Iterator[_RunInfo]:
    """The runs of a paragraph with their formatting, including runs in links, insertions, fields."""
    from docx.oxml.ns import qn
    from docx.text.run import Run as DocxRun

    for child in (element if element is not None else paragraph._p).iterchildren():
        if child.tag == qn("w:r"):
            run = DocxRun(child, paragraph)
            yield _RunInfo(run.text, _run_flag(run, "bold"), _run_flag(run, "italic"), href)
        elif child.tag == qn("w:hyperlink"):
            rel_id = child.get(qn("r:id"))
            address = ""
            if rel_id and rel_id in paragraph.part.rels:
                relationship = paragraph.part.rels[rel_id]
                address = relationship.target_ref if relationship.is_external else ""
            yield from _runs(paragraph, child, address or href)
        elif child.tag in (qn("w:ins"), qn("w:smartTag"), qn("w:fldSimple"), qn("w:customXml")):
            yield from _runs(paragraph, child, href)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _runs(paragraph, content, href)


def _run_flag(run: Any, name: str) -> bool:
    """Bold or italic set on the run itself or through its character style."""
    value = getattr(run, name)
    if value is None and run.style is not None and run.style.type is not None:
        value = getattr(run.style.font, name)
    return bool(value)


def _style_chain(style: Any) -> Iterator[Any]:
    seen = 0
    while style is not None and seen < 10:
        yield style
        style = style.base_style
        seen += 1


def _style_names(style: Any) -> list[str]:
    return [s.name or "" for s in _style_chain(style)]


def _num_pr(p_pr: Any) -> Any:
    return p_pr.numPr if p_pr is not None else None


def _heading_level(paragraph: Any, style: Any, names: list[str]) -> int | None:
    for name in names:
        if name.lower() in _TITLE_STYLES:
            return 0
        if match := _HEADING_STYLE_RE.match(name):
            return int(match.group(1))
    from docx.oxml.ns import qn

    for p_pr in [paragraph._p.pPr, *(s.element.pPr for s in _style_chain(style))]:
        if p_pr is None:
            continue
        outline = p_pr.find(qn("w:outlineLvl"))
        if outline is not None:
            value = outline.get(qn("w:val"), "9")
            return int(value) + 1 if value.isdigit() and int(value) < 9 else None
    return None


def nested_html(paragraphs: list[_Paragraph]) -> str:
    """Paragraphs as ``<p>``, runs of list paragraphs as ``<ul>``/``<ol>`` nested by their levels."""
    out: list[str] = []
    stack: list[str] = []  # open list tags, outermost first; every open list has an open <li>
    for paragraph in paragraphs:
        content = paragraph.html()
        if paragraph.list_level is None:
            while stack:
                out.append(f"</li></{stack.pop()}>")
            out.append(f"<p>{content}</p>")
            continue
        tag = "ol" if paragraph.ordered else "ul"
        depth = paragraph.list_level + 1
        while len(stack) > depth:
            out.append(f"</li></{stack.pop()}>")
        if len(stack) == depth and stack[-1] != tag:
            out.append(f"</li></{stack.pop()}>")
        if len(stack) == depth:
            out.append(f"</li><li>{content}")
            continue
        while len(stack) < depth:
            stack.append(tag)
            out.append(f"<{tag}><li>")
        out.append(content)
    while stack:
        out.append(f"</li></{stack.pop()}>")
    return "".join(out)


# --- PDF ------------------------------------------------------------------------------------------

_PAGE_NUMBER_RE = re.compile(r"\bSeite\s+\d+(?:\s*(?:von|/)\s*\d+)?\b|^\W*\d+\W*$", re.IGNORECASE)
_BOLD_FONT_RE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_ITALIC_FONT_RE = re.compile(r"italic|oblique", re.IGNORECASE)
_PDF_BULLETS = "•◦▪‣▫■□●○–-"  # the dashes last: only alone are they bullets
_ORDERED_MARKER_RE = re.compile(r"^(?:\d{1,2}|[a-zA-Z]|[ivx]{1,4})[.)]$")
_FURNITURE_ZONE = 0.1  # top and bottom tenth of a page: where headers, footers and page numbers sit
_COLUMN_TOLERANCE = 3.0  # points: the same column or indent
_MAX_LABEL_WORDS = 6  # the first column of a table-like line is a short label or number
_MAX_LABEL_CHARS = 40


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    italic: bool
    glue: bool = False  # joined to the previous word without a space (a word broken at a hyphen)

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass
class _Line:
    page: int
    number: int  # 1-based on its page, counting every text line
    words: list[_Word]
    segments: list[list[_Word]] = field(default_factory=list)
    index: int = -1  # in Reading.lines

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(word.top for word in self.words)

    @property
    def size(self) -> float:
        return max(word.size for word in self.words)

    @property
    def text(self) -> str:
        return " | ".join(" ".join(word.text for word in segment) for segment in self.segments)

    @property
    def bold(self) -> bool:
        return all(word.bold for word in self.words)

    @property
    def where(self) -> str:
        return _("Seite %(page)d, Zeile %(line)d") % {"page": self.page, "line": self.number}


@dataclass
class _Pending:
    """A block being built from lines: its logical lines (wrapped lines joined) per cell."""

    kind: str
    first: _Line
    cells: list[list[list[_Word]]]  # cell -> logical lines -> words
    columns: list[float]  # x where each cell's text starts
    last: _Line
    size: float = 0.0
    ordered: bool = False
    level: int = 0


def _words_html(lines: list[list[_Word]]) -> str:
    parts = []
    for words in lines:
        runs: list[Run] = []
        for word in words:
            if runs and not word.glue:
                runs.append(Run(" "))
            runs.append(Run(word.text, word.bold, word.italic))
        parts.append(runs_to_html(runs, bold=not all(word.bold for word in words)))
    return "<br>".join(part for part in parts if part)


class PdfReader:
    """PDF files with a text layer (pdfplumber); pages without text are reported, scans refused."""

    def __init__(self, content: bytes, name: str) -> None:
        self.content = content
        self.name = name
        self.reading = Reading()
        self.pending: _Pending | None = None
        self.table: _Pending | None = None  # the row last added, while lines may continue it
        self.pendings: list[_Pending] = []

    # extraction

    def _pages(self) -> list[tuple[float, list[_Word]]]:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

        pages: list[tuple[float, list[_Word]]] = []
        try:
            with pdfplumber.open(BytesIO(self.content)) as pdf:
                for page in pdf.pages:
                    words = [
                        _Word(
                            text=str(word["text"]),
                            x0=float(word["x0"]),
                            x1=float(word["x1"]),
                            top=float(word["top"]),
                            bottom=float(word["bottom"]),
                            size=round(float(word.get("size") or 0), 1),
                            bold=bool(_BOLD_FONT_RE.search(str(word.get("fontname") or ""))),
                            italic=bool(_ITALIC_FONT_RE.search(str(word.get("fontname") or ""))),
                        )
                        for word in page.extract_words(extra_attrs=["fontname", "size"])
                        if word.get("upright", True) and str(word["text"]).strip()
                    ]
                    pages.append((float(page.height), words))
        except Exception as error:  # pdfminer raises many kinds on damaged files; pdfplumber wraps some
            if isinstance(error, DocumentError):
                raise
            causes = (error, *error.args)
            if not any(isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError) for cause in causes):
                raise _damaged(self.name, _("PDF-Datei")) from error
            raise DocumentError(
                _(
                    "Die PDF-Datei „%(name)s“ ist verschlüsselt oder mit einem Kennwort geschützt. Bitte eine "
                    "ungeschützte Fassung hochladen."
                )
                % {"name": self.name}
            ) from error
        return pages

    def read(self) -> Reading:
        pages = self._pages()
        if not any(words for _height, words in pages):
            raise DocumentError(
                _(
                    "Die PDF-Datei „%(name)s“ enthält keinen Text; vermutlich ist sie eingescannt. Werkstatt erkennt "
                    "keinen Text in Bildern (keine Texterkennung). Bitte eine PDF-Datei mit Textebene hochladen, "
                    "z. B. aus Word als PDF gespeichert oder nach einer Texterkennung (OCR)."
                )
                % {"name": self.name}
            )
        lines_per_page = [_group_lines(number, words) for number, (_height, words) in enumerate(pages, start=1)]
        furniture = self._furniture(pages, lines_per_page)
        all_lines = [line for lines in lines_per_page for line in lines]
        # The text column's right edge: right-aligned page numbers mark it best, so furniture counts here.
        self.edge = max(line.x1 for line in all_lines)
        content = [line for line in all_lines if id(line) not in furniture]
        for number, (_height, words) in enumerate(pages, start=1):
            if not words and len(pages) > 1:
                self.reading.notes.append(
                    Finding(
                        WARNING,
                        _("Seite %(page)d enthält keinen Text (vermutlich eingescannt); sie wurde übersprungen.")
                        % {"page": number},
                        where=_("Seite %(page)d") % {"page": number},
                    )
                )
        if furniture:
            self.reading.notes.append(
                Finding(
                    INFO,
                    ngettext(
                        "%(count)d Kopf- oder Fußzeile (Seitenzahl, wiederkehrende Zeile) wurde ausgelassen.",
                        "%(count)d Kopf- und Fußzeilen (Seitenzahlen, wiederkehrende Zeilen) wurden ausgelassen.",
                        len(furniture),
                    )
                    % {"count": len(furniture)},
                )
            )
        if not content:
            raise _no_text(self.name)
        self.body_size = _mode([word.size for line in content for word in line.words for _char in word.text])
        self.body_left = _mode([round(line.x0) for line in content])
        for line in content:
            line.index = len(self.reading.lines)
            self.reading.lines.append(line.text)
            self._line(line)
        self._flush()
        self._finish()
        return self.reading

    def _furniture(self, pages: list[tuple[float, list[_Word]]], lines_per_page: list[list[_Line]]) -> set[int]:
        """Running headers and footers: page numbers, and lines repeated at the same place on every page."""
        dropped: set[int] = set()
        seen: Counter[tuple[str, int]] = Counter()
        for (height, _words), lines in zip(pages, lines_per_page, strict=True):
            for line in lines:
                if not self._in_margin(line, height):
                    continue
                if _PAGE_NUMBER_RE.search(" ".join(word.text for word in line.words)):
                    dropped.add(id(line))
                seen[self._furniture_key(line)] += 1
        with_text = sum(1 for lines in lines_per_page if lines)
        if with_text > 1:
            for (height, _words), lines in zip(pages, lines_per_page, strict=True):
                for line in lines:
                    if self._in_margin(line, height) and seen[self._furniture_key(line)] >= with_text:
                        dropped.add(id(line))
        return dropped

    @staticmethod
    def _in_margin(line: _Line, height: float) -> bool:
        return line.top < height * _FURNITURE_ZONE or line.words[0].bottom > height * (1 - _FURNITURE_ZONE)

    @staticmethod
    def _furniture_key(line: _Line) -> tuple[str, int]:
        return re.sub(r"\d+", "#", " ".join(word.text for word in line.words)), round(line.top / 2)

    # lines to blocks

    def _line(self, line: _Line) -> None:
        if self.table is not None and self._continues_table(line):
            return
        self.table = None
        first = line.words[0]
        if self._is_row(line):
            self._start_row(line)
            return
        marker = first.text
        if marker in _PDF_BULLETS and len(line.words) > 1:
            self._start(LIST_ITEM, line, line.words[1:])
            return
        if marker[0] in _PDF_BULLETS[:-2] and len(marker) > 1:  # a bullet set close to its text: "•Text"
            self._start(LIST_ITEM, line, [replace(first, text=marker[1:]), *line.words[1:]])
            return
        if _ORDERED_MARKER_RE.match(marker) and len(line.words) > 1 and line.x0 > self.body_left + _COLUMN_TOLERANCE:
            self._start(LIST_ITEM, line, line.words[1:], ordered=True)
            return
        if self.pending is not None and self._continues(self.pending, line):
            self._append(self.pending, 0, line, line.words, self.edge)
            return
        kind = HEADING if self._heading_like(line) else PARAGRAPH
        self._start(kind, line, line.words)

    def _heading_like(self, line: _Line) -> bool:
        return line.bold or line.size >= self.body_size * 1.1

    def _is_row(self, line: _Line) -> bool:
        if len(line.segments) < 2:
            return False
        label = line.segments[0]
        text = " ".join(word.text for word in label)
        return (
            len(label) <= _MAX_LABEL_WORDS
            and len(text) <= _MAX_LABEL_CHARS
            and text[0] not in _PDF_BULLETS
            and line.size < self.body_size * 1.1
        )

    def _start(self, kind: str, line: _Line, words: list[_Word], *, ordered: bool = False) -> None:
        self._flush()
        self.pending = _Pending(kind, line, [[list(words)]], [words[0].x0], line, size=line.size, ordered=ordered)

    def _start_row(self, line: _Line) -> None:
        self._flush()
        columns = [segment[0].x0 for segment in line.segments]
        row = _Pending(ROW, line, [[list(segment)] for segment in line.segments], columns, line, size=line.size)
        self.pendings.append(row)
        self.table = row

    def _flush(self) -> None:
        if self.pending is not None:
            self.pendings.append(self.pending)
            self.pending = None

    def _cell_edge(self, row: _Pending, cell: int) -> float:
        padding = max(0.0, row.columns[0] - self.body_left)
        if cell + 1 < len(row.columns):
            return row.columns[cell + 1] - 2 * padding
        return self.edge - padding

    def _continues_table(self, line: _Line) -> bool:
        row = self.table
        if row is None:
            return False
        columns = row.columns
        starts = [segment[0].x0 for segment in line.segments]
        if (
            len(starts) == len(columns)
            and self._is_row(line)
            and all(abs(a - b) <= _COLUMN_TOLERANCE for a, b in zip(starts, columns, strict=True))
        ):
            self._start_row(line)  # the next row of the same table
            return True
        if line.x0 < columns[1] - _COLUMN_TOLERANCE:
            return False
        if line.page == row.last.page and line.top - row.last.words[0].bottom > 2.5 * line.size:
            return False
        for segment in line.segments:
            cell = max(i for i, x in enumerate(columns) if x <= segment[0].x0 + _COLUMN_TOLERANCE)
            self._append(row, cell, line, segment, self._cell_edge(row, cell))
        row.last = line
        return True

    def _continues(self, pending: _Pending, line: _Line) -> bool:
        last = pending.last
        if line.page == last.page and line.top - last.words[0].bottom > 1.5 * line.size:
            return False
        if pending.kind == LIST_ITEM:
            return abs(line.x0 - pending.columns[0]) <= _COLUMN_TOLERANCE
        if abs(line.x0 - pending.columns[0]) > _COLUMN_TOLERANCE:
            return False
        if pending.kind == HEADING:
            same = line.bold == last.bold and abs(line.size - last.size) < 0.5
        else:
            same = not self._heading_like(line)
        return same and self._wraps(last, line.words[0], self.edge)

    def _wraps(self, last: _Line | list[_Word], first: _Word, edge: float) -> bool:
        """Whether ``first`` would have fit at the end of the previous line: if not, the line was wrapped."""
        previous = last.words[-1] if isinstance(last, _Line) else last[-1]
        space = previous.size * 0.25
        if previous.text.endswith("-") and len(previous.text) > 2 and previous.text[-2].isalpha():
            start = last.x0 if isinstance(last, _Line) else last[0].x0
            return previous.x1 > edge - 0.2 * (edge - start)
        return previous.x1 + space + first.width > edge

    def _append(self, pending: _Pending, cell: int, line: _Line, words: list[_Word], edge: float) -> None:
        lines = pending.cells[cell]
        words = list(words)
        if lines and lines[-1] and self._wraps(lines[-1], words[0], edge):
            previous = lines[-1][-1]
            if previous.text.endswith("-") and previous.text[-2:-1].isalpha():
                if words[0].text[:1].islower() and words[0].text not in ("und", "oder", "bzw.", "sowie"):
                    lines[-1][-1] = replace(previous, text=previous.text[:-1])
                words[0] = replace(words[0], glue=True)
            lines[-1].extend(words)
        else:
            lines.append(words)
        pending.last = line

    def _finish(self) -> None:
        """Blocks from the pending ones: heading levels by size, list levels by indent."""
        headings = [p for p in self.pendings if p.kind == HEADING]
        sizes = sorted({round(p.size * 2) / 2 for p in headings}, reverse=True)
        title = bool(
            self.pendings
            and self.pendings[0].kind == HEADING
            and len(sizes) > 1
            and sum(1 for p in headings if round(p.size * 2) / 2 == sizes[0]) == 1
            and round(self.pendings[0].size * 2) / 2 == sizes[0]
        )
        indents: list[float] = []
        for p in self.pendings:
            if p.kind == LIST_ITEM and not any(abs(p.columns[0] - x) <= _COLUMN_TOLERANCE for x in indents):
                indents.append(p.columns[0])
        indents.sort()
        for p in self.pendings:
            level = 0
            if p.kind == HEADING:
                rank = sizes.index(round(p.size * 2) / 2)
                level = rank if title else rank + 1
            elif p.kind == LIST_ITEM:
                level = next(i for i, x in enumerate(indents) if abs(p.columns[0] - x) <= _COLUMN_TOLERANCE)
            cells = tuple(_words_html(lines) for lines in p.cells)
            if p.kind == ROW:
                cells = tuple(cell for cell in cells if cell)
            self.reading.blocks.append(
                Block(p.kind, cells, p.first.where, p.first.index, level=level, ordered=p.ordered)
            )


def _group_lines(page: int, words: list[_Word]) -> list[_Line]:
    """Words into lines by vertical position, left to right; each line split into segments at wide gaps."""
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines:
            current = lines[-1]
            anchor = current.words[0]
            if abs(word.top - anchor.top) <= max(2.0, 0.3 * anchor.size):
                current.words.append(word)
                continue
        lines.append(_Line(page, len(lines) + 1, [word]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
        line.segments = _segments(line.words)
    return lines


def _segments(words: list[_Word]) -> list[list[_Word]]:
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(words)]
    size = max(word.size for word in words)
    # Word spacing: the narrowest gap of a longer line (wide throughout in justified text), else from the size.
    typical = min(gaps) if len(gaps) >= 4 else 0.3 * size
    threshold = max(0.9 * size, 2.5 * typical)
    segments = [[words[0]]]
    for gap, word in zip(gaps, words[1:], strict=True):
        if gap > threshold:
            segments.append([word])
        else:
            segments[-1].append(word)
    return segments


def _mode(values: list[Any]) -> Any:
    return Counter(values).most_common(1)[0][0] if values else 0
