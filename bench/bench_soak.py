"""bench/soak: simulated users for minutes on a production-like gunicorn: 0 errors, 0 lost writes, flat memory.

    DATABASE_URL=postgres://USER@HOST/DB bench/soak [--users 50] [--duration 600] [--workers 3]
    DATABASE_URL=... bench/soak --users 10 --duration 60 --results /tmp/RESULTS.md   # a short try

Starts gunicorn as bench/run does (collectstatic with DEBUG off, DEBUG off, throwaway SECRET_KEY, loopback), with
the per-IP rate limits of the public forms raised (every simulated user comes from 127.0.0.1), creates or resets
the office login ``bench-soak`` through the accounts service, and runs locust headless from a separate process
(bench/locustfile.py: readers of the public pages and random projects and sessions, office users adding
milestones through the office form, citizens submitting ideas through the public form). Every write carries the
run's token in its title; afterwards the rows with it are counted in the database. The RSS of gunicorn's master
and workers is sampled every ``--sample`` seconds from /proc. Writes its own generated block of bench/RESULTS.md.

The soak writes to the database: the login ``bench-soak``, and the milestones and (unconfirmed) ideas of the run,
marked ``soak-<date>-<id>-…`` in their titles, stay there.
"""

from __future__ import annotations

import argparse
import csv
import json
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import serve
from serve import ROOT, BenchError

OFFICE_USERNAME = "bench-soak"
RAISED_RATE_LIMITS = {
    f"PARTICIPATION_RATE_{name}_IP": "1000000" for name in ("IDEA", "COMMENT", "SUBSCRIPTION", "MYDATA", "REPORT")
}
MEMORY_GROWTH = 0.10  # "flat": the mean RSS of the last minute at most 10 % above the first minute's


class Sampler(threading.Thread):
    def __init__(self, server: serve.Server, every: float) -> None:
        super().__init__(daemon=True)
        self.server, self.every = server, every
        self.samples: list[tuple[float, float]] = []
        self.halt = threading.Event()
        self.start_time = time.monotonic()

    def run(self) -> None:
        while not self.halt.is_set():
            self.samples.append((time.monotonic() - self.start_time, self.server.rss_mb()))
            self.halt.wait(self.every)


def read_stats(prefix: Path) -> dict[str, dict[str, str]]:
    path = Path(f"{prefix}_stats.csv")
    if not path.exists():
        raise BenchError(f"locust schrieb keine Statistik ({path}).")
    with path.open(newline="") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


WRITES = (("Meilenstein", "-m-"), ("Idee", "-i-"))


