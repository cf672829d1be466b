"""Time the full-text search over a large generated corpus, on SQLite or PostgreSQL.

    .venv/bin/python bench/bench_search.py [-n 30] [--projects 5000] [--meetings 1100] [--items 19]
        [--news 600] [--documents 1500] [--postgres]

Sets Django up against a temporary SQLite database (or the empty PostgreSQL database of ``DATABASE_URL`` with
``--postgres``), migrates, loads the reference geodata and writes with ``bulk_create``: the project portfolio of
``bench_status_report.py`` (projects with status histories and milestones) and the sessions of
``bench_oparl_crawl.py`` (held sessions with published minutes; ``--meetings`` × ``--items`` agenda items, by
default 20,900). Then every project, agenda item, news item and document gets a German text from
``corpus.py``: twenty topics in the 125 municipalities, so that a topic or place matches a realistic share.
The search index is built with ``search_index_rebuild()`` (its time is printed).

Timed, N runs each after a warm-up, for an anonymous reader: each query of ``QUERIES`` through the selector
``search()`` and through the page ``/suche/`` (Django's test client, no network; the page includes snippets and
the template). Prints per query the hits, queries and median / 95th percentile, and over all queries together.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402
from bench_oparl_crawl import build_sessions  # noqa: E402
from bench_status_report import WORKSHOPS, build_portfolio, percentile, setup_django, summary, timed  # noqa: E402

# What people type, including the examples of the issue, with filters where a person would set them.
QUERIES: tuple[dict[str, str], ...] = (
    {"q": "Telenotarzt"},
    {"q": "Radweg"},
    {"q": "Projekte Grundschule"},
    {"q": "Strasse"},
    {"q": "Chosebuz"},
    {"q": "Wasserstoff Busse"},
    {"q": "Spatenstich", "art": "projekte", "kreis": "12062", "jahr": "2026"},
    {"q": "Glasfaser", "werkstatt": "3", "jahr": "2024"},
    {"q": "Spremberg"},
    {"q": "Kulturzentrum sorbisch"},
    {"q": "Wasserstof Tankstele"},  # typos: nothing found, suggestions
    {"q": "Empfehlung Weiterleitung"},  # in most result texts
)


def places() -> list[corpus.Place]:
    from werkstatt.geo.models import Municipality

    return [
        corpus.Place(m.display_name, m.district_id, m.pk)
        for m in Municipality.objects.order_by("ags").only("name", "name_dsb", "district_id")
    ]


def write_texts(news: int, documents: int, seed: int = 2026) -> dict[str, int]:
    """Give projects and agenda items German texts, and write news and documents attached to sessions."""
    from django.utils import timezone

    from werkstatt.documents.models import File
    from werkstatt.meetings.models import AgendaItem, AgendaItemKind, Meeting
    from werkstatt.news.models import NewsItem
    from werkstatt.organizations.models import Body
    from werkstatt.projects.models import Project

    rng = random.Random(seed)
    where = places()
    projects = []
    for project in Project.objects.only("pk").order_by("pk"):
        topic, place = rng.choice(corpus.TOPICS), rng.choice(where)
        project.title, project.description = corpus.project_text(rng, topic, place)
        project.municipality_id, project.district_id = place.municipality_id, place.district_id
        projects.append(project)
    Project.objects.bulk_update(projects, ["title", "description", "municipality", "district"], batch_size=1000)

    items = []
    for item in AgendaItem.objects.select_related("meeting").only("pk", "order", "kind", "meeting__date"):
        place = rng.choice(where)
        if item.kind == AgendaItemKind.PROJECT_PRESENTATION:
            topic = rng.choice(corpus.TOPICS)
            item.title = f"Vorstellung Investitionsprojekt „{topic.title} in {place.name}“"
            text = corpus.result_text(rng, topic, place, item.meeting.date.year)
        else:
            item.title, text = corpus.ordinary_item(rng, item.order, place)
        item.result = f"<p>{text}</p>"
        items.append(item)
    AgendaItem.objects.bulk_update(items, ["title", "result"], batch_size=2000)

    body = Body.objects.get()
    today = timezone.localdate()
    NewsItem.objects.bulk_create(
        [
            NewsItem(
                body=body,
                title=(text := corpus.news_text(rng, rng.choice(corpus.TOPICS), rng.choice(where)))[0],
                text=f"<p>{text[1]}</p>",
                date=today - dt.timedelta(days=rng.randrange(5 * 365)),
                published=True,
            )
            for _ in range(news)
        ],
        batch_size=1000,
    )
    meetings = list(Meeting.objects.values_list("pk", flat=True))
    files = File.objects.bulk_create(
        [
            File(
                name=f"Anlage {n}: Projektsteckbrief",
                file=f"files/bench/{n:05d}.pdf",
                file_name=f"steckbrief-{n:05d}.pdf",
                mime_type="application/pdf",
                size=1,
                text=" ".join(
                    corpus.result_text(rng, rng.choice(corpus.TOPICS), rng.choice(where), 2024) for _ in range(3)
                ),
                public=True,
            )
            for n in range(documents)
        ],
        batch_size=1000,
    )
    Meeting.files.through.objects.bulk_create(
        [Meeting.files.through(meeting_id=rng.choice(meetings), file_id=f.pk) for f in files], batch_size=2000
    )
    return {"news": news, "documents": len(files)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=30, help="timed runs per query (default 30)")
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--meetings", type=int, default=1100)
    parser.add_argument("--items", type=int, default=19, help="agenda items per session (default 19)")
    parser.add_argument("--news", type=int, default=600)
    parser.add_argument("--documents", type=int, default=1500)
    parser.add_argument("--postgres", action="store_true", help="use the database of DATABASE_URL")
    parser.add_argument(
        "--keep", metavar="PATH", help="SQLite file to keep the data in; built only if it does not exist yet"
    )
    parser.add_argument("--only", metavar="Q", help="time only the queries containing this text")
    args = parser.parse_args()

    workdir = tempfile.TemporaryDirectory(prefix="werkstatt-bench-")
    reuse = bool(args.keep) and Path(args.keep).exists()
    setup_django(None if args.postgres else (args.keep or f"{workdir.name}/bench.sqlite3"))
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils.http import urlencode

    from werkstatt.geo.services import geo_reference_data_load
    from werkstatt.search.selectors import SearchFilter, search
    from werkstatt.search.services import search_index_rebuild

    if not reuse:
        start = time.perf_counter()
        geo_reference_data_load()
        size = build_portfolio(args.projects, 8)
        size |= build_sessions(args.meetings, args.items, 2000, 1000)
        size |= write_texts(args.news, args.documents)
        print(
            f"Daten ({connection.vendor}): {size['projects']} Projekte, {size['milestones']} Meilensteine, "
            f"{size['meetings']} Sitzungen in {WORKSHOPS} Werkstätten, {size['items']} TOPs mit Ergebnis, "
            f"{size['news']} Meldungen, {size['documents']} Dokumente mit Text, {size['persons']} Personen, "
            f"{size['organizations']} Organisationen (aufgebaut in {time.perf_counter() - start:.1f} s)"
        )
        start = time.perf_counter()
        entries = search_index_rebuild()
        print(f"Suchindex: {entries} Einträge aufgebaut in {time.perf_counter() - start:.1f} s")
        if connection.vendor == "postgresql":
            # As autovacuum would after a bulk load: the planner needs statistics of the new tables.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    anonymous = AnonymousUser()
    client = Client()
    page = reverse("portal:search")
    all_selector: list[float] = []
    all_page: list[float] = []
    for params in QUERIES:
        if args.only and args.only not in params["q"]:
            continue
        filters = SearchFilter.from_query(params)
        with CaptureQueriesContext(connection) as ctx:
            results = search(anonymous, filters)
        queries = len(ctx.captured_queries)
        label = " ".join(f"{k}={v}" for k, v in params.items())
        timings, _ = timed(args.runs, lambda filters=filters: search(anonymous, filters))
        all_selector += timings
        url = f"{page}?{urlencode(params)}"
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
        page_timings, _ = timed(args.runs, lambda url=url: client.get(url))
        all_page += page_timings
        suggestions = ", ".join(f"{s.q} ({s.total})" for s in results.suggestions) or "–"
        print(f"  [{label}] {results.total} Treffer, {queries} Abfragen, Vorschläge: {suggestions}")
        print(f"    {summary('Selektor', args.runs, timings)}")
        print(f"    {summary('Seite', args.runs, page_timings)}")
    print(summary(f"Alle {len(all_page) // args.runs} Suchen, Selektor", len(all_selector), all_selector))
    print(summary(f"Alle {len(all_page) // args.runs} Suchen, Seite", len(all_page), all_page))
    print(f"  99. Perzentil Seite: {percentile(all_page, 0.99):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
