"""The benchmark data generator ``bench/generate``: bad input refused, the same seed gives the same data, and the
generated data keeps the invariants of the services (size S only, so that this stays fast)."""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from werkstatt.documents.models import File
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, Meeting
from werkstatt.meetings.selectors import meetings_with_minutes_visible_to
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.news.models import NewsItem
from werkstatt.organizations.models import Body, Membership, Organization, Person, Workshop
from werkstatt.participation.models import Comment, Idea, Participant, Subscription
from werkstatt.projects.models import Consultation, Milestone, Project, ProjectStatusChange
from werkstatt.projects.selectors import projects_visible_to
from werkstatt.projects.services import DATE_FIELD_OF_STATE, INITIAL_STATES
from werkstatt.projects.workflow import get_step
from werkstatt.search.models import SearchEntry
from werkstatt.search.selectors import SearchFilter, search

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "generate"


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


gen = _load_generator()
SIZE_S = gen.SIZES["S"]


# --- a database another process can use ------------------------------------------------------------------------


class OutsideDatabase:
    """The test database as the command sees it: on PostgreSQL the test database itself (the test commits), on
    SQLite (in memory for the tests) a copy in a file, made when the command is about to run."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def url(self) -> str:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with closing(sqlite3.connect(self.path)) as target:
                connection.connection.backup(target)
            return f"sqlite:///{self.path}"
        s = connection.settings_dict
        password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
        port = f":{s['PORT']}" if s["PORT"] else ""
        host = quote(s["HOST"] or "localhost", safe="")
        return f"postgres://{quote(s['USER'], safe='')}{password}@{host}{port}/{s['NAME']}"

    def counts(self) -> dict[str, int]:
        """Rows of every table."""
        if connection.vendor == "sqlite":
            with closing(sqlite3.connect(self.path)) as db:
                tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            counts = {}
            for table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
            return counts


def run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [str(SCRIPT), *args], capture_output=True, text=True, check=False, env=env, timeout=300
    )


@pytest.fixture
def outside(transactional_db: None, tmp_path: Path) -> OutsideDatabase:
    return OutsideDatabase(tmp_path / "generate.sqlite3")


# --- bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--size", "XL", "--seed", "1"], "Unbekannte Größe „XL“: erlaubt sind S, M und L."),
        (["--size", "S", "--seed", "-1"], "Der Startwert „-1“ ist keine ganze Zahl ab 0."),
        (["--size", "S", "--seed=-5"], "Der Startwert „-5“ ist keine ganze Zahl ab 0."),
        (["--size", "S", "--seed", "abc"], "Der Startwert „abc“ ist keine ganze Zahl ab 0."),
        (["--size", "S", "--seed", "1.5"], "Der Startwert „1.5“ ist keine ganze Zahl ab 0."),
        (["--size", "S"], "Aufruf: bench/generate --size S|M|L --seed N"),
        (["--size", "S", "--seed", "1", "--farbe", "rot"], "Aufruf: bench/generate --size S|M|L --seed N"),
    ],
)
def test_bad_input_is_refused_in_german_and_changes_nothing(outside, args, message):
    url = outside.url()
    before = outside.counts()
    result = run(url, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert outside.counts() == before


def test_an_unmigrated_database_is_refused(tmp_path):
    path = tmp_path / "leer.sqlite3"
    result = run(f"sqlite:///{path}", "--size", "S", "--seed", "1")
    assert result.returncode == 2
    assert "Die Datenbank ist nicht auf dem aktuellen Stand" in result.stderr
    assert "bin/werkstatt migrate" in result.stderr
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] == 0


def test_a_database_with_a_workshop_is_refused_and_kept(outside, workshop4):
    url = outside.url()
    before = outside.counts()
    result = run(url, "--size", "S", "--seed", "1", "--quiet")
    assert result.returncode == 2
    assert "Die Datenbank enthält bereits Daten (1 Prozesse, 1 Werkstätten)" in result.stderr
    assert "bin/werkstatt flush" in result.stderr
    assert outside.counts() == before


def test_the_command_generates_s_and_then_refuses_to_mix(outside):
    url = outside.url()
    result = run(url, "--size", "S", "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert "Größe S, Startwert 3" in result.stdout
    assert "projects_project" in result.stdout and "Werkstatt-Bench-2026" in result.stdout
    assert "Projekte" in result.stderr and "100%" in result.stderr  # the progress bars
    after = outside.counts()
    assert after["projects_project"] == SIZE_S.projects
    assert after["projects_milestone"] == SIZE_S.milestones

    again = run(url, "--size", "S", "--seed", "3")
    assert again.returncode == 2
    assert "Die Datenbank enthält bereits Daten" in again.stderr
    assert f"{SIZE_S.projects} Projekte" in again.stderr
    assert outside.counts() == after


# --- determinism -----------------------------------------------------------------------------------------------

DIGEST_ROWS: dict[Any, tuple[str, ...]] = {
    Workshop: ("body__name", "number", "title", "comment_moderation", "next_session_date"),
    Organization: ("body__name", "name", "short_name", "kind"),
    Person: ("title", "given_name", "family_name", "function", "email", "organization__name", "user__username"),
    Membership: ("person__email", "workshop__number", "role", "on_behalf_of__name"),
    Meeting: ("workshop__number", "number", "date", "start_time", "state", "minutes_state", "location__locality"),
    AgendaItem: ("meeting__workshop__number", "meeting__number", "number", "title", "kind", "public", "result"),
    Project: (
        "title",
        "state",
        "instrument",
        "lead_workshop__number",
        "sponsor__name",
        "contact__email",
        "municipality__ags",
        "total_cost",
        "grant",
        "latitude",
        "presented_on",
        "confirmed_on",
        "approved_on",
        "public",
        "public_finances",
        "created",
    ),
    ProjectStatusChange: ("project__title", "project__created", "from_state", "to_state", "decision_date", "note"),
    Consultation: ("project__title", "meeting__workshop__number", "meeting__number", "outcome", "authoritative"),
    Milestone: ("project__title", "kind", "planned_date", "actual_date"),
    File: ("name", "text", "public"),
    NewsItem: ("title", "date", "published"),
    Participant: ("email", "confirmed_at"),
    Idea: ("title", "workshop__number", "status", "created_at", "merged_into__title", "project__title"),
    Comment: ("body", "status", "created_at", "project__title", "meeting__number", "is_official"),
    Subscription: ("participant__email", "topic", "workshop__number", "project__title", "district__ags"),
    SearchEntry: ("kind", "title", "body"),
}


def content_digest() -> str:
    """A digest of the generated content: the rows of the main tables without keys and today's timestamps."""
    digest = hashlib.sha256()
    for model, fields in DIGEST_ROWS.items():
        rows = sorted(repr(row) for row in model.objects.values_list(*fields))
        digest.update(f"{model.__name__}:{len(rows)}\n".encode())
        for row in rows:
            digest.update(row.encode())
    return digest.hexdigest()


