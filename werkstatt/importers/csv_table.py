"""Reading a CSV file of the project column set: encoding, separator, header and rows as text.

UTF-8 with or without byte order mark; a file that is not valid UTF-8 is read as Windows-1252 (what
German Excel writes for "CSV (Trennzeichen-getrennt)") with a warning. Semicolons, or commas if the
header only reads that way. The header must name columns of ``projects.csv_format`` (case and spacing
aside), each once, the required ones all; otherwise nothing is read and the messages name the columns.
Row numbers are those a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkstatt.projects import csv_format as fmt
from werkstatt.projects.csv_format import Column

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CsvFileError(Exception):
    """The file as a whole cannot be imported; ``messages`` say why, in German."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


@dataclass
class RawRow:
    line: int
    cells: dict[str, str]  # Column.field -> the cell's text, for the columns the file has
    problems: list[str] = field(default_factory=list)


@dataclass
class CsvTable:
    columns: list[Column]
    rows: list[RawRow]
    warnings: list[str]


def _decode(content: bytes) -> tuple[str, list[str]]:
    if not content.removeprefix(codecs.BOM_UTF8).strip():
        raise CsvFileError(_("Die Datei ist leer."))
    if content.startswith(b"PK\x03\x04"):
        raise CsvFileError(
            _(
                "Das ist eine Excel- oder ZIP-Datei, keine CSV-Datei. Bitte speichern Sie die Tabelle in Excel "
                "mit „Speichern unter“ als „CSV UTF-8 (durch Trennzeichen getrennt)“."
            )
        )
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CsvFileError(
            _(
                "Die Datei ist in UTF-16 („Unicode-Text“) gespeichert. Bitte speichern Sie sie als "
                "„CSV UTF-8 (durch Trennzeichen getrennt)“."
            )
        )
    not_text = _("Das ist keine CSV-Datei: sie enthält Binärdaten. Erwartet wird eine Textdatei mit Semikolons.")
    if b"\x00" in content:
        raise CsvFileError(not_text)
    warnings = []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError as error:
            raise CsvFileError(
                _("Die Zeichenkodierung der Datei ist weder UTF-8 noch Windows-1252; bitte als „CSV UTF-8“ speichern.")
            ) from error
        warnings.append(
            _(
                "Die Datei ist nicht in UTF-8 gespeichert und wurde als Windows-1252 gelesen (so speichert Excel "
                "„CSV (Trennzeichen-getrennt)“). Bitte prüfen Sie Umlaute und Sonderzeichen in der Vorschau; "
                "sicherer ist „CSV UTF-8 (durch Trennzeichen getrennt)“."
            )
        )
    if _CONTROL_CHARACTERS.search(text):
        raise CsvFileError(not_text)
    return unicodedata.normalize("NFC", text), warnings


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Records with their row numbers as a spreadsheet counts them (a cell may span several lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for record in reader:
            number += 1
            yield number, record
    except csv.Error as error:
        raise CsvFileError(
            _(
                "Die Datei ist ab Zeile %(line)s kein gültiges CSV (%(detail)s). Oft ist ein Anführungszeichen "
                "nicht geschlossen."
            )
            % {"line": number + 1, "detail": error}
        ) from error


def _known_headers(record: list[str]) -> int:
    return sum(1 for cell in record if fmt.header_key(cell) in fmt.COLUMN_OF_HEADER)


def _first_record(text: str, delimiter: str) -> list[str]:
    try:
        for _number, record in _records(text, delimiter):
            if any(cell.strip() for cell in record):
                return record
    except CsvFileError:
        return []
    return []


def _choose_delimiter(text: str) -> str:
    """Semicolon, as Excel writes it in Germany; a comma only if the header reads better that way."""
    semicolon = _known_headers(_first_record(text, fmt.DELIMITER))
    comma = _known_headers(_first_record(text, ","))
    return "," if comma > semicolon else fmt.DELIMITER


def quoted(names: Iterable[str]) -> str:
    return ", ".join(f"„{name}“" for name in names)


def _columns(header: list[str]) -> list[Column]:
    cells = [fmt.unescape_formula(cell.strip()) for cell in header]
    while cells and not cells[-1]:
        cells.pop()  # Excel writes separators for empty columns at the end
    columns: list[Column] = []
    unknown: list[str] = []
    duplicates: list[str] = []
    for position, cell in enumerate(cells, start=1):
        column = fmt.COLUMN_OF_HEADER.get(fmt.header_key(cell))
        if column is None:
            unknown.append(cell or _("(leere Überschrift in Spalte %(n)s)") % {"n": position})
        elif column in columns:
            duplicates.append(column.header)
        else:
            columns.append(column)
    messages = []
    if unknown:
        messages.append(
            ngettext(
                "Unbekannte Spalte: %(names)s.",
                "Unbekannte Spalten: %(names)s.",
                len(unknown),
            )
            % {"names": quoted(unknown)}
        )
    if duplicates:
        messages.append(_("Doppelte Spalten: %(names)s.") % {"names": quoted(duplicates)})
    missing = [column.header for column in fmt.COLUMNS if column.required and column not in columns]
    if missing:
        messages.append(
            ngettext("Es fehlt die Pflichtspalte %(names)s.", "Es fehlen die Pflichtspalten %(names)s.", len(missing))
            % {"names": quoted(missing)}
        )
    if messages:
        messages.append(
            _("Nichts importiert. Erwartet wird die Kopfzeile des Projektregister-Exports: %(names)s.")
            % {"names": "; ".join(fmt.HEADERS)}
        )
        raise CsvFileError(*messages)
    return columns


def read_table(content: bytes) -> CsvTable:
    """The file's header checked against the column set, and its rows as text; or ``CsvFileError``."""
    text, warnings = _decode(content)
    delimiter = _choose_delimiter(text)
    columns: list[Column] | None = None
    rows: list[RawRow] = []
    for line, record in _records(text, delimiter):
        if not any(cell.strip() for cell in record):
            continue
        if columns is None:
            columns = _columns(record)
            continue
        row = RawRow(line=line, cells={column.field: "" for column in columns})
        for column, cell in zip(columns, record, strict=False):
            row.cells[column.field] = cell
        if any(cell.strip() for cell in record[len(columns) :]):
            row.problems.append(
                _(
                    "Die Zeile hat mehr Felder (%(cells)s) als die Kopfzeile (%(columns)s); "
                    "ist ein Trennzeichen zu viel?"
                )
                % {"cells": len(record), "columns": len(columns)}
            )
        rows.append(row)
    if columns is None:
        raise CsvFileError(_("Die Datei ist leer."))
    if not rows:
        raise CsvFileError(_("Die Datei enthält nur die Kopfzeile, keine Projekte."))
    if delimiter != fmt.DELIMITER:
        warnings.append(_("Die Datei ist mit Kommas statt Semikolons getrennt; sie wurde so gelesen."))
    return CsvTable(columns=columns, rows=rows, warnings=warnings)
