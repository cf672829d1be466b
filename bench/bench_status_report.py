"""Time the status report "Aktueller Sachstand der Projekte" over a large portfolio, and its PDF.

    .venv/bin/python bench/bench_status_report.py [-n 20] [--projects 5000] [--milestones 8] [--keep PATH]

Sets Django up against a temporary SQLite database (nothing else is touched), migrates, and writes a
portfolio with ``bulk_create``: eight workshops, ``--projects`` projects spread over every state, each
with its status history from the idea to its state (one ``ProjectStatusChange`` per step, spread over
2020 to today) and on average ``--milestones`` milestones (planned 2021–2028, the past ones mostly
done), plus one held session per workshop 30 days ago. Then it times ``status_report`` as the office
calls it, for Werkstatt 4 and for all workshops (N runs each after one warm-up; queries counted once),
and ``status_report_pdf`` for both reports (the first render of the process, which decodes the fonts,
reported on its own). Prints the data size, median and 95th percentile in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORKSHOPS = 8


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``share`` of all values at or below it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil without floats drifting
    return ordered[int(rank) - 1]


def timed(runs: int, func: Callable[[], Any]) -> tuple[list[float], Any]:
    result = func()  # warm-up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        timings.append((time.perf_counter() - start) * 1000)
    return timings, result


def summary(name: str, runs: int, timings: list[float]) -> str:
    return (
        f"{name}, N={runs}: Median {statistics.median(timings):.1f} ms, "
        f"95. Perzentil {percentile(timings, 0.95):.1f} ms (min {min(timings):.1f}, max {max(timings):.1f})"
    )


def setup_django(sqlite_path: str | None, *, migrate: bool = True) -> None:
    """Set Django up for a benchmark (DEBUG settings, quiet logs) against the SQLite file ``sqlite_path``, or with
    ``None`` against the database of ``DATABASE_URL`` (e.g. PostgreSQL), and migrate it (unless ``migrate=False``)."""
    if sqlite_path is not None:
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))

    import django  # only now: the settings read the environment set above

    django.setup()
    if not migrate:
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build_portfolio(projects: int, milestones_per_project: int, seed: int = 2024) -> dict[str, int]:
    """Write the portfolio with bulk_create (no history rows: they play no part in the report)."""
    from django.conf import settings
    from django.utils import timezone

    from werkstatt.meetings.models import Meeting
    from werkstatt.meetings.workflow import MeetingState
    from werkstatt.organizations.models import Body, Workshop
    from werkstatt.projects.models import Milestone, MilestoneKind, Project, ProjectStatusChange
    from werkstatt.projects.workflow import PIPELINE_ORDER, SIDE_EXITS, FundingInstrument

    rng = random.Random(seed)
    today = timezone.localdate()
    body = Body.objects.create(name=settings.WERKSTATT_BODY_NAME)
    workshops = Workshop.objects.bulk_create(
        [Workshop(body=body, number=n, title=f"Werkstatt-Thema {n}") for n in range(1, WORKSHOPS + 1)]
    )
    Meeting.objects.bulk_create(
        [Meeting(workshop=w, number=20, date=today - dt.timedelta(days=30), state=MeetingState.HELD) for w in workshops]
    )
    confirmed_index = PIPELINE_ORDER.index("confirmed")
    # Roughly as a real portfolio: many ideas and projects in qualification, fewer the further along.
    weights = [14, 10, 14, 8, 6, 5, 9, 8, 10, 9, 6]
    start = dt.date(2020, 1, 1)
    span = (today - start).days

    rows = []
    paths: list[list[str]] = []
    for i in range(projects):
        if rng.random() < 0.08:
            state = rng.choice(SIDE_EXITS)
            path = [*PIPELINE_ORDER[: rng.randint(1, 6)], state]
        else:
            index = rng.choices(range(len(PIPELINE_ORDER)), weights)[0]
            path = list(PIPELINE_ORDER[: index + 1])
            state = path[-1]
        confirmed = None
        if "confirmed" in path or (state not in SIDE_EXITS and PIPELINE_ORDER.index(state) >= confirmed_index):
            confirmed = start + dt.timedelta(days=rng.randrange(span))
        rows.append(
            Project(
                body=body,
                title=f"Projekt {i:05d}",
                lead_workshop=rng.choice(workshops),
                instrument=FundingInstrument.INVKG_ARM1,
                state=state,
                confirmed_on=confirmed,
                public=rng.random() < 0.9,
            )
        )
        paths.append(path)
    created = Project.objects.bulk_create(rows, batch_size=1000)

    changes = []
    for project, path in zip(created, paths, strict=True):
        days = sorted(rng.randrange(span + 1) for _ in path)
        for step, (source, target) in enumerate(zip(["", *path[:-1]], path, strict=True)):
            day = start + dt.timedelta(days=days[step])
            changes.append(
                ProjectStatusChange(
                    project=project,
                    from_state=source,
                    to_state=target,
                    decision_date=day if target in ("confirmed", "approved") else None,
                    note="",
                    created=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
                )
            )
    ProjectStatusChange.objects.bulk_create(changes, batch_size=2000)

    kinds = list(MilestoneKind.values)
    milestones = []
    for project in created:
        for _ in range(rng.randint(0, 2 * milestones_per_project)):
            kind = rng.choice(kinds)
            planned = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(8 * 365))
            done = planned < today and rng.random() < 0.8
            actual = min(today, planned + dt.timedelta(days=rng.randint(-20, 60))) if done else None
            milestones.append(
                Milestone(
                    project=project,
                    kind=kind,
                    title="Meilenstein" if kind == "other" else "",
                    planned_date=planned,
                    actual_date=actual,
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=2000)
    return {"projects": len(created), "changes": len(changes), "milestones": len(milestones)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=20, help="timed runs per measurement (default 20)")
    parser.add_argument("--projects", type=int, default=5000, help="projects in the portfolio (default 5000)")
    parser.add_argument("--milestones", type=int, default=8, help="milestones per project on average (default 8)")
    parser.add_argument("--keep", type=Path, help="write the PDF of Werkstatt 4 to this path")
    args = parser.parse_args()

    workdir = tempfile.TemporaryDirectory(prefix="werkstatt-bench-")
    setup_django(f"{workdir.name}/bench.sqlite3")
    import pdfplumber  # a dev dependency, only to count the pages
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from werkstatt.accounts.models import Role
    from werkstatt.accounts.services import user_create_or_reset
    from werkstatt.exports.status_report import status_report_pdf
    from werkstatt.organizations.models import Workshop
    from werkstatt.projects.report import DEFAULT_SINCE, status_report

    start = time.perf_counter()
    size = build_portfolio(args.projects, args.milestones)
    setup = time.perf_counter() - start
    office = user_create_or_reset(username="bench", password=secrets.token_urlsafe(16), role=Role.OFFICE)
    workshop = Workshop.objects.get(number=4)
    year = 2024
    print(
        f"Daten: {size['projects']} Projekte in {WORKSHOPS} Werkstätten, {size['changes']} Statuswechsel, "
        f"{size['milestones']} Meilensteine (aufgebaut in {setup:.1f} s)"
    )

    def report_w4() -> Any:
        return status_report(user=office, workshop=workshop, since=DEFAULT_SINCE, year=year)

    def report_all() -> Any:
        return status_report(user=office, workshop=None, since=DEFAULT_SINCE, year=year)

    for name, func in (("status_report Werkstatt 4", report_w4), ("status_report alle Werkstätten", report_all)):
        with CaptureQueriesContext(connection) as ctx:
            report = func()
        timings, report = timed(args.runs, func)
        print(
            f"{summary(name, args.runs, timings)}; {len(ctx.captured_queries)} Abfragen; "
            f"{report.project_total} Projekte, {report.changes_total} Änderungen ({report.changes_shown} gelistet), "
            f"{report.milestones_planned_total} Meilensteine {year} geplant"
        )
        print(f"  {report.confirmed_sentence} {report.milestone_sentence}")

    first_start = time.perf_counter()
    status_report_pdf(report_w4())  # the first render of the process decodes the fonts
    first = (time.perf_counter() - first_start) * 1000
    w4, everything = report_w4(), report_all()
    for name, report in (("status_report_pdf Werkstatt 4", w4), ("status_report_pdf alle Werkstätten", everything)):
        timings, pdf = timed(args.runs, lambda report=report: status_report_pdf(report))
        with pdfplumber.open(BytesIO(pdf)) as document:
            pages = len(document.pages)
        print(f"{summary(name, args.runs, timings)}; PDF {pages} Seiten, {len(pdf)} Bytes")
        if args.keep and report is w4:
            args.keep.write_bytes(pdf)
            print(f"PDF geschrieben: {args.keep}")
    print(f"erster PDF-Aufruf des Prozesses (Schriften dekodieren): {first:.0f} ms")
    workdir.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
