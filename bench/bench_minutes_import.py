"""Time the import of legacy minutes per document, for each format, and count the lines that need a warning.

    .venv/bin/python bench/bench_minutes_import.py [-n 20]
    .venv/bin/python bench/bench_minutes_import.py --existing [--document FILE [--workshop N]] [-n 20] [--json]

Sets Django up against a temporary SQLite database (nothing else is touched), migrates, and builds the
archive the office would import into: the demo's organisations, workshops, persons and projects, but
none of its sessions with items (so every document is a new session). The documents:

- the seed (text export of the 16th session of Werkstatt 4);
- that session as the minutes exporters write it, DOCX and PDF (made from the full demo in a rolled-back
  savepoint);
- the test documents of ``tests/minutes_docs.py``: a session of Werkstatt 3 with sub-items and nested
  lists as text (UTF-8, Windows-1252), Word with tables, Word with paragraphs only, and a PDF from HTML;
  an online session of Werkstatt 1 as PDF.

For each it times reading + parsing, and the whole dry run of ``minutes_import`` (read, parse, match,
write, roll back: what the office preview costs), N runs after one warm-up, and prints median and 95th
percentile in milliseconds, the number of queries of one dry run, and the warnings (with their lines).

With ``--existing`` nothing is built or migrated: one document (``--document``, default the Word minutes with
tables of the 12th session of Werkstatt 3) is imported as a dry run into the database of ``DATABASE_URL`` as it
is (every run rolls back, so nothing changes); a refused import is an error. ``--json`` adds one line
``BENCH_JSON {...}`` with the measurements (for ``bench/run``).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``share`` of all values at or below it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def timed(runs: int, func: Callable[[], Any]) -> list[float]:
    func()  # warm-up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=20, help="timed runs per document (default 20)")
    parser.add_argument("--existing", action="store_true", help="one dry-run import into DATABASE_URL as it is")
    parser.add_argument("--document", type=Path, help="with --existing: the legacy minutes to import (dry run)")
    parser.add_argument("--workshop", type=int, help="with --document: the workshop's number, if the file lacks it")
    parser.add_argument("--json", action="store_true", help="also print the measurements as one BENCH_JSON line")
    args = parser.parse_args()

    workdir = tempfile.TemporaryDirectory(prefix="werkstatt-bench-")
    if not args.existing:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{workdir.name}/media"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))

    import warnings

    # DEBUG keeps a log of the last 9000 queries; the timed runs overflow it, which is expected here.
    warnings.filterwarnings("ignore", "Limit for query logging exceeded")
    import django  # only now: the settings read the environment set above

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from tests import minutes_docs as docs
    from werkstatt.demo import data
    from werkstatt.demo.loader import _Loader, demo_load
    from werkstatt.exports.minutes import minutes_docx, minutes_pdf
    from werkstatt.geo.services import geo_reference_data_load
    from werkstatt.importers.minutes.parsed import WARNING
    from werkstatt.importers.minutes.parser import parse_document
    from werkstatt.importers.minutes.readers import read_document
    from werkstatt.importers.minutes.services import minutes_import
    from werkstatt.meetings.models import Meeting
    from werkstatt.meetings.selectors import meeting_staff_page

    settings.MEDIA_ROOT = f"{workdir.name}/media"
    if args.existing:
        return existing(args)
    call_command("migrate", verbosity=0, interactive=False)
    with transaction.atomic():
        demo_load()
        page = meeting_staff_page(Meeting.objects.get(workshop__number=4, number=16).pk)
        exported_docx, exported_pdf = minutes_docx(page), minutes_pdf(page)
        transaction.set_rollback(True)
    geo_reference_data_load()
    loader = _Loader(None)
    loader.organizations()
    workshops = loader.workshops()
    loader.members(workshops[4])
    loader.persons_and_speaker(workshops[4])
    loader.session_15(workshops[4])
    loader._project(data.TELEMEDICINE, workshops)
    loader._project(data.WERTEGESELLSCHAFT, workshops)

    sample, online = docs.sample_session(), docs.online_session()
    documents: list[tuple[str, str, bytes, int | None]] = [
        ("Seed (Text, UTF-8)", "003_seed.txt", docs.seed_text(), 4),
        ("16. Sitzung W4, Export DOCX", "w4-16.docx", exported_docx, None),
        ("16. Sitzung W4, Export PDF", "w4-16.pdf", exported_pdf, None),
        ("12. Sitzung W3, Text UTF-8", "w3-12.txt", docs.minutes_text(sample).encode(), 3),
        ("12. Sitzung W3, Text Windows-1252 CRLF", "w3-12-ansi.txt", docs.as_cp1252(docs.minutes_text(sample)), 3),
        ("12. Sitzung W3, Word mit Tabellen", "w3-12.docx", docs.docx_tables(sample), None),
        ("12. Sitzung W3, Word nur Absätze", "w3-12-absaetze.docx", docs.docx_paragraphs(sample), None),
        ("12. Sitzung W3, PDF aus HTML", "w3-12.pdf", docs.pdf_from_html(docs.minutes_html(sample)), None),
        ("Online-Sitzung W1, PDF aus HTML", "w1-online.pdf", docs.pdf_from_html(docs.minutes_html(online)), None),
    ]
    print(f"{args.runs} Läufe je Dokument nach einem Aufwärmlauf; Zeiten in ms (Median / 95. Perzentil).")
    print()
    print("| Dokument | Größe | Lesen + Parsen | Probelauf des Imports | Abfragen | Zeilen mit Warnung |")
    print("|---|---|---|---|---|---|")
    warned_lines = 0
    all_warnings: list[str] = []
    for label, file_name, content, workshop in documents:
        doc = (content, file_name, workshop)

        def read_and_parse(doc: tuple[bytes, str, int | None] = doc) -> Any:
            return parse_document(read_document(doc[0], doc[1]), workshop_number=doc[2])

        def dry_run(doc: tuple[bytes, str, int | None] = doc) -> Any:
            return minutes_import(content=doc[0], file_name=doc[1], actor=None, workshop_number=doc[2], dry_run=True)

        connection.queries_log.clear()  # the log keeps 9000 queries; the timed runs before would fill it
        with CaptureQueriesContext(connection) as ctx:
            report = dry_run()
        assert report.outcome == "neu", (label, [f.message for f in report.errors])
        warnings = [f for f in report.findings if f.level == WARNING]
        lines = {f.line for f in warnings if f.line is not None}
        warned_lines += len(lines)
        all_warnings += [f"{label}: {f.message}" for f in warnings]
        parse_ms = timed(args.runs, read_and_parse)
        import_ms = timed(args.runs, dry_run)
        print(
            f"| {label} | {len(content) / 1024:.1f} KB "
            f"| {statistics.median(parse_ms):.1f} / {percentile(parse_ms, 0.95):.1f} "
            f"| {statistics.median(import_ms):.1f} / {percentile(import_ms, 0.95):.1f} "
            f"| {len(ctx)} | {len(lines)} von {len(report.source)} |"
        )
    print()
    print(f"Zeilen mit Warnung insgesamt: {warned_lines} in {len(documents)} Dokumenten.")
    for warning in all_warnings:
        print(f"  {warning}")
    return 0


def existing(args: argparse.Namespace) -> int:
    """Time the dry run of one legacy document against the database as it is (Django is set up)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import minutes_docs as docs
    from werkstatt.importers.minutes.report import REFUSED
    from werkstatt.importers.minutes.services import minutes_import

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_status_report import emit_json, measurement

    if args.document:
        content, file_name, workshop = args.document.read_bytes(), args.document.name, args.workshop
    else:
        # The sample is the 12th session of workshop 3; a generated database has that one already, and an import
        # never overwrites a session: the document gets the next free number of workshop 3.
        from django.db.models import Max

        from werkstatt.meetings.models import Meeting

        sample = docs.sample_session()
        taken = Meeting.objects.filter(workshop__number=sample.workshop_number).aggregate(n=Max("number"))["n"]
        sample = dataclasses.replace(sample, number=max(sample.number or 0, (taken or 0) + 1))
        content, file_name, workshop = docs.docx_tables(sample), f"w3-{sample.number}.docx", None

    def dry_run() -> Any:
        return minutes_import(content=content, file_name=file_name, actor=None, workshop_number=workshop, dry_run=True)

    with CaptureQueriesContext(connection) as ctx:
        report = dry_run()
    if report.outcome == REFUSED:
        messages = "; ".join(f.message for f in report.errors)
        raise SystemExit(f"{file_name}: Import abgelehnt: {messages}")
    timings = timed(args.runs, dry_run)
    print(
        f"{file_name} ({len(content) / 1024:.1f} KB), Probelauf des Imports, N={args.runs}: "
        f"Median {statistics.median(timings):.1f} ms, 95. Perzentil {percentile(timings, 0.95):.1f} ms; "
        f"{len(ctx)} Abfragen; Ergebnis: {report.outcome}"
    )
    if args.json:
        name = "minutes_import (Probelauf)"
        emit_json([measurement(name, timings, file=file_name, queries=len(ctx), outcome=report.outcome)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
