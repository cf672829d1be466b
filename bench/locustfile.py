"""The simulated users of bench/soak (locust; started by bench/bench_soak.py, which writes the JSON file named by
SOAK_CONFIG: the host's pages, public projects and sessions, the office login and the run's token).

- Reader (most): the public pages of bench/run and random public projects and sessions, the map data, OParl.
- Office: logs in once, opens projects in the office, and adds a milestone through the office form (with CSRF);
  its title carries the run's token, so bench/soak can count the rows afterwards.
- Citizen: reads the public ideas and submits an idea through the public form; its title carries the token too.

A write counts as done only when the server answers with the redirect of success (to the project's milestones,
to the "submitted" page); anything else, e.g. a redirect to the login, is a failure.
Only for bench/soak: locust is not a dependency of the app or the tests (bench/requirements.txt).
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

CONFIG: dict[str, Any] = json.loads(Path(os.environ["SOAK_CONFIG"]).read_text())
WAIT = between(CONFIG["wait_min"], CONFIG["wait_max"])
TOKEN: str = CONFIG["token"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DESCRIPTION = (
    "Zwischen den Ortsteilen fehlt ein sicherer Radweg. Kinder fahren auf der Landstraße zur Schule, und im "
    "Berufsverkehr ist das gefährlich. Ein Radweg entlang der alten Bahntrasse wäre kurz und günstig."
)


JOURNAL = Path(CONFIG["journal"])


def journal(event: str, title: str) -> None:
    """One line per write attempt and per success: bench/soak compares the successes with the rows it finds."""
    with JOURNAL.open("a") as handle:
        handle.write(f"{event} {title}\n")


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


class Reader(HttpUser):
    weight = 1  # every user that is not an office user or a citizen
    wait_time = WAIT

    @task(10)
    def fixed_page(self) -> None:
        name, path = random.choice(list(CONFIG["pages"].items()))
        self.client.get(path, name=name)

    @task(6)
    def project(self) -> None:
        self.client.get(f"/projekte/{random.choice(CONFIG['project_pks'])}/", name="Projekt (zufällig)")

    @task(4)
    def session(self) -> None:
        self.client.get(f"/sitzungen/{random.choice(CONFIG['meeting_pks'])}/", name="Sitzung (zufällig)")

    @task(2)
    def workshop(self) -> None:
        self.client.get(f"/werkstaetten/{random.choice(CONFIG['workshop_numbers'])}/", name="Werkstatt (zufällig)")


class Office(HttpUser):
    fixed_count = CONFIG["office_users"]
    wait_time = WAIT

    def on_start(self) -> None:
        page = self.client.get("/konto/anmelden/", name="Anmelden (Formular)")
        with self.client.post(
            "/konto/anmelden/",
            data={
                "username": CONFIG["office_username"],
                "password": CONFIG["office_password"],
                "csrfmiddlewaretoken": csrf_token(page.text),
            },
            headers={"Referer": self.host + "/konto/anmelden/"},
            allow_redirects=False,
            catch_response=True,
            name="Anmelden",
        ) as response:
            if response.status_code != 302 or "/anmelden/" in response.headers.get("Location", ""):
                response.failure(f"Anmeldung gescheitert: HTTP {response.status_code}")

    @task(4)
    def office_project(self) -> None:
        self.client.get(f"/office/projekte/{random.choice(CONFIG['project_pks'])}/", name="Büro: Projekt")

    @task(2)
    def office_dashboard(self) -> None:
        self.client.get("/office/", name="Büro: Übersicht")

    @task(1)
    def add_milestone(self) -> None:
        pk = random.choice(CONFIG["project_pks"])
        page = self.client.get(f"/office/projekte/{pk}/", name="Büro: Projekt")
        title = f"{TOKEN}-m-{uuid.uuid4().hex[:12]}"
        journal("attempt", title)
        with self.client.post(
            f"/office/projekte/{pk}/meilensteine/",
            data={
                "csrfmiddlewaretoken": csrf_token(page.text),
                "meilenstein-kind": "other",
                "meilenstein-title": title,
                "meilenstein-planned_date": "2031-05-04",
                "meilenstein-note": "Lasttest",
            },
            headers={"Referer": f"{self.host}/office/projekte/{pk}/"},
            allow_redirects=False,
            catch_response=True,
            name="SCHREIBEN Meilenstein",
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not location.endswith(f"/office/projekte/{pk}/#meilensteine"):
                response.failure(f"Meilenstein nicht gespeichert: HTTP {response.status_code} {location}")
            else:
                journal("ok", title)


class Citizen(HttpUser):
    fixed_count = CONFIG["citizens"]
    wait_time = WAIT

    @task(3)
    def ideas(self) -> None:
        self.client.get("/mitmachen/ideen/", name="Ideen")

    @task(1)
    def submit_idea(self) -> None:
        page = self.client.get("/mitmachen/ideen/neu/", name="Idee (Formular)")
        mark = uuid.uuid4().hex[:12]
        title = f"{TOKEN}-i-{mark}"
        journal("attempt", title)
        with self.client.post(
            "/mitmachen/ideen/neu/",
            data={
                "csrfmiddlewaretoken": csrf_token(page.text),
                "workshop": random.choice(CONFIG["workshop_pks"]),
                "title": title,
                "description": DESCRIPTION,
                "municipality": "",
                "email": f"soak-{mark}@example.org",
                "website": "",
            },
            headers={"Referer": self.host + "/mitmachen/ideen/neu/"},
            allow_redirects=False,
            catch_response=True,
            name="SCHREIBEN Idee",
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "/mitmachen/ideen/eingereicht/" not in location:
                response.failure(f"Idee nicht angenommen: HTTP {response.status_code} {location}")
            else:
                journal("ok", title)
