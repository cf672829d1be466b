"""Time a full crawl of the OParl API over a large generated body, and the cost of single list pages.

    .venv/bin/python bench/bench_oparl_crawl.py [--projects 5000] [--meetings 1100] [--items 14]
        [--persons 2000] [--organizations 1000] [--limit 100] [-n 20]
    .venv/bin/python bench/bench_oparl_crawl.py --base-url http://127.0.0.1:8000/oparl/v1.1/ [--limit 100] [--json]

Sets Django up against a temporary SQLite database (or the PostgreSQL of ``DATABASE_URL`` with ``--postgres``;
the database must be empty), migrates, and writes with ``bulk_create``: the project portfolio of
``bench_status_report.py`` (projects with status histories and milestones), ``--meetings`` held sessions spread
over the workshops and 2021 to today, each with ``--items`` public agenda items with result texts of realistic
length and a published minutes state, a consultation for every presented project, ``--persons`` persons with a
membership each and ``--organizations`` organisations.

Then it crawls the API in process (Django's test client, no network) as a mirror does: System, Body, every list
of the body following every ``links.next`` with ``limit=--limit``. It prints the number of requests, objects and
bytes, the total time, and per list the queries of one page and median / 95th percentile of N page requests.

With ``--base-url`` nothing is built and Django is not set up: the same crawl goes over HTTP to a running server
(e.g. the gunicorn of ``bench/run``), one request after the other, following the ``next`` links the server
writes (so its ``WERKSTATT_BASE_URL`` must be the address crawled). ``--json`` adds one line ``BENCH_JSON {...}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_status_report import WORKSHOPS, build_portfolio, emit_json, setup_django, summary, timed  # noqa: E402

RESULT = (
    "Das Projekt wurde in der Werkstatt vorgestellt und ausführlich diskutiert. Die Mitglieder baten um "
    "eine Konkretisierung der Kosten und des Zeitplans; der Projektträger sagte zu, den Steckbrief bis zur "
    "nächsten Sitzung zu überarbeiten. Es wurde eine konsensuale Empfehlung für die Weiterleitung des Projektes "
    "an die Staatskanzlei Brandenburg ausgesprochen."
)


def build_sessions(meetings: int, items: int, persons: int, organizations: int, seed: int = 2025) -> dict[str, int]:
    from django.utils import timezone

    from werkstatt.meetings.models import AgendaItem, AgendaItemKind, Meeting
    from werkstatt.meetings.workflow import MeetingState, MinutesState
    from werkstatt.organizations.models import Body, Membership, MembershipRole, Organization, Person, Workshop
    from werkstatt.projects.models import Consultation, ConsultationOutcome, ConsultationRole, Project

    rng = random.Random(seed)
    body = Body.objects.get()
    workshops = list(Workshop.objects.order_by("number"))
    today = timezone.localdate()
    span = (today - dt.date(2021, 3, 1)).days
    sessions = []
    for n in range(meetings):
        workshop = workshops[n % len(workshops)]
        sessions.append(
            Meeting(
                workshop=workshop,
                number=n // len(workshops) + 21,  # build_portfolio held session 20 of each workshop
                date=dt.date(2021, 3, 1) + dt.timedelta(days=rng.randrange(span)),
                start_time=dt.time(14, 0),
                end_time=dt.time(16, 30),
                state=MeetingState.HELD,
                minutes_state=MinutesState.PUBLISHED,
            )
        )
    sessions = Meeting.objects.bulk_create(sessions, batch_size=1000)
    rows = []
    for meeting in sessions:
        for order in range(1, items + 1):
            rows.append(
                AgendaItem(
                    meeting=meeting,
                    order=order,
                    number=str(order),
                    title=f"Tagesordnungspunkt {order}: Vorstellung und Beratung",
                    kind=AgendaItemKind.PROJECT_PRESENTATION if order > 3 else AgendaItemKind.ORDINARY,
                    result=f"<p>{RESULT}</p>",
                )
            )
    AgendaItem.objects.bulk_create(rows, batch_size=2000)
    item_ids = list(AgendaItem.objects.filter(kind=AgendaItemKind.PROJECT_PRESENTATION).values_list("pk", "meeting_id"))
    consultations = []
    used: set[tuple[int, int]] = set()
    for project in Project.objects.filter(state__in=["presented", "recommended", "forwarded", "confirmed"]).only("pk"):
        item_id, meeting_id = rng.choice(item_ids)
        if (project.pk, meeting_id) in used:
            continue
        used.add((project.pk, meeting_id))
        consultations.append(
            Consultation(
                project=project,
                meeting_id=meeting_id,
                agenda_item_id=item_id,
                authoritative=True,
                role=ConsultationRole.RECOMMENDATION,
                outcome=ConsultationOutcome.RECOMMENDATION,
            )
        )
    Consultation.objects.bulk_create(consultations, batch_size=2000)
    orgs = Organization.objects.bulk_create(
        [Organization(body=body, name=f"Organisation {n:05d}") for n in range(organizations)], batch_size=1000
    )
    people = Person.objects.bulk_create(
        [
            Person(body=body, given_name=f"Vorname{n}", family_name=f"Nachname{n}", function="Referent/in")
            for n in range(persons)
        ],
        batch_size=1000,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                person=p,
                workshop=rng.choice(workshops),
                role=MembershipRole.DELEGATE,
                on_behalf_of=rng.choice(orgs),
            )
            for p in people
        ],
        batch_size=1000,
    )
    return {
        "meetings": len(sessions),
        "items": len(rows),
        "consultations": len(consultations),
        "persons": len(people),
        "organizations": len(orgs),
    }


def crawl(fetch: Callable[[str], tuple[int, bytes]], base: str, limit: int) -> dict[str, Any]:
    """System, Body, then every list of the body page by page, as a mirror reads it. ``fetch(url)`` answers with
    the status and the body of one GET."""

    def get(url: str) -> dict[str, Any]:
        status, content = fetch(url)
        stats["requests"] += 1
        stats["bytes"] += len(content)
        if status != 200:
            raise SystemExit(f"{url}: {status} {content[:200]!r}")
        data: dict[str, Any] = json.loads(content)
        return data

    stats: dict[str, Any] = {"requests": 0, "bytes": 0, "objects": {}, "seconds": {}}
    system = get(base)
    bodies = get(system["body"])
    for body in bodies["data"]:
        for name in ("organization", "person", "meeting", "paper", "agendaItem", "consultation", "file",
                     "locationList", "legislativeTermList", "membership"):  # fmt: skip
            url: str | None = f"{body[name]}?limit={limit}"
            started = time.perf_counter()
            while url:
                page = get(url)
                stats["objects"][name] = stats["objects"].get(name, 0) + len(page["data"])
                url = page["links"].get("next")
            stats["seconds"][name] = stats["seconds"].get(name, 0) + time.perf_counter() - started
    return stats


def http_fetch(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - the crawled server
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def report(stats: dict[str, Any], elapsed: float, limit: int) -> None:
    objects = sum(stats["objects"].values())
    print(
        f"Vollständiger Crawl mit limit={limit}: {stats['requests']} Anfragen, {objects} Objekte, "
        f"{stats['bytes'] / 1e6:.1f} MB in {elapsed:.1f} s ({elapsed / stats['requests'] * 1000:.0f} ms je Anfrage)"
    )
    print("  Objekte je Liste: " + ", ".join(f"{k} {v}" for k, v in stats["objects"].items()))
    print("  Sekunden je Liste: " + ", ".join(f"{k} {v:.1f}" for k, v in stats["seconds"].items()))


def crawl_over_http(base_url: str, limit: int, as_json: bool) -> int:
    http_fetch(base_url)  # the first request of a worker process pays its imports
    start = time.perf_counter()
    stats = crawl(http_fetch, base_url, limit)
    elapsed = time.perf_counter() - start
    report(stats, elapsed, limit)
    if as_json:
        emit_json(
            [],
            crawl={
                "seconds": elapsed,
                "requests": stats["requests"],
                "objects": sum(stats["objects"].values()),
                "bytes": stats["bytes"],
                "limit": limit,
                "per_list": stats["objects"],
            },
        )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=20, help="timed requests per list page (default 20)")
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--meetings", type=int, default=1100)
    parser.add_argument("--items", type=int, default=14, help="agenda items per session (default 14)")
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--organizations", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=100, help="page size of the crawl (default 100, at most 500)")
    parser.add_argument("--postgres", action="store_true", help="use the (empty) database of DATABASE_URL")
    parser.add_argument("--base-url", help="crawl this running API over HTTP instead (nothing is built)")
    parser.add_argument("--json", action="store_true", help="with --base-url: also print one BENCH_JSON line")
    args = parser.parse_args()
    if args.base_url:
        return crawl_over_http(args.base_url, args.limit, args.json)

    workdir = tempfile.TemporaryDirectory(prefix="werkstatt-bench-")
    setup_django(None if args.postgres else f"{workdir.name}/bench.sqlite3")
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    size = build_portfolio(args.projects, 8)
    size |= build_sessions(args.meetings, args.items, args.persons, args.organizations)
    print(
        f"Daten ({connection.vendor}): {size['projects']} Projekte, {size['milestones']} Meilensteine, "
        f"{size['changes']} Statuswechsel, {size['meetings']} Sitzungen in {WORKSHOPS} Werkstätten, "
        f"{size['items']} TOPs, {size['consultations']} Beratungen, {size['persons']} Personen mit Mitgliedschaft, "
        f"{size['organizations']} Organisationen (aufgebaut in {time.perf_counter() - start:.1f} s)"
    )
    from django.conf import settings

    client = Client()
    base = "/oparl/v1.1/"

    def fetch(url: str) -> tuple[int, bytes]:
        response = client.get(url.removeprefix(settings.WERKSTATT_BASE_URL))
        return response.status_code, response.content

    # Warm the process (imports, first queries), then the timed crawl.
    client.get(base)
    start = time.perf_counter()
    stats = crawl(fetch, base, args.limit)
    report(stats, time.perf_counter() - start, args.limit)

    body = json.loads(client.get(base + "body").content)["data"][0]
    for name in ("meeting", "agendaItem", "paper", "person", "organization", "consultation", "membership"):
        url = body[name].removeprefix(os.environ.get("WERKSTATT_BASE_URL", "http://127.0.0.1:8000"))
        pages = json.loads(client.get(f"{url}?limit={args.limit}").content)["pagination"]["totalPages"]
        page_url = f"{url}?limit={args.limit}&page={min(3, pages)}"
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            client.get(page_url)
        timings, _ = timed(args.runs, lambda page_url=page_url: client.get(page_url))
        print(f"  {summary(f'Liste {name} (Seite {min(3, pages)}, {args.limit} je Seite)', args.runs, timings)}; "
              f"{len(ctx.captured_queries)} Abfragen")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
