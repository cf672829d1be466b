"""The one intermediate structure every reader produces, whatever the file format.

A document is a sequence of blocks in reading order. A block is a heading, a paragraph, a list item
or a table row (a row of a Word/PDF table, or a tab-separated line of a text export). Cell contents
are HTML fragments: readers express what the source marks up (paragraphs inside a table cell as
``<p>``, line breaks as ``<br>``, italic runs as ``<i>``, bold as ``<b>``, Word lists inside a cell as
``<ul>``/``<ol>`` with nested lists). Text that came as text is escaped by the reader, except for the
text format, whose exports carry HTML fragments of their own (they are sanitised by the parser like
everything else). Nothing in a block is trusted.

Every block knows where it came from (``where``: a German place like "Zeile 12", "Seite 2, Zeile 5",
"Tabelle 2, Zeile 3, Spalte 2" or "Absatz 14") and which line of ``SourceDocument.lines`` shows it,
so that findings can name the place and the preview can show the source side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from werkstatt.importers.minutes.parsed import Finding

TEXT = "text"
DOCX = "docx"
PDF = "pdf"
FORMAT_LABELS = {TEXT: "Text", DOCX: "Word (DOCX)", PDF: "PDF"}

HEADING = "heading"  # a heading (Word heading styles, or a text line that is a known section name)
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"
ROW = "row"
BLOCK_KINDS = (HEADING, PARAGRAPH, LIST_ITEM, ROW)


class DocumentError(ValidationError):
    """The file cannot be read at all (wrong type, empty, damaged, too large, scanned without text).

    The message is German and says what the office can do about it.
    """


@dataclass(frozen=True)
class Block:
    kind: str  # one of BLOCK_KINDS
    cells: tuple[str, ...]  # one cell for headings, paragraphs and list items; one or more for rows
    where: str  # German place in the document, e.g. "Zeile 12" or "Seite 2, Zeile 5"
    line: int  # 0-based index into SourceDocument.lines of the (first) line that shows this block
    level: int = 0  # heading level (1 = top), or list nesting (0 = outermost)
    ordered: bool = False  # list items: numbered list

    @property
    def html(self) -> str:
        return self.cells[0] if self.cells else ""


@dataclass
class SourceDocument:
    file_name: str
    format: str  # TEXT, DOCX or PDF
    content: bytes
    sha512: str
    lines: list[str]  # the document's text, line by line, as shown beside the preview and stored as File.text
    blocks: list[Block]
    # What the reader did or doubts, as findings: e.g. INFO "Zeichenkodierung Windows-1252 erkannt …",
    # WARNING "Die Datei heißt .docx, ist aber eine PDF-Datei; sie wurde als PDF gelesen."
    notes: list[Finding] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[self.format]
