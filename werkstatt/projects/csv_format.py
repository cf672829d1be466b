"""The one column set of the project CSV: the register export writes it, the project import reads it.

So that a list exported from the register, edited in Excel and imported again changes nothing that
was not edited, both directions use the columns, cell formats and parsers defined here. The format
is documented for people in ``docs/csv.md``; keep the two in step.

File: UTF-8 with byte order mark, semicolon as separator, CRLF line ends, one header row with the
German column names below. Numbers in German notation with a decimal comma (``644400,00``), dates as
``15.07.2024``, yes/no as ``ja``/``nein``. A cell whose text begins with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return is written with a leading ``'``, so that no spreadsheet runs it as a
formula (OWASP "CSV injection"); the import takes that quote off again.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from werkstatt.projects.models import FundingArea
from werkstatt.projects.workflow import FundingInstrument, ProjectState

DELIMITER = ";"
LINE_TERMINATOR = "\r\n"
BOM = "\ufeff"
# A cell beginning with one of these could be run as a formula by a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
# Several workshops in one cell: "2, 4"; several focus areas: "IUC-Modellregion Gesundheit | Wärmeversorgung".
WORKSHOP_SEPARATOR = ", "
FOCUS_AREA_SEPARATOR = " | "
YES, NO = "ja", "nein"


class Kind(StrEnum):
    """What a column holds, and so how its cells are written and read."""

    NUMBER = "number"  # a whole number: 17
    TEXT = "text"
    ORGANIZATION = "organization"  # the organisation's name
    WORKSHOP = "workshop"  # a workshop's number: 4
    WORKSHOPS = "workshops"  # workshop numbers: 2, 4
    FOCUS_AREAS = "focus_areas"  # titles, separated by " | "
    INSTRUMENT = "instrument"  # label of FundingInstrument
    FUNDING_AREA = "funding_area"  # label of FundingArea ("1 – Wirtschaftsnahe Infrastruktur") or its number
    STATE = "state"  # label of ProjectState
    MUNICIPALITY = "municipality"  # Gemeindeschlüssel, 8 digits
    DISTRICT = "district"  # Kreisschlüssel, 5 digits
    MONEY = "money"  # euros, decimal comma: 644400,00
    COORDINATE = "coordinate"  # degrees, decimal comma: 51,75630
    DATE = "date"  # 15.07.2024
    BOOLEAN = "boolean"  # ja / nein


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind
    # The Project attribute behind the column (a fact sheet field, a decision date, ``state`` or ``pk``).
    field: str
    required: bool = False
    # Written by the export, compared (never written) by the import: state and decision dates change
    # only through the steps of the pipeline.
    read_only: bool = False
    doc: str | Promise = ""


COLUMNS: tuple[Column, ...] = (
    Column("Nr.", Kind.NUMBER, "pk", doc=_l("Nummer des Projekts im Register; leer für neue Projekte")),
    Column("Titel", Kind.TEXT, "title", required=True, doc=_l("Pflicht in jeder Zeile")),
    Column(
        "Projektträger",
        Kind.ORGANIZATION,
        "sponsor",
        required=True,
        doc=_l("Name der Organisation; eine unbekannte wird angelegt"),
    ),
    Column("Federführende Werkstatt", Kind.WORKSHOP, "lead_workshop", required=True, doc=_l("Nummer, z. B. 4")),
    Column("Weitere Werkstätten", Kind.WORKSHOPS, "other_workshops", doc=_l("Nummern mit Komma, z. B. 2, 4")),
    Column(
        "Förderinstrument",
        Kind.INSTRUMENT,
        "instrument",
        required=True,
        doc=_l("z. B. „InvKG Arm 1 (Land, über die ILB)“ oder kurz „InvKG Arm 1“, „STARK“, „JTF“"),
    ),
    Column(
        "Förderbereich", Kind.FUNDING_AREA, "funding_area", doc=_l("§ 4 InvKG, z. B. „3“ oder die volle Bezeichnung")
    ),
    Column("Stand", Kind.STATE, "state", required=True, read_only=True, doc=_l("z. B. „Projektidee“")),
    Column("Gemeinde (Schlüssel)", Kind.MUNICIPALITY, "municipality", doc=_l("Gemeindeschlüssel, 8 Ziffern")),
    Column("Landkreis (Schlüssel)", Kind.DISTRICT, "district", doc=_l("Kreisschlüssel, 5 Ziffern")),
    Column("Gesamtkosten", Kind.MONEY, "total_cost", doc=_l("Euro, z. B. 716000,00")),
    Column("Förderfähige Kosten", Kind.MONEY, "eligible_cost", doc=_l("Euro")),
    Column(
        "Zuwendung", Kind.MONEY, "grant", doc=_l("Euro; höchstens 90 % der förderfähigen Kosten, mindestens 25.000")
    ),
    Column("Beschreibung", Kind.TEXT, "description"),
    Column("Erwartete Wirkung", Kind.TEXT, "expected_effect"),
    Column("Erwartete Arbeitsplätze", Kind.NUMBER, "expected_jobs"),
    Column("Schwerpunkte", Kind.FOCUS_AREAS, "focus_areas", doc=_l("Schwerpunkte der Werkstätten, getrennt durch |")),
    Column("Geplanter Beginn", Kind.DATE, "planned_start"),
    Column("Geplantes Ende", Kind.DATE, "planned_end"),
    Column("IMAG-bestätigt am", Kind.DATE, "confirmed_on", read_only=True),
    Column("Bewilligt am", Kind.DATE, "approved_on", read_only=True),
    Column("Breite", Kind.COORDINATE, "latitude", doc=_l("Grad, z. B. 51,75630")),
    Column("Länge", Kind.COORDINATE, "longitude", doc=_l("Grad, z. B. 14,33290")),
    Column("Öffentlich", Kind.BOOLEAN, "public", doc=_l("ja / nein")),
    Column("Kosten öffentlich", Kind.BOOLEAN, "public_finances", doc=_l("ja / nein; erst nach der Bewilligung")),
)
HEADERS: tuple[str, ...] = tuple(column.header for column in COLUMNS)
COLUMN_OF_FIELD: dict[str, Column] = {column.field: column for column in COLUMNS}
MONEY_FIELDS = frozenset(column.field for column in COLUMNS if column.kind == Kind.MONEY)
TEXT_LIMITS = {"title": 300}
DECIMAL_PLACES = {Kind.MONEY: 2, Kind.COORDINATE: 5}


def header_key(text: str) -> str:
    """How a header cell is compared: NFC, case and spacing ignored (``" titel "`` is ``Titel``)."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


