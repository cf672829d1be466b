"""Shared fixtures: factories, the named personas, the demo data and the browser set-up.

Personas, as in Healthchecks' ``hc/test.py``: ``office_user`` runs everything,
``speaker_w4`` chairs Werkstatt 4, ``delegate_w2`` sits in Werkstatt 2 for an
organisation, ``anonymous`` is the public.
"""

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from tests.factories import (
    PASSWORD,
    BodyFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    WorkshopFactory,
)
from werkstatt.accounts.models import Role
from werkstatt.accounts.services import user_create_or_reset
from werkstatt.demo.loader import demo_load
from werkstatt.organizations.models import MembershipRole

# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

AXE_SCRIPT = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    """Hashing with the production hasher costs half a second per user; tests do not need that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _page_cache_off(settings: Any) -> None:
    """Pages are rendered afresh in tests, so query counts and texts show the views. The page cache has its own
    tests (tests/test_page_cache.py, tests/test_multi_server.py), which switch it on."""
    settings.WERKSTATT_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Stored files (uploads, generated status reports) land in a throwaway folder, never in the work tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


# --- the process and its workshops -------------------------------------------------------------


@pytest.fixture
def body(db: None) -> Any:
    """The default process (settings.WERKSTATT_BODY_NAME)."""
    return BodyFactory()


@pytest.fixture
def workshop4(body: Any) -> Any:
    return WorkshopFactory(body=body, number=4, title="Daseinsvorsorge, ländliche Entwicklung & “smart regions”")


@pytest.fixture
def workshop2(body: Any) -> Any:
    return WorkshopFactory(body=body, number=2, title="Innovation und Digitalisierung")


# --- personas ------------------------------------------------------------------------------------


@pytest.fixture
def office_user(db: None) -> Any:
    """A project manager of the office, created the way real office logins are."""
    return user_create_or_reset(
        username="geschaeftsstelle",
        password=PASSWORD,
        role=Role.OFFICE,
        first_name="Gesa",
        last_name="Geschäftsstelle",
        email="geschaeftsstelle@example.org",
    )


@pytest.fixture
def bank_user(db: None) -> Any:
    """A member of staff of the bank's Lausitz office (ILB)."""
    return user_create_or_reset(
        username="foerderbank", password=PASSWORD, role=Role.BANK, first_name="Bea", last_name="Bank"
    )


@pytest.fixture
def chancellery_user(db: None) -> Any:
    """A member of staff of the State Chancellery (Lausitz commissioner's office)."""
    return user_create_or_reset(
        username="staatskanzlei", password=PASSWORD, role=Role.CHANCELLERY, first_name="Stefan", last_name="Kanzlei"
    )


@pytest.fixture
def speaker_w4(workshop4: Any) -> Any:
    """The login of the person who is speaker (Werkstattsprecher) of Werkstatt 4."""
    user = UserFactory(username="sprecher-w4", first_name="Sven", last_name="Sprecher")
    person = PersonFactory(body=workshop4.body, given_name="Sven", family_name="Sprecher", user=user)
    MembershipFactory(person=person, workshop=workshop4, role=MembershipRole.SPEAKER)
    return user


@pytest.fixture
def delegate_w2(workshop2: Any) -> Any:
    """The login of a person delegated to Werkstatt 2 by a member organisation."""
    organization = OrganizationFactory(body=workshop2.body, name="Industrie- und Handelskammer Cottbus")
    user = UserFactory(username="delegierte-w2", first_name="Dana", last_name="Delegierte")
    person = PersonFactory(
        body=workshop2.body, given_name="Dana", family_name="Delegierte", user=user, organization=organization
    )
    MembershipFactory(person=person, workshop=workshop2, role=MembershipRole.DELEGATE, on_behalf_of=organization)
    return user


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()


# --- counting rows --------------------------------------------------------------------------------

WERKSTATT_APPS = frozenset(
    {"accounts", "documents", "geo", "importers", "meetings", "news", "organizations", "projects"}
)


def count_rows() -> dict[str, int]:
    """Rows per model of the Werkstatt apps, history models and many-to-many tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in WERKSTATT_APPS
    }


@pytest.fixture
def row_counts(db: None) -> Callable[[], dict[str, int]]:
    """``row_counts()`` snapshots every Werkstatt table, to prove that a refused or repeated write changed nothing."""
    return count_rows


# --- demo data -----------------------------------------------------------------------------------


@pytest.fixture
def demo(db: None) -> Any:
    """Load both seed documents through the demo loader; returns its report."""
    return demo_load()


# --- browser (pytest-playwright with Debian's chromium) -------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """``playwright install`` cannot download here: launch the system chromium instead."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """Pages see a German browser in Berlin, as the people using Werkstatt do."""
    return {**browser_context_args, "locale": "de-DE", "timezone_id": "Europe/Berlin"}


@functools.cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def _describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core meldet {len(violations)} Verstoß/Verstöße gegen WCAG 2.1 AA auf {url}:"]
    for violation in violations:
        targets = [" ".join(str(part) for part in node["target"]) for node in violation.get("nodes", [])[:3]]
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'unbekannt'}): {violation['help']}"
            f" – betroffen: {'; '.join(targets) or '–'}"
        )
    return "\n".join(lines)


@pytest.fixture
def axe() -> Callable[[Any], None]:
    """``axe(page)`` runs axe-core on the loaded page and fails the test on any WCAG 2.1 AA violation."""

    def check(page: Any) -> None:
        # page.add_script_tag(path=...) inserts an inline <script>, which the site's Content-Security-Policy
        # (script-src 'self') rightly blocks; code evaluated through Playwright is not subject to the CSP,
        # so the policy stays in force for the page under test.
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate("() => {\n" + _axe_source() + "\n}")
        results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        violations = results["violations"]
        assert len(violations) == 0, _describe_violations(page.url, violations)

    return check


# --- background jobs (the participation's mails) ----------------------------------------------------


@pytest.fixture
def run_jobs(db: None, monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """Work off the job queue as the real worker does (``db_worker --batch``); returns how many jobs ran.

    The worker closes stale database connections between jobs, as a long-running process must. Inside a test the
    connection holds the test's transaction, so that one call is switched off here, as Django's test client does
    for the same call on each request.

    Jobs are enqueued after commit; inside a test's transaction, use it after the write like this::

        with django_capture_on_commit_callbacks(execute=True):
            service(...)
        run_jobs()
    """
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> int:
        waiting = DBTaskResult.objects.ready().count()
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
        failed = list(DBTaskResult.objects.failed().values_list("task_path", "exception_class_path", "traceback"))
        assert not failed, f"background jobs failed: {failed}"
        return waiting

    return run


# --- places ------------------------------------------------------------------------------------------


@pytest.fixture
def places(db: None) -> dict[str, Any]:
    """The reference geodata loaded; two municipalities by name (Cottbus/Chóśebuz and Spremberg/Grodk)."""
    from werkstatt.geo.models import Municipality
    from werkstatt.geo.services import geo_reference_data_load

    geo_reference_data_load()
    return {
        "cottbus": Municipality.objects.get(ags="12052000"),
        "spremberg": Municipality.objects.get(ags="12071372"),
    }
