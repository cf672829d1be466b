"""Several app servers against one database (docs/operations.md, "Several app servers"): two real gunicorn servers
on loopback, with the project's nginx configuration (deploy/nginx/werkstatt.conf) in front of both, share one
database with the demo data. A write through one is seen through the other, a login holds when the next request
goes to the other server, and a cached public page is made stale on both by a write through either."""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.backup_support import ROOT, scratch_database
from werkstatt.core import pagecache
from werkstatt.demo.management.commands.load_demo import DEMO_PASSWORD, DEMO_USERNAME

pytestmark = pytest.mark.django_db(transaction=True)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Browser:
    """An HTTP client with its own cookies (one person), talking to whichever server it is given."""

    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def request(
        self, url: str, data: dict[str, str] | None = None, referer: str = ""
    ) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # The public host name on every request, as nginx passes it on (proxy_set_header Host): the same pages on
        # every server, whichever port the test reaches it on.
        headers = {
            "Host": "localhost",
            **({"Referer": referer.replace(url.split("/")[2], "localhost")} if referer else {}),
        }
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def get(self, url: str) -> tuple[int, dict[str, str], str]:
        return self.request(url)

    def post_form(self, form_url: str, action_url: str, fields: dict[str, str]) -> tuple[int, dict[str, str], str]:
        status, _headers, html = self.get(form_url)
        assert status == 200, (form_url, status)
        token = CSRF.search(html)
        assert token, f"no form token on {form_url}"
        return self.request(action_url, {"csrfmiddlewaretoken": token.group(1), **fields}, referer=form_url)


def wait_until_up(url: str, process: subprocess.Popen[bytes] | None, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what} stopped at start with exit code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{what} did not answer {url} within {seconds} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


@dataclass
class Cluster:
    a: str
    b: str
    proxy: str


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    with scratch_database(tmp_path) as scratch:
        env = {
            **os.environ,
            "DATABASE_URL": scratch.url,
            "MEDIA_ROOT": str(tmp_path / "media"),  # one shared directory, as on an NFS volume
            "PAGE_CACHE_SECONDS": "300",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_COOKIES": "0",
        }
        for command in (["migrate", "--noinput", "-v", "0"], ["load_demo"]):
            done = subprocess.run(  # noqa: S603
                [sys.executable, str(ROOT / "manage.py"), *command],
                env=env,
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=600,
                check=False,
            )
            assert done.returncode == 0, done.stderr[-2000:]
        processes: list[subprocess.Popen[bytes]] = []
        try:
            ports = {}
            for name in ("a", "b"):
                ports[name] = free_port()
                processes.append(
                    subprocess.Popen(  # noqa: S603
                        [
                            sys.executable,
                            "-m",
                            "gunicorn",
                            "config.wsgi:application",
                            "--bind",
                            f"127.0.0.1:{ports[name]}",
                            "--workers",
                            "2",
                            "--log-level",
                            "warning",
                        ],
                        env={**env, "WERKSTATT_SERVER_NAME": name},
                        cwd=ROOT,
                        stdout=subprocess.DEVNULL,
                        stderr=(tmp_path / f"gunicorn-{name}.log").open("wb"),
                        start_new_session=True,
                    )
                )
            proxy_port = free_port()
            config = tmp_path / "nginx.conf"
            config.write_text(nginx_config(tmp_path, proxy_port, list(ports.values())))
            checked = subprocess.run([NGINX, "-t", "-c", str(config)], capture_output=True, text=True, check=False)  # noqa: S603
            assert checked.returncode == 0, checked.stderr
            processes.append(
                subprocess.Popen(  # noqa: S603
                    [NGINX, "-c", str(config)],
                    stdout=subprocess.DEVNULL,
                    stderr=(tmp_path / "nginx.stderr").open("wb"),
                    start_new_session=True,
                )
            )
            cluster = Cluster(
                a=f"http://127.0.0.1:{ports['a']}",
                b=f"http://127.0.0.1:{ports['b']}",
                proxy=f"http://127.0.0.1:{proxy_port}",
            )
            for url, process, what in (
                (cluster.a, processes[0], "app server A"),
                (cluster.b, processes[1], "app server B"),
                (cluster.proxy, processes[2], "nginx"),
            ):
                wait_until_up(url + "/health/live/", process, what)
            yield cluster
        finally:
            for process in processes:
                stop(process)


