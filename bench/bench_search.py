"""Time the full-text search over a large generated corpus, on SQLite or PostgreSQL.

    .venv/bin/python bench/bench_search.py [-n 30] [--size L] [--seed 1] [--postgres] [--keep PATH]

Sets Django up against a temporary SQLite database (or the empty PostgreSQL database of ``DATABASE_URL`` with
``--postgres``), migrates, and fills it with the data generator ``bench/generate`` (size L by default: 5,000
projects, 1,145 sessions with about 15,900 agenda items, 600 news items, 3,000 documents with text; German texts
from ``corpus.py``, twenty topics in the 125 municipalities, so that a topic or place matches a realistic share).
The generator builds the search index at the end with ``search_index_rebuild()`` (its time is printed).

Timed, N runs each after a warm-up, for an anonymous reader: each query of ``QUERIES`` through the selector
``search()`` and through the page ``/suche/`` (Django's test client, no network; the page includes snippets and
the template). Prints per query the hits, queries and median / 95th percentile, and over all queries together.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_status_report import percentile, setup_django, summary, timed  # noqa: E402
from generate import SIZES, format_table, generate  # noqa: E402

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=30, help="timed runs per query (default 30)")
    parser.add_argument("--size", choices=sorted(SIZES), default="L", help="size of the generated data (default L)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data (default 1)")
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

    from werkstatt.search.selectors import SearchFilter, search

    if not reuse:
        start = time.perf_counter()
        counts = generate(SIZES[args.size], args.seed, progress=True)
        print(f"Daten ({connection.vendor}), Größe {args.size}, aufgebaut in {time.perf_counter() - start:.1f} s:")
        print(format_table(counts))

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
