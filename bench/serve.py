"""What bench/run and bench/soak share: the production-like gunicorn on loopback, the pages to measure, the
machine and data description, and the generated blocks of bench/RESULTS.md.

The server runs like production (DEBUG off, whitenoise's manifest from a ``collectstatic`` with DEBUG off,
persistent database connections) with a throwaway SECRET_KEY, ALLOWED_HOSTS=127.0.0.1 and cookies allowed over
plain HTTP (SECURE_COOKIES=0, loopback only). The database is the one of DATABASE_URL; nothing here names one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
# The floor: a minimal Django view on the same server (plain "ok", no database), measured like every page.
FLOOR_PATH = "/health/live/"


class BenchError(SystemExit):
    """A clear message and exit status 1: something the user has to fix, or a measurement that failed."""

    def __init__(self, message: str) -> None:
        super().__init__(f"FEHLER: {message}")


def python() -> str:
    return sys.executable


def executable(name: str) -> str:
    """A program of the venv (gunicorn, locust) or from PATH (wrk), or a clear error."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        hints = {
            "wrk": "apt-get install wrk",
            "gunicorn": ".venv/bin/pip install -r requirements.txt",
            "locust": ".venv/bin/pip install -r bench/requirements.txt",
        }
        raise BenchError(f"{name} nicht gefunden ({hints.get(name, 'bitte installieren')}).")
    return found


def database_url(given: str | None) -> str:
    url = given or os.environ.get("DATABASE_URL", "")
    if not url:
        raise BenchError(
            "DATABASE_URL fehlt: bitte die Datenbank angeben, z. B. "
            "DATABASE_URL=postgres://USER@HOST/DATENBANK bench/run (oder --database-url)."
        )
    import dj_database_url

    try:
        dj_database_url.parse(url)
    except Exception as error:
        raise BenchError(f"DATABASE_URL ist keine Datenbank-URL: {error}") from error
    if not url.startswith(("postgres://", "postgresql://")):
        print(f"Hinweis: {url.split(':', 1)[0]} ist nicht PostgreSQL; die Zahlen sind nicht die der Ziele.")
    return url


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_environment(db_url: str, port: int, extra: dict[str, str]) -> dict[str, str]:
    """The environment of gunicorn, collectstatic and the in-process benchmarks: the caller's environment with
    the production-like settings on top, then ``extra`` (``--env KEY=VALUE``)."""
    env = dict(os.environ)
    for name in ("STATICFILES_STORAGE", "DJANGO_DEBUG"):
        env.pop(name, None)  # production default: whitenoise's compressed manifest storage
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=db_url,
        DEBUG="0",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",
        WERKSTATT_BASE_URL=f"http://127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def parse_env_options(values: list[str]) -> dict[str, str]:
    extra = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name:
            raise BenchError(f"--env erwartet NAME=WERT, nicht „{value}“.")
        extra[name] = setting
    return extra


