"""bench/run: the public pages under load on a production-like gunicorn, next to the floor, and the heavy jobs.

    DATABASE_URL=postgres://USER@HOST/DB bench/run [--workers 3] [--connections 2] [--warmup 2] [--duration 10]

Runs ``collectstatic`` with DEBUG off, starts gunicorn on loopback against DATABASE_URL (DEBUG off, throwaway
SECRET_KEY, ALLOWED_HOSTS=127.0.0.1), waits for the floor (``/health/live/``: a minimal Django view on the same
server), picks pages of typical size from the database through the public selectors, and measures each page and
the floor with ``wrk`` from a separate process (warm-up, then the measured run; one wrk thread) with a Lua script
that reports latency percentiles, requests, errors and throughput. Any error (socket error, or a status outside
2xx/3xx) stops the run. Then, with the server idle: the minutes PDF, the status report over all projects, one
legacy document import (dry run) and a full OParl crawl over HTTP (the existing bench scripts with --existing /
--base-url). Writes the generated block of bench/RESULTS.md (``--results``; hand-written text outside the markers
stays). Nothing is written to the database.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import serve
from serve import ROOT, BenchError

PAGE_P95_MS = 50.0
PAGE_FLOOR_RATIO = 3.0
SEARCH_P95_MS = 100.0
CRAWL_SECONDS = 60.0
STATUS_REPORT_MS = 1000.0
SEARCH_QUERY = "Radweg Cottbus"


def wrk(server: serve.Server, path: str, args: argparse.Namespace, seconds: float) -> dict[str, Any]:
    command = [
        serve.executable("wrk"),
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={seconds:g}s",
        f"--timeout={args.timeout:g}s",
        f"--script={ROOT / 'bench' / 'wrk_report.lua'}",
        server.url(path),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=seconds + 60)
    for line in done.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            result: dict[str, Any] = json.loads(line.removeprefix("WRK_JSON "))
            return result
    raise BenchError(f"wrk lieferte kein Ergebnis für {path} (Status {done.returncode}):\n{done.stdout}{done.stderr}")


def measure(server: serve.Server, name: str, path: str, args: argparse.Namespace) -> dict[str, Any]:
    if args.warmup > 0:
        wrk(server, path, args, args.warmup)
    result = wrk(server, path, args, args.duration)
    result |= {"name": name, "path": path}
    print(
        f"  {name:<34} p50 {result['p50_ms']:7.1f}  p95 {result['p95_ms']:7.1f}  p99 {result['p99_ms']:7.1f} ms"
        f"  {result['rps']:7.1f}/s  {result['requests']} Anfragen, {result['errors']} Fehler",
        flush=True,
    )
    if result["errors"]:
        raise BenchError(
            f"{name} ({path}): {result['errors']} Fehler in {result['requests']} Anfragen "
            f"(Status außerhalb 2xx/3xx: {result['status_errors']}, connect {result['connect']}, read "
            f"{result['read']}, write {result['write']}, timeout {result['timeout']}).\n{server.log_tail(30)}"
        )
    return result


def bench_script(script: str, options: list[str], env: dict[str, str], timeout: float) -> dict[str, Any]:
    """Run one of the existing bench scripts with ``--json`` and return its BENCH_JSON object."""
    command = [serve.python(), str(ROOT / "bench" / script), *options, "--json"]
    print(f"  {script} {' '.join(options)} …", flush=True)
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=timeout)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            result: dict[str, Any] = json.loads(line.removeprefix("BENCH_JSON "))
            if done.returncode == 0:
                return result
    output = done.stdout[-3000:] + done.stderr[-3000:]
    raise BenchError(f"{script} ist gescheitert (Status {done.returncode}):\n{output}")


def mark(ok: bool) -> str:
    return "ja" if ok else "**nein**"


def report(
    args: argparse.Namespace,
    meta: dict[str, Any],
    floor: dict[str, Any],
    pages: list[dict[str, Any]],
    jobs: list[dict[str, Any]],
    crawl: dict[str, Any],
) -> tuple[str, bool]:
    """The generated block of RESULTS.md, and whether every target is met."""
    rows = []
    all_met = True
    for result in [floor, *pages]:
        ratio = result["p95_ms"] / floor["p95_ms"] if floor["p95_ms"] else float("inf")
        if result is floor:
            target, met = "Boden", None
        elif result["name"] == "Suche":
            target, met = f"p95 ≤ {SEARCH_P95_MS:.0f} ms", result["p95_ms"] <= SEARCH_P95_MS
        else:
            met = result["p95_ms"] <= PAGE_P95_MS and ratio <= PAGE_FLOOR_RATIO
            target = f"p95 ≤ {PAGE_P95_MS:.0f} ms und ≤ {PAGE_FLOOR_RATIO:.0f}× Boden"
        all_met = all_met and met is not False
        rows.append(
            [
                result["name"],
                f"`{result['path']}`",
                f"{result['p50_ms']:.1f}",
                f"{result['p95_ms']:.1f}",
                f"{result['p99_ms']:.1f}",
                f"{result['rps']:.0f}",
                f"{result['requests']}",
                f"{ratio:.1f}×",
                result["cache"],
                target,
                "–" if met is None else mark(met),
            ]
        )
    job_rows = []
    for job in jobs:
        target_text, met = "–", None
        if job["name"] == "status_report alle Werkstätten":
            met = job["p95_ms"] <= STATUS_REPORT_MS
            target_text = f"p95 ≤ {STATUS_REPORT_MS / 1000:.0f} s"
        all_met = all_met and met is not False
        details = ", ".join(
            f"{k} {v}" for k, v in job.items() if k not in ("name", "runs", "median_ms", "p95_ms", "max_ms")
        )
        job_rows.append(
            [
                job["name"],
                str(job["runs"]),
                f"{job['median_ms']:.0f}",
                f"{job['p95_ms']:.0f}",
                f"{job['max_ms']:.0f}",
                details,
                target_text,
                "–" if met is None else mark(met),
            ]
        )
    crawl_met = crawl["seconds"] <= CRAWL_SECONDS
    all_met = all_met and (crawl_met or not crawl["limit"])
    crawl_text = (
        f"{crawl['requests']} Anfragen nacheinander (limit={crawl['limit']}), {crawl['objects']} Objekte, "
        f"{crawl['bytes'] / 1e6:.1f} MB in {crawl['seconds']:.1f} s; Ziel ≤ {CRAWL_SECONDS:.0f} s: {mark(crawl_met)}."
        if crawl["limit"]
        else "nicht gemessen (--only-pages)"
    )
    header = ["Seite", "Pfad", "Median", "p95", "p99", "Anfragen/s", "Anfragen", "p95 / Boden", "Cache", "Ziel"]
    pages_table = serve.table([*header, "erfüllt"], rows)
    jobs_table = serve.table(["Vorgang", "Läufe", "Median", "p95", "max", "Angaben", "Ziel", "erfüllt"], job_rows)
    v, m = meta["versions"], meta["machine"]
    size = ", ".join(f"{label} {count:,}".replace(",", ".") for label, count in meta["size"])
    text = f"""## Messung (bench/run)

