"""Health endpoints of every app server: liveness without the database, readiness with database and cache."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def test_live_answers_without_the_database(db: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/health/live/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert len(queries) == 0
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_checks_database_and_cache(settings: Any) -> None:
    response = Client().get("/health/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["server"] == settings.WERKSTATT_SERVER_NAME
    assert data["checks"]["database"]["status"] == "ok"
    assert data["checks"]["cache"]["status"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_ready_answers_503_when_the_cache_fails(settings: Any) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "no_such_cache_table"}
    }
    response = Client().get("/health/")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "error"
    assert data["checks"]["database"]["status"] == "ok"
    # No table: SQLite says OperationalError, PostgreSQL ProgrammingError; only the class is shown, never details.
    assert data["checks"]["cache"]["status"] == "error"
    assert data["checks"]["cache"]["error"] in {"OperationalError", "ProgrammingError"}


def test_health_answers_only_reading_methods(db: None) -> None:
    assert Client().post("/health/").status_code == 405
    assert Client().post("/health/live/").status_code == 405
