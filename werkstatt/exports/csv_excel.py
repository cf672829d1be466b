"""CSV for Excel, as every CSV export of the platform writes it, streamed line by line.

The dialect is the one of the project CSV (``projects.csv_format``, described in ``docs/csv.md``):
UTF-8 with byte order mark, semicolons, CRLF line ends, and a cell that a spreadsheet could run as a
formula gets a leading ``'``. The register export and the session list both write through here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from werkstatt.projects import csv_format as fmt

CONTENT_TYPE = "text/csv; charset=utf-8"


class _Echo:
    """A file-like object that hands back what is written, for ``csv.writer`` in a stream."""

    def write(self, value: str) -> str:
        return value


def escape_row(cells: Iterable[str]) -> list[str]:
    """Every cell with :func:`~werkstatt.projects.csv_format.escape_formula` applied."""
    return [fmt.escape_formula(cell) for cell in cells]


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """The rows as CSV text for Excel: byte order mark first, semicolons, CRLF. Cells are written as given."""
    writer = csv.writer(_Echo(), delimiter=fmt.DELIMITER, lineterminator=fmt.LINE_TERMINATOR)
    yield fmt.BOM
    for row in rows:
        yield writer.writerow(row)


def csv_bytes(rows: Iterable[list[str]]) -> Iterator[bytes]:
    """The rows as UTF-8 bytes, line by line, for a ``StreamingHttpResponse``."""
    for line in csv_lines(rows):
        yield line.encode("utf-8")
