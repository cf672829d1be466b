"""Render the demo's result minutes (16th session of Werkstatt 4) as PDF N times and report the timings.

    .venv/bin/python bench/bench_minutes_pdf.py [-n 20] [--docx] [--keep PATH]
    .venv/bin/python bench/bench_minutes_pdf.py --existing [--meeting PK] [-n 20] [--json]

Sets Django up against a temporary SQLite database (nothing else is touched), migrates, loads the
demo data, takes the session page as the office sees it (one selector call, outside the timing),
and times ``minutes_pdf`` alone. The first render runs before the timing as a warm-up (fonts decoded
once per process, templates and stylesheet loaded); its time is reported on its own. Prints the data
size (agenda items, presenters, result lines, pages and bytes of the PDF), the median and the 95th
percentile in milliseconds.

With ``--existing`` nothing is built or migrated: the database of ``DATABASE_URL`` is read as it is, and the
session is ``--meeting`` (default: the session with published minutes and the most agenda items), taken as the
staff page. ``--json`` adds one line ``BENCH_JSON {...}`` with the measurements (for ``bench/run``).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``share`` of all values at or below it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil without floats drifting
    return ordered[int(rank) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=20, help="timed renders (default 20)")
    parser.add_argument("--docx", action="store_true", help="time minutes_docx as well")
    parser.add_argument("--keep", type=Path, help="write the last PDF to this path")
    parser.add_argument("--existing", action="store_true", help="use the data of DATABASE_URL (nothing is built)")
    parser.add_argument("--meeting", type=int, help="with --existing: the session (primary key)")
    parser.add_argument("--json", action="store_true", help="also print the measurements as one BENCH_JSON line")
    args = parser.parse_args()

    workdir = tempfile.TemporaryDirectory(prefix="werkstatt-bench-")
    if not args.existing:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))

    import django  # only now: the settings read the environment set above

    django.setup()
    from django.core.management import call_command

    from werkstatt.accounts.models import Role
    from werkstatt.accounts.services import user_create_or_reset
    from werkstatt.core.richtext import html_to_lines
    from werkstatt.demo.loader import demo_load
    from werkstatt.exports.minutes import minutes_docx, minutes_pdf
    from werkstatt.meetings.models import Meeting
    from werkstatt.meetings.selectors import meeting_get_for_user, meeting_staff_page

    if args.existing:
        from django.db.models import Count

        from werkstatt.meetings.workflow import MinutesState

        pk = args.meeting or (
            Meeting.objects.filter(minutes_state=MinutesState.PUBLISHED)
            .annotate(items=Count("agenda_items"))
            .order_by("-items", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            raise SystemExit("Keine Sitzung mit veröffentlichtem Protokoll in der Datenbank.")
        page = meeting_staff_page(pk)
    else:
        call_command("migrate", verbosity=0, interactive=False)
        demo_load()
        office = user_create_or_reset(username="bench", password=secrets.token_urlsafe(16), role=Role.OFFICE)
        meeting = Meeting.objects.get(workshop__number=4, number=16)
        page = meeting_get_for_user(office, meeting.pk)

    start = time.perf_counter()
    pdf = minutes_pdf(page)  # warm-up: decodes the WOFF2 fonts once per process, loads templates
    first = (time.perf_counter() - start) * 1000
    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        pdf = minutes_pdf(page)
        timings.append((time.perf_counter() - start) * 1000)

    import pdfplumber  # a dev dependency, only to count the pages

    with pdfplumber.open(BytesIO(pdf)) as document:
        pages = len(document.pages)
    presenters = sum(len(item.presenters.all()) for item in page.agenda_items)
    result_lines = sum(len(html_to_lines(item.result)) for item in page.agenda_items)
    result_chars = sum(len(item.result) for item in page.agenda_items)
    print(
        f"Daten: {len(page.agenda_items)} TOPs, {presenters} Vortragende, {result_lines} Ergebniszeilen "
        f"({result_chars} Zeichen HTML), {len(page.files)} Anlagen; PDF {pages} Seiten, {len(pdf)} Bytes"
    )
    print(
        f"minutes_pdf, N={args.runs}: Median {statistics.median(timings):.0f} ms, "
        f"95. Perzentil {percentile(timings, 0.95):.0f} ms (min {min(timings):.0f}, max {max(timings):.0f}); "
        f"erster Aufruf des Prozesses {first:.0f} ms"
    )
    if args.json:
        sys.path.insert(0, str(ROOT / "bench"))
        from bench_status_report import emit_json, measurement

        emit_json(
            [measurement("minutes_pdf", timings, meeting=page.meeting.pk, items=len(page.agenda_items), pages=pages)]
        )
    if args.docx:
        docx_timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            minutes_docx(page)
            docx_timings.append((time.perf_counter() - start) * 1000)
        print(
            f"minutes_docx, N={args.runs}: Median {statistics.median(docx_timings):.0f} ms, "
            f"95. Perzentil {percentile(docx_timings, 0.95):.0f} ms"
        )
    if args.keep:
        args.keep.write_bytes(pdf)
        print(f"PDF geschrieben: {args.keep}")
    workdir.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