def setup_django_here(env: dict[str, str]) -> None:
    """Django in this process with the server's settings (to pick pages and count rows; nothing is written
    unless a caller writes through a service)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:  # any connection problem: say which database
        raise BenchError(f"Datenbank nicht erreichbar ({connection.settings_dict.get('NAME')}): {error}") from error
    if pending:
        raise BenchError(
            f"Die Datenbank ist nicht auf dem Stand des Codes ({len(pending)} Migrationen offen): "
            "erst `manage.py migrate` (bench/run und bench/soak ändern kein Schema)."
        )


def collectstatic(env: dict[str, str]) -> None:
    print("collectstatic (DEBUG aus, Manifest von whitenoise) …", flush=True)
    done = subprocess.run(
        [python(), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"collectstatic ist gescheitert:\n{done.stdout}{done.stderr}")


@dataclass
class Server:
    """A running gunicorn in its own process group."""

    process: subprocess.Popen[bytes]
    port: int
    workers: int
    log: Path
    base: str = field(init=False)

    def __post_init__(self) -> None:
        self.base = f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def pids(self) -> list[int]:
        """The master and its workers (children read from /proc)."""
        master = self.process.pid
        found = [master]
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...; comm may contain spaces, so split after the last ")"
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(entry.name))
        return found

    def rss_mb(self) -> float:
        total = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                continue
        return total / 1024


def http_get(url: str, timeout: float = 30, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url)  # noqa: S310 - loopback server started here
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            if headers is not None:
                headers.update(response.headers.items())
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int, logdir: Path, wait_path: str) -> Iterator[Server]:
    """Start gunicorn on 127.0.0.1:port, wait until ``wait_path`` answers (any HTTP status: the caller checks
    the pages it needs), yield it, and always stop the whole process group."""
    log = logdir / "gunicorn.log"
    command = [
        executable("gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--chdir",
        str(ROOT),
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process, port, workers, log)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise BenchError(f"gunicorn hat sich beendet (Status {process.returncode}):\n{server.log_tail()}")
            try:
                http_get(server.url(wait_path), timeout=5)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise BenchError(f"gunicorn antwortet nicht nach 90 s:\n{server.log_tail()}") from None
                time.sleep(0.3)
        print(f"gunicorn läuft: {server.base} mit {workers} Workern (PID {process.pid})", flush=True)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


CACHE_HEADER = "X-Werkstatt-Cache"  # werkstatt.core.pagecache: whether the page came from the page cache


def check_pages(server: Server, pages: dict[str, str]) -> dict[str, str]:
    """Two GETs of every page before measuring: each must answer 200, or the run stops here. Returns per page the
    page cache's header of the second answer ("–" without one)."""
    failed = []
    cache = {}
    for name, path in pages.items():
        headers: dict[str, str] = {}
        try:
            http_get(server.url(path))
            status, body = http_get(server.url(path), headers=headers)
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            failed.append(f"{name} {path}: {error}")
            continue
        if status != 200:
            failed.append(f"{name} {path}: HTTP {status} {body[:120]!r}")
        cache[name] = next((v for k, v in headers.items() if k.lower() == CACHE_HEADER.lower()), "–")
    if failed:
        raise BenchError("Seiten antworten nicht mit 200:\n  " + "\n  ".join(failed) + "\n" + server.log_tail(20))
    return cache


# --- the pages --------------------------------------------------------------------------------------------------