def count_writes(token: str, journal: Path) -> dict[str, dict[str, int]]:
    """Per kind of write: attempted and successful (from the users' journal) and found in the database; lost are
    the successful ones without a row (a row without a recorded success is one whose answer came after locust
    stopped the user)."""
    from werkstatt.participation.models import Idea
    from werkstatt.projects.models import Milestone

    lines = journal.read_text().split("\n") if journal.exists() else []
    events = [line.split(" ", 1) for line in lines if " " in line]
    found = set(Milestone.objects.filter(title__startswith=token).values_list("title", flat=True))
    found |= set(Idea.objects.filter(title__startswith=token).values_list("title", flat=True))
    writes = {}
    for name, infix in WRITES:
        attempted = {title for event, title in events if event == "attempt" and infix in title}
        succeeded = {title for event, title in events if event == "ok" and infix in title}
        rows = {title for title in found if infix in title}
        writes[name] = {
            "attempted": len(attempted),
            "succeeded": len(succeeded),
            "found": len(rows),
            "lost": len(succeeded - rows),
        }
    return writes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="database (default: $DATABASE_URL)")
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated users (default 50)")
    parser.add_argument("--duration", type=int, default=600, help="seconds of load (default 600)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second (default 5)")
    parser.add_argument("--wait-min", type=float, default=1, help="think time between a user's requests, min s")
    parser.add_argument("--wait-max", type=float, default=5, help="think time between a user's requests, max s")
    parser.add_argument("--office-users", type=int, default=3, help="of the users: office users (default 3)")
    parser.add_argument("--citizens", type=int, default=2, help="of the users: citizens submitting ideas (default 2)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3)")
    parser.add_argument("--sample", type=float, default=10, help="seconds between memory samples (default 10)")
    parser.add_argument("--search", default="Radweg Cottbus", help="search query among the pages")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--floor-path", default=serve.FLOOR_PATH, help=f"readiness path (default {serve.FLOOR_PATH})")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="extra server settings")
    parser.add_argument("--results", type=Path, default=serve.RESULTS, help="file to write (default bench/RESULTS.md)")
    parser.add_argument("--no-results", action="store_true", help="print only, write no file")
    parser.add_argument("--json", type=Path, help="also write every number as JSON to this file")
    args = parser.parse_args()
    if min(args.users, args.duration, args.workers) < 1 or args.sample <= 0 or args.wait_max < args.wait_min:
        raise BenchError("--users, --duration, --workers müssen ≥ 1 sein, --sample > 0, --wait-max ≥ --wait-min.")
    if min(args.office_users, args.citizens) < 0 or args.office_users + args.citizens > args.users:
        raise BenchError("--office-users + --citizens dürfen nicht mehr als --users sein.")
    locust = serve.executable("locust")
    serve.executable("gunicorn")
    db_url = serve.database_url(args.database_url)
    port = args.port or serve.free_port()
    env = serve.server_environment(db_url, port, {**RAISED_RATE_LIMITS, **serve.parse_env_options(args.env)})

    serve.setup_django_here(env)
    from django.utils import timezone

    from werkstatt.accounts.models import Role
    from werkstatt.accounts.services import user_create_or_reset
    from werkstatt.organizations.models import Workshop

    pages, picked = serve.pick_pages(args.search)
    password = secrets.token_urlsafe(24)
    user_create_or_reset(username=OFFICE_USERNAME, password=password, role=Role.OFFICE)
    token = f"soak-{timezone.localtime():%Y%m%d-%H%M}-{secrets.token_hex(3)}"
    meta = {
        "date": serve.berlin_now(),
        "command": "bench/soak " + " ".join(sys.argv[1:]),
        "machine": serve.machine(),
        "versions": serve.versions(),
        "size": serve.data_size(),
    }
    serve.collectstatic(env)
    with tempfile.TemporaryDirectory(prefix="werkstatt-bench-soak-") as tmp:
        workdir = Path(tmp)
        with serve.gunicorn(env, port, args.workers, workdir, args.floor_path) as server:
            pages |= serve.pick_oparl(server)
            serve.check_pages(server, pages)
            for _ in range(args.workers):  # every worker imports and renders each page once before the clock
                for path in pages.values():
                    serve.http_get(server.url(path))
            config = {
                "token": token,
                "pages": pages,
                "project_pks": picked["project_pks"],
                "meeting_pks": picked["meeting_pks"],
                "workshop_numbers": picked["workshop_numbers"],
                "workshop_pks": list(Workshop.objects.values_list("pk", flat=True)),
                "office_username": OFFICE_USERNAME,
                "office_password": password,
                "wait_min": args.wait_min,
                "wait_max": args.wait_max,
                "office_users": args.office_users,
                "citizens": args.citizens,
            }
            journal = workdir / "writes.txt"
            config["journal"] = str(journal)
            config_path = workdir / "soak.json"
            config_path.write_text(json.dumps(config))
            prefix = workdir / "locust"
            command = [
                locust,
                "--locustfile",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                server.base,
                "--users",
                str(args.users),
                "--spawn-rate",
                f"{args.spawn_rate:g}",
                "--run-time",
                f"{args.duration}s",
                "--stop-timeout",
                "10",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ]
            print(f"locust: {args.users} Nutzer, {args.duration} s, Token {token} …", flush=True)
            sampler = Sampler(server, args.sample)
            sampler.start()
            started = time.monotonic()
            done = subprocess.run(
                command,
                cwd=ROOT,
                env={**env, "SOAK_CONFIG": str(config_path)},
                capture_output=True,
                text=True,
                check=False,
                timeout=args.duration + 300,
            )
            elapsed = time.monotonic() - started
            sampler.halt.set()
            sampler.join()
            (workdir / "locust.out").write_text(done.stdout + done.stderr)
            stats = read_stats(prefix)
            failures = Path(f"{prefix}_failures.csv")
            failure_text = failures.read_text() if failures.exists() else ""
            gunicorn_log = server.log_tail(30)
            writes = count_writes(token, journal)
    result = summarize(stats, writes, sampler.samples, elapsed)
    text = report(args, meta, result, token)
    print()
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "result": result, "token": token}, indent=2, default=str))
    if not args.no_results:
        serve.write_block(args.results, "bench/soak", text)
    if result["errors"] or result["lost_writes"]:
        print(done.stdout[-3000:] + done.stderr[-3000:])
        print(failure_text[-3000:])
        print(gunicorn_log)
        raise BenchError(f"{result['errors']} Fehler, {result['lost_writes']} verlorene Schreibvorgänge.")
    if done.returncode not in (0, 1):  # 1: locust saw failures, reported above
        raise BenchError(f"locust endete mit Status {done.returncode}:\n{done.stderr[-3000:]}")
    return 0


