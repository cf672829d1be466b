"""Dates and times as legacy minutes write them.

``24.01.2024``, ``24.1.24``, ``24. Januar 2024``, ``Mittwoch, 24. Jan. 2024``, ``2024-01-24``;
times ``14:10 Uhr``, ``14.10 Uhr``, ``14 Uhr``; ranges with an en dash, a hyphen or "von … bis …".
Nothing here raises: a date that cannot exist comes back with ``value=None`` and ``invalid=True``,
a date written loosely (two-digit year, missing zeros) with ``loose=True`` so that the parser can
say how it was read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "januar": 1,
    "jan": 1,
    "jänner": 1,
    "februar": 2,
    "feb": 2,
    "märz": 3,
    "mär": 3,
    "maerz": 3,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "dezember": 12,
    "dez": 12,
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
NUMERIC_DATE_RE = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?![\d])")
NAMED_DATE_RE = re.compile(rf"(?<![\d.])(\d{{1,2}})\.?\s*({_MONTH_NAMES})\.?\s+(\d{{4}})(?!\d)", re.IGNORECASE)
ISO_DATE_RE = re.compile(r"(?<![\d.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")

_TIME = r"(\d{1,2})(?:\s?[:.]\s?(\d{2}))?"
_DASH = r"(?:–|—|-|‒|bis)"
TIME_RANGE_RE = re.compile(
    rf"(?<![\d.:]){_TIME}\s*(?:Uhr|h)?\s*{_DASH}\s*{_TIME}\s*(?:Uhr|h\b)?(?![\d])", re.IGNORECASE
)
TIME_RE = re.compile(rf"(?<![\d.:]){_TIME}(?:\s*(Uhr|h\b))?(?![\d])", re.IGNORECASE)


@dataclass(frozen=True)
class DateMatch:
    raw: str  # as written, e.g. "24.1.24"
    start: int
    end: int
    value: dt.date | None  # None if the date cannot exist
    loose: bool = False  # two-digit year or missing leading zeros: read, but say how

    @property
    def invalid(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class TimeMatch:
    raw: str
    value: dt.time | None  # None if the time cannot exist ("25:70 Uhr")


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[DateMatch]:
    """Every date in ``text``, in order; overlapping forms are read once."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for match in NAMED_DATE_RE.finditer(text):
        day, month_name, year = match.groups()
        month = MONTHS[month_name.lower()]
        found.append(DateMatch(match.group(0), match.start(), match.end(), _make_date(int(year), month, int(day))))
        taken.append(match.span())
    for match in NUMERIC_DATE_RE.finditer(text):
        if not free(*match.span()):
            continue
        day_s, month_s, year_s = match.groups()
        loose = len(year_s) == 2 or len(day_s) == 1 or len(month_s) == 1
        year = 2000 + int(year_s) if len(year_s) == 2 else int(year_s)
        found.append(
            DateMatch(match.group(0), match.start(), match.end(), _make_date(year, int(month_s), int(day_s)), loose)
        )
        taken.append(match.span())
    for match in ISO_DATE_RE.finditer(text):
        if not free(*match.span()):
            continue
        year_s, month_s, day_s = match.groups()
        found.append(
            DateMatch(match.group(0), match.start(), match.end(), _make_date(int(year_s), int(month_s), int(day_s)))
        )
        taken.append(match.span())
    found.sort(key=lambda m: m.start)
    return found


def _make_time(hour: str, minute: str | None) -> dt.time | None:
    try:
        return dt.time(int(hour), int(minute or 0))
    except ValueError:
        return None


def find_times(text: str) -> list[TimeMatch]:
    """The start and end time in ``text`` (dates must be removed first): at most two, in order.

    A bare number counts as a time only with "Uhr" or inside a range ("14 - 16 Uhr"); "14:10" and
    "14.10" count when they carry minutes.
    """
    match = TIME_RANGE_RE.search(text)
    if match:
        h1, m1, h2, m2 = match.groups()
        has_hint = bool(m1 or m2) or bool(re.search(r"uhr|\bvon\b|\bbis\b", text, re.IGNORECASE))
        if has_hint:
            raw = match.group(0).strip()
            first, _dash, second = re.split(rf"\s*({_DASH})\s*", raw, maxsplit=1)
            return [TimeMatch(first.strip(), _make_time(h1, m1)), TimeMatch(second.strip(), _make_time(h2, m2))]
    times: list[TimeMatch] = []
    for single in TIME_RE.finditer(text):
        hour, minute, uhr = single.groups()
        if minute is None and uhr is None:
            continue
        times.append(TimeMatch(single.group(0).strip(), _make_time(hour, minute)))
        if len(times) == 2:
            break
    return times


def remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the given spans replaced by spaces (positions of the rest are kept)."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)