COLUMN_OF_HEADER: dict[str, Column] = {header_key(column.header): column for column in COLUMNS}


def name_key(text: str) -> str:
    """How names of organisations and titles are matched: NFC, case and spacing ignored."""
    return header_key(text)


# --- writing -------------------------------------------------------------------------------------


def escape_formula(text: str) -> str:
    """``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``: shown as text, never run by a spreadsheet."""
    if text.startswith(FORMULA_STARTS):
        return ESCAPE + text
    return text


def unescape_formula(text: str) -> str:
    """The reverse of :func:`escape_formula` for cells read back."""
    if text.startswith(ESCAPE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def format_decimal(value: decimal.Decimal | None, places: int) -> str:
    """``Decimal("644400")`` → ``644400,00``: decimal comma, no thousands separator (Excel reads it as a number)."""
    if value is None:
        return ""
    return f"{decimal.Decimal(value):.{places}f}".replace(".", ",")


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value is not None else ""


def format_bool(value: bool) -> str:
    return YES if value else NO


def format_workshops(numbers: Iterable[int]) -> str:
    return WORKSHOP_SEPARATOR.join(str(number) for number in sorted(numbers))


def format_focus_areas(titles: Iterable[str]) -> str:
    return FOCUS_AREA_SEPARATOR.join(sorted(titles, key=str.casefold))


def instrument_label(code: str) -> str:
    return str(FundingInstrument(code).label) if code else ""


def funding_area_label(code: str) -> str:
    return str(FundingArea(code).label) if code else ""


def state_label(code: str) -> str:
    return str(ProjectState(code).label) if code else ""


# --- reading -------------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; the message is German and names what is expected."""


_GERMAN_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_GERMAN_PLAIN = re.compile(r"^\d+(,\d+)?$")
_ENGLISH_DECIMAL = re.compile(r"^\d+\.\d{1,2}$|^\d+\.\d{4,}$")
_ENGLISH_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_CURRENCY = re.compile(r"\s*(€|EUR|Euro)\s*$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def parse_decimal(text: str, places: int, *, money: bool) -> decimal.Decimal:
    """German notation: ``716.000,00``, ``716000``, ``716000,5``; ``716000.50`` and ``1,234.56`` are refused."""
    raw = _SPACES.sub("", _CURRENCY.sub("", text)) if money else _SPACES.sub("", text)
    negative = raw.startswith("-")
    body = raw[1:] if negative else raw
    example = "716.000,50" if money else "51,75630"
    if _GERMAN_GROUPED.match(body):
        normal = body.replace(".", "").replace(",", ".")
    elif _GERMAN_PLAIN.match(body):
        normal = body.replace(",", ".")
    elif _ENGLISH_DECIMAL.match(body) or _ENGLISH_GROUPED.match(body):
        raise CellError(
            _(
                "„%(value)s“ ist in englischer Schreibweise; bitte im deutschen Format mit Dezimalkomma, "
                "z. B. %(example)s."
            )
            % {"value": text, "example": example}
        )
    else:
        raise CellError(
            _("„%(value)s“ ist keine Zahl; erwartet wird das deutsche Format mit Dezimalkomma, z. B. %(example)s.")
            % {"value": text, "example": example}
        )
    value = decimal.Decimal(normal)
    if negative:
        value = -value
    if money and value < 0:
        raise CellError(_("„%(value)s“: Beträge können nicht negativ sein.") % {"value": text})
    if value != value.quantize(decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_DOWN):
        raise CellError(_("„%(value)s“ hat mehr als %(places)s Nachkommastellen.") % {"value": text, "places": places})
    return value


_DATE_DE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(text: str) -> dt.date:
    """``15.07.2024`` (also ``5.7.2024``) or ISO ``2024-07-15``."""
    raw = text.strip()
    german, iso = _DATE_DE.match(raw), _DATE_ISO.match(raw)
    try:
        if german:
            day, month, year = (int(part) for part in german.groups())
            return dt.date(year, month, day)
        if iso:
            year, month, day = (int(part) for part in iso.groups())
            return dt.date(year, month, day)
    except ValueError as error:
        raise CellError(_("„%(value)s“ ist kein gültiges Datum.") % {"value": text}) from error
    raise CellError(_("„%(value)s“ ist kein Datum; erwartet wird TT.MM.JJJJ, z. B. 15.07.2024.") % {"value": text})


def parse_number(text: str) -> int:
    raw = text.strip()
    if not raw.isdigit() or len(raw) > 9:
        raise CellError(_("„%(value)s“ ist keine ganze Zahl.") % {"value": text})
    return int(raw)


_TRUE = frozenset({"ja", "j", "x", "1", "wahr", "true", "yes"})
_FALSE = frozenset({"nein", "n", "0", "falsch", "false", "no"})


def parse_bool(text: str) -> bool:
    raw = text.strip().casefold()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(_("„%(value)s“: bitte „ja“ oder „nein“ angeben.") % {"value": text})


def parse_workshop_numbers(text: str) -> list[int]:
    parts = [part for part in re.split(r"[,;/\s]+", text.strip()) if part]
    numbers = []
    for part in parts:
        if not part.isdigit() or len(part) > 4:
            raise CellError(
                _("„%(value)s“: erwartet werden Werkstattnummern, durch Komma getrennt, z. B. 2, 4.") % {"value": text}
            )
        numbers.append(int(part))
    return numbers


def parse_focus_area_titles(text: str) -> list[str]:
    return [" ".join(part.split()) for part in text.split("|") if part.strip()]


def parse_key(text: str, length: int, label: str) -> str:
    raw = text.strip()
    if not raw.isdigit() or len(raw) != length:
        raise CellError(
            _("„%(value)s“ ist kein %(label)s; er hat %(n)s Ziffern.") % {"value": text, "label": label, "n": length}
        )
    return raw


def _choice(text: str, choices: Iterable[tuple[str, Any]], shorthands: dict[str, str], what: str) -> str:
    key = name_key(text)
    for value, label in choices:
        if key in (name_key(value), name_key(str(label))):
            return value
    if key in shorthands:
        return shorthands[key]
    labels = "; ".join(f"„{label}“" for _value, label in choices)
    raise CellError(
        _("„%(value)s“ ist kein bekannter %(what)s. Möglich sind: %(labels)s.")
        % {"value": text, "what": what, "labels": labels}
    )


def _instrument_shorthands() -> dict[str, str]:
    """``InvKG Arm 1``, ``STARK``, ``Just Transition Fund``: the label before its parenthesis, and ``JTF``."""
    shorthands = {name_key(str(label).split(" (")[0]): value for value, label in FundingInstrument.choices}
    shorthands[name_key("JTF")] = FundingInstrument.JTF
    return shorthands


def parse_instrument(text: str) -> str:
    return _choice(text, FundingInstrument.choices, _instrument_shorthands(), _("Förderinstrument"))


def parse_funding_area(text: str) -> str:
    raw = text.strip()
    number = re.match(r"^(\d)(\s*[–-].*)?$", raw)
    if number and number.group(1) in FundingArea.values:
        return number.group(1)
    names = {name_key(str(label).split(" – ", 1)[-1]): value for value, label in FundingArea.choices}
    return _choice(text, FundingArea.choices, names, _("Förderbereich"))


def parse_state(text: str) -> str:
    return _choice(text, ProjectState.choices, {}, _("Stand"))