Erzeugt am {meta["date"]} mit `{meta["command"]}`.

- Rechner: {m["cpu"]}, {m["cores"]} Kerne, {m["ram"]} RAM ({m["os"]}); Last vor der Messung (loadavg 1 min):
  {m["load"]}
- Software: Python {v["python"]}, Django {v["django"]}, {v["database"]}, gunicorn {v["gunicorn"]}
  ({args.workers} Sync-Worker, DEBUG aus, whitenoise-Manifest, CONN_MAX_AGE aus der Umgebung oder 60)
- Last: wrk, {args.threads} Thread, {args.connections} Verbindungen, {args.warmup:g} s Aufwärmen + {args.duration:g} s
  Messung je Seite, alles auf 127.0.0.1 (gunicorn, PostgreSQL und wrk teilen sich die {m["cores"]} Kerne)
- Daten: {size}
- Ausgewählt (mittlere Größe, öffentlich): Werkstatt {meta["picked"]["workshop"]}, Sitzung {meta["picked"]["meeting"]},
  Projekt {meta["picked"]["project"]}; Suche „{args.search}“
- Alle Anfragen fehlerfrei (sonst bricht bench/run ab).

### Seiten unter Last (Zeiten in ms)

„Cache“: die Kopfzeile X-Werkstatt-Cache des Seiten-Caches beim zweiten Abruf vor der Messung („hit“: aus dem
Cache; „miss“ auch beim zweiten Mal: nicht gespeichert, z. B. eine Seite mit Formular und CSRF-Token; „–“: keine
Kopfzeile). Ohne Seiten-Cache messen: `--env PAGE_CACHE_SECONDS=0`.

{pages_table}

### Aufwendige Vorgänge (im Prozess, Server ohne Last; Zeiten in ms)

{jobs_table}

### Vollständiger OParl-Crawl über HTTP

{crawl_text}