def summarize(
    stats: dict[str, dict[str, str]],
    writes: dict[str, dict[str, int]],
    samples: list[tuple[float, float]],
    elapsed: float,
) -> dict[str, Any]:
    total = stats["Aggregated"]
    lost = sum(w["lost"] for w in writes.values())
    window = min(60.0, elapsed / 4)
    first = [rss for t, rss in samples if t <= window] or [samples[0][1]]
    last = [rss for t, rss in samples if t >= elapsed - window] or [samples[-1][1]]
    first_mb, last_mb = statistics.mean(first), statistics.mean(last)
    return {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "median_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "writes": writes,
        "lost_writes": lost,
        "memory_window_s": window,
        "memory_first_mb": first_mb,
        "memory_last_mb": last_mb,
        "memory_max_mb": max(rss for _t, rss in samples),
        "memory_samples": len(samples),
        "memory_flat": last_mb <= first_mb * (1 + MEMORY_GROWTH),
        "seconds": elapsed,
        "per_name": {
            name: (int(row["Request Count"]), int(row["Failure Count"]), float(row["50%"]), float(row["95%"]))
            for name, row in stats.items()
            if name != "Aggregated"
        },
    }


def report(args: argparse.Namespace, meta: dict[str, Any], r: dict[str, Any], token: str) -> str:
    v, m = meta["versions"], meta["machine"]
    size = ", ".join(f"{label} {count:,}".replace(",", ".") for label, count in meta["size"])
    write_rows = [
        [name, str(w["attempted"]), str(w["succeeded"]), str(w["found"]), str(w["lost"])]
        for name, w in r["writes"].items()
    ]
    page_rows = [
        [name, str(count), str(fails), f"{median:.0f}", f"{p95:.0f}"]
        for name, (count, fails, median, p95) in sorted(r["per_name"].items(), key=lambda kv: -kv[1][0])
    ]
    ok = not r["errors"] and not r["lost_writes"] and r["memory_flat"]
    rate_limits = ", ".join(sorted(RAISED_RATE_LIMITS))
    return f"""## Dauerlast (bench/soak)

Erzeugt am {meta["date"]} mit `{meta["command"]}`.

- Rechner: {m["cpu"]}, {m["cores"]} Kerne, {m["ram"]} RAM; Last vor dem Lauf (loadavg 1 min): {m["load"]}
- Software: Python {v["python"]}, Django {v["django"]}, {v["database"]}, gunicorn {v["gunicorn"]} ({args.workers}
  Sync-Worker, DEBUG aus), locust (headless, eigener Prozess), alles auf 127.0.0.1
- Daten: {size}
- {args.users} simulierte Nutzer ({args.users - args.office_users - args.citizens} Lesende, {args.office_users} aus der
  Geschäftsstelle, {args.citizens} Bürgerinnen und Bürger mit Ideen), Denkpause
  {args.wait_min:g}–{args.wait_max:g} s, {r["seconds"]:.0f} s Last. Die Geschäftsstelle meldet sich an und legt
  Meilensteine über das Büro-Formular an, Bürgerinnen und Bürger reichen Ideen über das öffentliche Formular ein
  (jeweils mit CSRF). Weil alle Anfragen von 127.0.0.1 kommen, liefen die Grenzen je IP-Adresse der Formulare
  hochgesetzt: {rate_limits}=1000000.
- Token der Schreibvorgänge: `{token}`

| Anfragen | Fehler | Anfragen/s | Median (ms) | p95 (ms) | p99 (ms) |
|---|---|---|---|---|---|
| {r["requests"]} | {r["errors"]} | {r["rps"]:.1f} | {r["median_ms"]:.0f} | {r["p95_ms"]:.0f} | {r["p99_ms"]:.0f} |

Schreibvorgänge, je Titel verglichen: versucht, mit der Erfolgs-Weiterleitung beantwortet, danach in der Datenbank
gefunden, verloren (erfolgreich beantwortet, aber keine Zeile); verloren insgesamt: {r["lost_writes"]}.
Mehr gefunden als erfolgreich: Antworten, die erst nach dem Stopp der Nutzer kamen.

{serve.table(["Schreibvorgang", "versucht", "erfolgreich", "gefunden", "verloren"], write_rows)}

Speicher von gunicorn (RSS Master + Worker, alle {args.sample:g} s aus /proc, {r["memory_samples"]} Proben):
erste {r["memory_window_s"]:.0f} s im Mittel {r["memory_first_mb"]:.0f} MB, letzte {r["memory_window_s"]:.0f} s
{r["memory_last_mb"]:.0f} MB, höchstens {r["memory_max_mb"]:.0f} MB; flach (≤ {MEMORY_GROWTH:.0%} Zuwachs):
{"ja" if r["memory_flat"] else "**nein**"}.

<details><summary>Je Anfrageart</summary>

{serve.table(["Name", "Anfragen", "Fehler", "Median (ms)", "p95 (ms)"], page_rows)}

</details>

0 Fehler, 0 verlorene Schreibvorgänge, Speicher flach: {"ja" if ok else "**nein**"}
"""


if __name__ == "__main__":
    raise SystemExit(main())