def generated_digest(seed: int) -> str:
    """Generate S with ``seed``, take the digest, and roll everything back."""
    with transaction.atomic():
        gen.generate(SIZE_S, seed)
        digest = content_digest()
        transaction.set_rollback(True)
    return digest


def test_the_same_size_and_seed_give_the_same_data(db):
    first = generated_digest(7)
    assert not Project.objects.exists()
    assert generated_digest(7) == first
    assert generated_digest(8) != first


# --- invariants of the generated data --------------------------------------------------------------------------


@pytest.fixture
def generated(db: None) -> dict[str, int]:
    return gen.generate(SIZE_S, 1)


def test_s_holds_the_counts_of_its_spec(generated):
    assert Body.objects.count() == SIZE_S.bodies
    assert Workshop.objects.count() == SIZE_S.bodies * SIZE_S.workshops
    for model, expected in (
        (Project, SIZE_S.projects),
        (Milestone, SIZE_S.milestones),
        (Person, SIZE_S.persons),
        (Organization, SIZE_S.organizations),
        (File, SIZE_S.documents),
        (NewsItem, SIZE_S.news),
        (Participant, SIZE_S.participants),
        (Idea, SIZE_S.ideas),
        (Comment, SIZE_S.comments),
        (Subscription, SIZE_S.subscriptions),
    ):
        assert model.objects.count() == expected, model
    assert generated["projects_project"] == SIZE_S.projects
    # Two years of sessions, about five a year per workshop, with a dozen agenda items each.
    assert 16 <= Meeting.objects.count() <= 30
    assert AgendaItem.objects.count() >= 11 * Meeting.objects.count()
    assert generated["Verlaufstabellen (simple-history)"] > 0
    assert Project.history.count() == SIZE_S.projects