Alle Ziele erfüllt: {mark(all_met)}
"""
    return text, all_met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="database to measure (default: $DATABASE_URL)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3)")
    parser.add_argument("--connections", type=int, default=2, help="wrk connections (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per page, not counted (default 2)")
    parser.add_argument("--duration", type=float, default=10, help="measured seconds per page (default 10)")
    parser.add_argument("--timeout", type=float, default=5, help="wrk: a request slower than this is an error")
    parser.add_argument("--runs", type=int, default=10, help="timed runs of the in-process jobs (default 10)")
    parser.add_argument("--search", default=SEARCH_QUERY, help=f"search query (default „{SEARCH_QUERY}“)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--floor-path", default=serve.FLOOR_PATH, help=f"the floor (default {serve.FLOOR_PATH})")
    parser.add_argument("--crawl-limit", type=int, default=100, help="page size of the OParl crawl (default 100)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="extra server settings")
    parser.add_argument("--only-pages", action="store_true", help="skip the in-process jobs and the crawl")
    parser.add_argument("--results", type=Path, default=serve.RESULTS, help="file to write (default bench/RESULTS.md)")
    parser.add_argument("--no-results", action="store_true", help="print only, write no file")
    parser.add_argument("--json", type=Path, help="also write every number as JSON to this file")
    args = parser.parse_args()
    if min(args.workers, args.connections, args.threads, args.runs) < 1 or args.duration <= 0 or args.warmup < 0:
        raise BenchError("--workers, --connections, --threads, --runs müssen ≥ 1 sein, --duration > 0.")
    if args.threads > args.connections:
        raise BenchError("wrk braucht mindestens so viele Verbindungen wie Threads.")
    serve.executable("wrk")
    serve.executable("gunicorn")
    db_url = serve.database_url(args.database_url)
    port = args.port or serve.free_port()
    env = serve.server_environment(db_url, port, serve.parse_env_options(args.env))

    serve.setup_django_here(env)
    pages, picked = serve.pick_pages(args.search)
    meta = {
        "date": serve.berlin_now(),
        "command": "bench/run " + " ".join(sys.argv[1:]),
        "machine": serve.machine(),
        "versions": serve.versions(),
        "size": serve.data_size(),
        "picked": {k: v for k, v in picked.items() if not k.endswith("s")},
    }
    serve.collectstatic(env)
    with (
        tempfile.TemporaryDirectory(prefix="werkstatt-bench-run-") as logdir,
        serve.gunicorn(env, port, args.workers, Path(logdir), args.floor_path) as server,
    ):
        pages |= serve.pick_oparl(server)
        cache = serve.check_pages(server, {"Boden": args.floor_path, **pages})
        print(f"wrk: {args.threads} Thread, {args.connections} Verbindungen, {args.warmup:g}+{args.duration:g} s")
        floor = measure(server, "Boden (minimale Django-View)", args.floor_path, args) | {"cache": cache["Boden"]}
        results = [measure(server, name, path, args) | {"cache": cache[name]} for name, path in pages.items()]
        jobs: list[dict[str, Any]] = []
        crawl: dict[str, Any] = {"seconds": 0.0, "requests": 0, "objects": 0, "bytes": 0, "limit": 0}
        if not args.only_pages:
            print("Aufwendige Vorgänge (Server ohne Last):", flush=True)
            runs = ["-n", str(args.runs)]
            meeting = ["--meeting", str(picked["meeting"])]
            jobs += bench_script("bench_minutes_pdf.py", ["--existing", *meeting, *runs], env, 1800)["measurements"]
            jobs += bench_script("bench_status_report.py", ["--existing", *runs], env, 3600)["measurements"]
            jobs += bench_script("bench_minutes_import.py", ["--existing", *runs], env, 1800)["measurements"]
            base = server.url("/oparl/v1.1/")
            limit = ["--limit", str(args.crawl_limit)]
            crawl = bench_script("bench_oparl_crawl.py", ["--base-url", base, *limit], env, 1800)["crawl"]
            for job in jobs:
                print(f"  {job['name']:<38} Median {job['median_ms']:8.0f} ms  p95 {job['p95_ms']:8.0f} ms")
            print(f"  OParl-Crawl: {crawl['requests']} Anfragen, {crawl['seconds']:.1f} s")
    text, all_met = report(args, meta, floor, results, jobs, crawl)
    print()
    print(text)
    if args.json:
        args.json.write_text(
            json.dumps({"meta": meta, "floor": floor, "pages": results, "jobs": jobs, "crawl": crawl}, indent=2)
        )
    if not args.no_results:
        serve.write_block(args.results, "bench/run", text)
    print("Alle Ziele erfüllt." if all_met else "Nicht alle Ziele erfüllt (siehe Tabelle).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
