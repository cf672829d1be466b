"""One session written in every shape the archives hold parses to that session (readers + parser).

The shapes come from ``tests/minutes_docs.py``: the seed's text shape (LF, CRLF with BOM, Windows-1252,
UTF-16), Word with tables (results as headings and real Word lists, or results in a table), Word with
paragraphs only, and a PDF made from an HTML layout unlike the exporter's. The same spec must come out
of each, field by field.
"""

from collections.abc import Callable

import pytest

from tests import minutes_docs as docs
from werkstatt.core.richtext import sanitise_html
from werkstatt.importers.minutes.parsed import ERROR, WARNING, ParsedPerson, ParsedSession
from werkstatt.importers.minutes.parser import parse_document
from werkstatt.importers.minutes.readers import read_document

SHAPES: dict[str, tuple[str, Callable[[docs.SessionSpec], bytes]]] = {
    "text": ("protokoll.txt", lambda spec: docs.minutes_text(spec).encode("utf-8")),
    "text-crlf-bom": ("protokoll.txt", lambda spec: docs.as_crlf_bom(docs.minutes_text(spec))),
    "text-cp1252": ("protokoll.txt", lambda spec: docs.as_cp1252(docs.minutes_text(spec))),
    "text-utf16": ("protokoll.txt", lambda spec: docs.as_utf16(docs.minutes_text(spec))),
    "docx-tables": ("protokoll.docx", docs.docx_tables),
    "docx-results-in-table": ("protokoll.docx", lambda spec: docs.docx_tables(spec, results_in_table=True)),
    "docx-paragraphs": ("protokoll.docx", docs.docx_paragraphs),
    "pdf-from-html": ("protokoll.pdf", lambda spec: docs.pdf_from_html(docs.minutes_html(spec))),
}
SPECS = {"sample": docs.sample_session, "online": docs.online_session}


def _person(person: ParsedPerson | None) -> tuple[str, str, str] | None:
    if person is None:
        return None
    return (person.group_label or person.name, person.function, person.organization)


def _spec_person(person: docs.PersonSpec | None) -> tuple[str, str, str] | None:
    return None if person is None else (person.name, person.function, person.organization)


def _parse(shape: str, spec: docs.SessionSpec) -> ParsedSession:
    file_name, write = SHAPES[shape]
    # The text shape, like the seed, does not name its workshop: the office gives it (--workshop).
    hint = spec.workshop_number if shape.startswith("text") else None
    return parse_document(read_document(write(spec), file_name), workshop_number=hint)


@pytest.mark.parametrize("spec_name", SPECS)
@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_parses_to_the_spec(shape: str, spec_name: str) -> None:
    spec = SPECS[spec_name]()
    parsed = _parse(shape, spec)

    assert [f.message for f in parsed.findings if f.level == ERROR] == []
    assert (parsed.workshop_number, parsed.number, parsed.date) == (spec.workshop_number, spec.number, spec.date)
    assert (parsed.start_time, parsed.end_time) == (spec.start_time, spec.end_time)
    assert parsed.place is not None
    assert parsed.place.raw == spec.place
    assert parsed.place.online == (spec.place == "Videokonferenz")
    assert _person(parsed.chair) == _spec_person(spec.chair)
    assert _person(parsed.minute_taker) == _spec_person(spec.minute_taker)
    assert parsed.attachments == list(spec.attachments)
    assert [item.number for item in parsed.items] == [item.number for item in spec.items]
    for got, expected in zip(parsed.items, spec.items, strict=True):
        assert (got.number, got.title, got.note) == (expected.number, expected.title, expected.note)
        assert [_person(p) for p in got.presenters] == [_spec_person(p) for p in expected.presenters]
        assert got.result == sanitise_html(expected.result_html), got.number


def test_sample_session_needs_few_warnings_in_any_shape() -> None:
    """The sample session is complete; only the chair's academic title may need a look in some shapes."""
    spec = docs.sample_session()
    for shape in SHAPES:
        warnings = [f.message for f in _parse(shape, spec).findings if f.level == WARNING]
        assert len(warnings) <= 1, (shape, warnings)
