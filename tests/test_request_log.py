"""Structured logs: one line per request with the fields an operator of several app servers needs, and no
personal data; with LOG_FORMAT=json each line is one JSON object."""

import json
import logging
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from pythonjsonlogger.json import JsonFormatter


def request_records(caplog: Any) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "werkstatt.request"]


@pytest.mark.django_db
def test_each_request_is_one_line_without_the_query_string(caplog: Any) -> None:
    with caplog.at_level(logging.INFO, logger="werkstatt.request"):
        response = Client().get("/suche/?q=erika%40example.org")
    [record] = request_records(caplog)
    assert record.method == "GET"  # type: ignore[attr-defined]
    assert record.path == "/suche/"  # type: ignore[attr-defined]
    assert record.status == 200  # type: ignore[attr-defined]
    assert record.duration_ms >= 0  # type: ignore[attr-defined]
    assert len(record.request_id) == 32  # type: ignore[attr-defined]
    assert response["X-Request-ID"] == record.request_id  # type: ignore[attr-defined]
    assert "example.org" not in record.getMessage()
    assert "example.org" not in json.dumps(record.__dict__, default=str)


@pytest.mark.django_db
def test_the_request_id_of_the_proxy_is_kept(caplog: Any) -> None:
    with caplog.at_level(logging.INFO, logger="werkstatt.request"):
        response = Client().get("/health/live/", headers={"X-Request-ID": "a1b2c3"})
    [record] = request_records(caplog)
    assert record.request_id == "a1b2c3"  # type: ignore[attr-defined]
    assert response["X-Request-ID"] == "a1b2c3"


@pytest.mark.django_db
def test_json_lines_carry_time_level_logger_server_and_the_request(caplog: Any) -> None:
    config = dict(settings.LOGGING["formatters"]["json"])
    assert config.pop("()") == "pythonjsonlogger.json.JsonFormatter"
    formatter = JsonFormatter(**config)
    with caplog.at_level(logging.INFO, logger="werkstatt.request"):
        Client().get("/nicht-vorhanden/")
    [record] = request_records(caplog)
    line = formatter.format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "INFO"
    assert data["logger"] == "werkstatt.request"
    assert data["message"] == "GET /nicht-vorhanden/ 404"
    assert data["server"] == settings.WERKSTATT_SERVER_NAME
    assert data["status"] == 404
    assert data["path"] == "/nicht-vorhanden/"
    assert {"time", "duration_ms", "request_id", "method"} <= set(data)
