"""Health endpoints for the reverse proxy, the process manager and monitoring (docs/operations.md).

`/health/live/` answers as long as the process serves requests, without touching the database: the liveness
check, and the floor of the benchmarks (bench/run). `/health/` is the readiness check: the database answers and
the shared cache keeps a value. It answers 503 otherwise, so a proxy stops sending requests to this server.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def live(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def _check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"werkstatt:health:{uuid.uuid4().hex}"
    cache.set(key, "ok", 30)
    try:
        if cache.get(key) != "ok":
            raise RuntimeError("value not kept")
    finally:
        cache.delete(key)


@require_safe
@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict[str, object]] = {}
    healthy = True
    for name, check in (("database", _check_database), ("cache", _check_cache)):
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # any failure of a dependency makes the server not ready
            healthy = False
            checks[name] = {"status": "error", "error": exc.__class__.__name__}
        else:
            checks[name] = {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}
    body = {"status": "ok" if healthy else "error", "server": settings.WERKSTATT_SERVER_NAME, "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)