def nginx_config(folder: Path, port: int, app_ports: list[int]) -> str:
    """The shipped site configuration with its placeholders filled in, inside a minimal nginx.conf of the test."""
    values = {
        "WERKSTATT_APP_SERVERS": "\n    ".join(
            f"server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in app_ports
        ),
        "WERKSTATT_LISTEN": f"127.0.0.1:{port}",
        "WERKSTATT_SERVER_NAME": "localhost",
        "WERKSTATT_MEDIA_ROOT": str(folder / "media"),
    }
    # Like `envsubst '${WERKSTATT_...}'`: only these names; nginx's own $variables stay.
    site = re.sub(
        r"\$\{(WERKSTATT_[A-Z_]+)\}", lambda m: values[m.group(1)], (ROOT / "deploy/nginx/werkstatt.conf").read_text()
    )
    temp = {name: folder / f"nginx-{name}" for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'nginx-error.log'};\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"  access_log {folder / 'nginx-access.log'};\n"
        f"  client_body_temp_path {temp['body']};\n  proxy_temp_path {temp['proxy']};\n"
        f"  fastcgi_temp_path {temp['fastcgi']};\n  uwsgi_temp_path {temp['uwsgi']};\n"
        f"  scgi_temp_path {temp['scgi']};\n"
        f"{site}\n}}\n"
    )


def cache_state(headers: dict[str, str]) -> str:
    return headers.get(pagecache.HEADER, "")


def log_in(browser: Browser, server: str) -> None:
    status, headers, _ = browser.post_form(
        server + "/konto/anmelden/",
        server + "/konto/anmelden/",
        {"username": DEMO_USERNAME, "password": DEMO_PASSWORD},
    )
    assert status == 302, status
    assert headers["Location"].startswith("/office/"), headers["Location"]


def test_two_app_servers_behind_nginx_share_writes_logins_and_the_page_cache(cluster: Cluster) -> None:
    # Through nginx both servers answer, each ready (database and shared cache).
    seen = set()
    for _ in range(8):
        status, _headers, body = Browser().get(cluster.proxy + "/health/")
        assert status == 200
        answer = json.loads(body)
        assert answer["status"] == "ok"
        seen.add(answer["server"])
    assert seen == {"a", "b"}

    # The page cache is shared: rendered on A, served by B.
    workshop = "/werkstaetten/4/"
    assert cache_state(Browser().get(cluster.a + workshop)[1]) == "miss"
    assert cache_state(Browser().get(cluster.b + workshop)[1]) == "hit"
    status, _headers, register = Browser().get(cluster.a + "/projekte/")
    assert status == 200
    project = re.search(r'href="/projekte/(\d+)/"', register)
    assert project, "no public project in the register"
    project_path = f"/projekte/{project.group(1)}/"
    before_status, _before_headers, before = Browser().get(cluster.b + project_path)
    assert before_status == 200
    assert cache_state(Browser().get(cluster.a + project_path)[1]) == "hit"

    # Logged in on A, the same cookies work on B.
    office = Browser()
    log_in(office, cluster.a)
    status, _headers, dashboard = office.get(cluster.b + "/office/")
    assert status == 200
    assert "Arbeitsbereich" in dashboard

    # A write through B (a milestone through the office form) ...
    title = f"Spatenstich Mehrserver-Test {uuid.uuid4().hex[:8]}"
    office_project = f"/office/projekte/{project.group(1)}/"
    status, headers, _ = office.post_form(
        cluster.b + office_project,
        cluster.b + office_project + "meilensteine/",
        {
            "meilenstein-kind": "other",
            "meilenstein-title": title,
            "meilenstein-planned_date": "2031-05-04",
            "meilenstein-note": "",
        },
    )
    assert status == 302, status
    assert headers["Location"].endswith(office_project + "#meilensteine")
    assert title not in before
    # ... is seen through A and through nginx, and the cached pages are stale on both servers.
    for server in (cluster.a, cluster.b, cluster.proxy):
        status, headers, page = Browser().get(server + project_path)
        assert status == 200
        assert title in page, server
    status, headers, _ = Browser().get(cluster.b + workshop)
    assert cache_state(headers) == "miss"
    assert cache_state(Browser().get(cluster.a + workshop)[1]) == "hit"

    # Logged out on B: the session ends on A as well.
    status, headers, _ = office.post_form(cluster.b + "/office/", cluster.b + "/konto/abmelden/", {})
    assert status == 302
    status, headers, _ = office.get(cluster.a + "/office/")
    assert status == 302
    assert "/konto/anmelden/" in headers["Location"]