def _middle(queryset: Any) -> Any:
    """The row in the middle of ``queryset`` (ordered by size): a page of typical size."""
    count = queryset.count()
    return queryset[count // 2] if count else None


def pick_pages(search_query: str) -> tuple[dict[str, str], dict[str, Any]]:
    """The public pages to measure, chosen from the database through the public selectors (anonymous reader):
    the workshop, session and project of typical size (the middle one ordered by sessions, agenda items and
    milestones). Returns the paths by name and what was picked (for the results and the soak)."""
    from urllib.parse import urlencode

    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count
    from django.urls import reverse

    from werkstatt.meetings.selectors import meetings_with_minutes_visible_to
    from werkstatt.organizations.selectors import workshop_list
    from werkstatt.projects.selectors import projects_visible_to

    anonymous = AnonymousUser()
    workshop = _middle(workshop_list(anonymous).annotate(size=Count("meetings")).order_by("size", "pk"))
    meetings = meetings_with_minutes_visible_to(anonymous)
    meeting = _middle(meetings.annotate(size=Count("agenda_items")).order_by("size", "pk"))
    projects = projects_visible_to(anonymous)
    project = _middle(projects.annotate(size=Count("milestones")).order_by("size", "pk"))
    missing = [name for name, row in (("Werkstatt", workshop), ("Sitzung", meeting), ("Projekt", project)) if not row]
    if missing:
        raise BenchError(f"Keine öffentlichen Daten in der Datenbank ({', '.join(missing)}): erst Daten laden.")
    state = projects.values("state").annotate(n=Count("pk")).order_by("-n", "state").first()
    register_filter = {"werkstatt": workshop.number, "stand": state["state"] if state else ""}
    pages = {
        "Startseite": reverse("portal:home"),
        "Werkstatt": reverse("portal:workshop-detail", args=[workshop.number]),
        "Sitzung": reverse("portal:meeting-detail", args=[meeting.pk]),
        "Projektregister": reverse("portal:project-list"),
        "Projektregister gefiltert": reverse("portal:project-list") + "?" + urlencode(register_filter),
        "Projekt": reverse("portal:project-detail", args=[project.pk]),
        "Suche": reverse("portal:search") + "?" + urlencode({"q": search_query}),
        "Kartendaten": reverse("portal:map-data"),
        "iCal (alle Termine)": reverse("exports:calendar-all"),
    }
    picked = {
        "workshop": workshop.number,
        "meeting": meeting.pk,
        "project": project.pk,
        "project_pks": list(projects.order_by("?").values_list("pk", flat=True)[:300]),
        "meeting_pks": list(meetings.order_by("?").values_list("pk", flat=True)[:300]),
        "workshop_numbers": [w.number for w in workshop_list(anonymous)],
    }
    return pages, picked


def pick_oparl(server: Server) -> dict[str, str]:
    """An OParl list (the first page of the body's sessions, as a mirror starts) and one object (a session)."""
    status, content = http_get(server.url("/oparl/v1.1/body"))
    if status != 200:
        raise BenchError(f"OParl /body: HTTP {status}")
    body = json.loads(content)["data"][0]
    meetings = body["meeting"]
    status, content = http_get(meetings)
    if status != 200:
        raise BenchError(f"OParl {meetings}: HTTP {status}")
    data = json.loads(content)["data"]
    if not data:
        raise BenchError("OParl: die Liste der Sitzungen ist leer.")
    obj = data[len(data) // 2]["id"]
    return {
        "OParl-Liste (Sitzungen, Seite 1)": meetings.removeprefix(server.base),
        "OParl-Objekt (Sitzung)": obj.removeprefix(server.base),
    }


# --- machine, data, results -------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unbekannt"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unbekannt"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    load = os.getloadavg()[0]
    if load > 0.5:
        print(f"Warnung: der Rechner ist nicht still (loadavg {load:.2f}); die Zahlen schwanken dann.", flush=True)
    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram": ram, "os": platform.platform(), "load": f"{load:.2f}"}


def versions() -> dict[str, str]:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = "PostgreSQL " + cursor.fetchone()[0].split()[0]
        else:
            database = connection.vendor
    gunicorn_version = subprocess.run(
        [executable("gunicorn"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database,
        "gunicorn": gunicorn_version.removeprefix("gunicorn ").strip("() ").replace("version ", ""),
    }


DATA_TABLES = (
    ("organizations", "Body", "Prozesse"),
    ("organizations", "Workshop", "Werkstätten"),
    ("meetings", "Meeting", "Sitzungen"),
    ("meetings", "AgendaItem", "TOPs"),
    ("projects", "Project", "Projekte"),
    ("projects", "ProjectStatusChange", "Statuswechsel"),
    ("projects", "Milestone", "Meilensteine"),
    ("projects", "Consultation", "Beratungen"),
    ("organizations", "Person", "Personen"),
    ("organizations", "Organization", "Organisationen"),
    ("documents", "File", "Dateien"),
    ("news", "NewsItem", "Neuigkeiten"),
    ("participation", "Idea", "Ideen"),
    ("participation", "Comment", "Kommentare"),
    ("participation", "Subscription", "Abonnements"),
)


def data_size() -> list[tuple[str, int]]:
    from django.apps import apps

    sizes = []
    for app, model, label in DATA_TABLES:
        try:
            sizes.append((label, apps.get_model(app, model).objects.count()))
        except LookupError:
            continue
    return sizes


def berlin_now() -> str:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Europe/Berlin")).strftime("%d.%m.%Y, %H:%M Uhr")


def write_block(path: Path, name: str, text: str) -> None:
    """Replace the generated block ``name`` of ``path`` (between its markers), or append it; everything outside
    the markers (the hand-written explanations) stays as it is."""
    begin = f"<!-- BEGIN generated by {name}: do not edit, re-run {name} -->"
    end = f"<!-- END generated by {name} -->"
    block = f"{begin}\n{text.rstrip()}\n{end}"
    old = path.read_text() if path.exists() else "# Benchmark results\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    new = pattern.sub(lambda _m: block, old) if pattern.search(old) else old.rstrip() + "\n\n" + block + "\n"
    path.write_text(new)
    print(f"geschrieben: {path} (Block {name})")


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