def test_every_row_passes_model_validation(generated):
    for model in (Workshop, Organization, Person, Meeting, AgendaItem, Project, Consultation, Milestone, NewsItem):
        for obj in model.objects.all():
            obj.full_clean()


def test_every_status_history_is_a_path_of_the_workflow_ending_in_the_state(generated):
    projects = Project.objects.prefetch_related("status_changes__consultation__meeting")
    assert len({p.state for p in projects}) >= 5  # every stage of the pipeline, not one
    assert Consultation.objects.filter(authoritative=True).exclude(outcome="").exists()
    for project in projects:
        changes = sorted(project.status_changes.all(), key=lambda c: (c.created, c.pk))
        assert changes[0].from_state == "" and changes[0].to_state in INITIAL_STATES
        for before, change in itertools.pairwise(changes):
            assert change.from_state == before.to_state
            assert change.decision_date >= before.decision_date
            step = get_step(project.instrument, change.from_state, change.to_state)
            if step.from_session:
                consultation = change.consultation
                assert consultation is not None and consultation.authoritative
                assert consultation.project_id == project.pk
                assert consultation.meeting.state == MeetingState.HELD
                assert consultation.meeting.date == change.decision_date
                assert consultation.meeting.workshop_id == project.lead_workshop_id
            if step.needs_note:
                assert change.note
        assert changes[-1].to_state == project.state
        for state, name in DATE_FIELD_OF_STATE.items():
            first = next((c.decision_date for c in changes if c.to_state == state), None)
            assert getattr(project, name) == first, (project, name)
        if project.state == "approved":
            assert project.grant is not None


def test_sessions_are_numbered_per_workshop_and_minutes_approved_by_the_next(generated):
    for workshop in Workshop.objects.all():
        meetings = list(workshop.meetings.order_by("date"))
        assert [m.number for m in meetings] == list(range(1, len(meetings) + 1))
        for earlier, later in itertools.pairwise(meetings):
            approval = later.agenda_items.get(kind=AgendaItemKind.MINUTES_APPROVAL)
            assert approval.approves_meeting_id == earlier.pk
            if earlier.minutes_state in (MinutesState.APPROVED, MinutesState.PUBLISHED):
                assert later.state == MeetingState.HELD
                assert f"Das Protokoll der {earlier.number}. Sitzung wird bestätigt." in approval.result
            if later.state != MeetingState.HELD:
                assert not later.agenda_items.exclude(result="").exists()
        held = [m for m in meetings if m.state == MeetingState.HELD]
        assert held[-1].minutes_state == MinutesState.CIRCULATED


def test_comments_sit_where_the_public_reads(generated):
    anonymous = AnonymousUser()
    public_projects = set(projects_visible_to(anonymous).values_list("pk", flat=True))
    published = set(meetings_with_minutes_visible_to(anonymous).values_list("pk", flat=True))
    for comment in Comment.objects.all():
        assert comment.project_id in public_projects or comment.meeting_id in published
        if comment.status == "published":
            assert comment.confirmed_at is not None and comment.published_at is not None


def test_the_public_pages_of_generated_data_render_and_search_finds_it(generated, client: Client):
    meeting = Meeting.objects.filter(minutes_state=MinutesState.PUBLISHED).first()
    project = projects_visible_to(AnonymousUser()).first()
    for url in (
        reverse("portal:home"),
        reverse("portal:workshop-detail", args=[1]),
        reverse("portal:meeting-detail", args=[meeting.pk]),
        reverse("portal:project-detail", args=[project.pk]),
        reverse("portal:project-list"),
        reverse("portal:search") + "?q=Empfehlung",
    ):
        assert client.get(url).status_code == 200, url
    assert SearchEntry.objects.count() == generated["search_searchentry"]
    assert search(AnonymousUser(), SearchFilter.from_query({"q": "Empfehlung Weiterleitung"})).total > 0
    assert client.login(username="buero", password=gen.PASSWORD)


def test_generate_refuses_a_second_run_into_the_same_database(generated):
    with pytest.raises(gen.Refused, match="Die Datenbank enthält bereits Daten"):
        gen.generate(SIZE_S, 2)
    assert Project.objects.count() == SIZE_S.projects


def test_results_of_agenda_items_have_realistic_length(generated):
    presentations = AgendaItem.objects.filter(kind=AgendaItemKind.PROJECT_PRESENTATION).exclude(result="")
    lengths = [len(item.result) for item in presentations]
    assert lengths and min(lengths) >= 400 and max(lengths) <= 1400
