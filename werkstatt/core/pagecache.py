"""The cache of public pages, shared by every app server, and its invalidation (docs/operations.md, "Caching").

What is cached: GET responses of public routes (PUBLIC_ROUTES) to requests without a session or message cookie,
when the response is a plain 200 that sets no cookie and holds no CSRF token. Everyone else, and every form, is
rendered afresh.

Invalidation is by generation: every cached page carries the generation it was rendered in, and a page is only
served while its generation is the current one. Any SQL write to a table that is not purely technical
(IGNORED_TABLES) makes a new generation, so no write can leave a stale page behind, however it is made (a
service, a queryset update, a bulk import, the admin, a background job, a migration). The new generation is set
at once, inside the writing transaction (with the database cache it commits with the data and is rolled back
with it), and once more after the commit (so that a request that read the new generation before the commit and
rendered the old data cannot keep that page). The cache is Django's cache "default" (settings.CACHES), by
default a table in the same database, so every app server sees the same pages and generations.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse, HttpResponseBase

GENERATION_KEY = "werkstatt:pages:generation"
HEADER = "X-Werkstatt-Cache"

# Route namespaces whose GET pages are the same for every anonymous visitor, and the routes in them that are not
# cached: files (large, served from the archive) and pages with personal data behind a token.
PUBLIC_ROUTES: dict[str, frozenset[str]] = {
    "portal": frozenset(),
    "oparl": frozenset({"file-access", "file-download"}),
    "exports": frozenset({"minutes-pdf", "minutes-docx", "agenda-pdf"}),
    "participation": frozenset(
        {"confirm", "mydata", "mydata-export", "mydata-delete", "mydata-request", "unsubscribe", "subscribe"}
    ),
}

# Tables whose writes change no page: logins, the cache itself, rate limits and the job queue.
IGNORED_TABLES = frozenset(
    {
        "django_session",
        "participation_ratelimithit",
        "django_tasks_database_dbtaskresult",
    }
)

_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?|REPLACE\s+INTO)\s+"?([\w.]+)"?', re.IGNORECASE
)


def enabled() -> bool:
    return bool(settings.WERKSTATT_PAGE_CACHE_SECONDS)


def cache_table_names() -> set[str]:
    return {
        str(conf["LOCATION"])
        for conf in settings.CACHES.values()
        if conf["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    }


def new_generation() -> str:
    """Start a new generation: every page cached so far is stale."""
    generation = uuid.uuid4().hex
    cache.set(GENERATION_KEY, generation, None)
    return generation


def _new_generation_after_commit() -> None:
    new_generation()


def written_table(sql: str) -> str | None:
    """The table an INSERT, UPDATE, DELETE or TRUNCATE statement writes to, or None for any other statement."""
    match = _WRITE.match(sql)
    return match.group(1).rsplit(".", 1)[-1].strip('"').lower() if match else None


def watch_writes(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """Database execute wrapper: a write to a table that shows on pages starts a new generation."""
    result = execute(sql, params, many, context)
    if enabled() and not _migrating:
        table = written_table(sql)
        if table and table not in IGNORED_TABLES and table not in cache_table_names():
            connection = context["connection"]
            if _cache_ready(connection):
                _on_write(connection)
    return result


def _cache_ready(connection: BaseDatabaseWrapper) -> bool:
    """False only while `migrate` has not yet created the cache table: no page can be cached before it exists,
    and the end of `migrate` starts a new generation (werkstatt.core.apps)."""
    if getattr(connection, "_werkstatt_cache_ready", False):
        return True
    tables = cache_table_names()
    ready = not tables or tables <= set(connection.introspection.table_names())
    connection._werkstatt_cache_ready = ready  # type: ignore[attr-defined]
    return ready


# While `migrate` runs, writes are not watched (a cache write inside a migration's transaction would mix the cache
# into the migration); its end starts a new generation instead.
_migrating = False


def before_migrate(**kwargs: Any) -> None:
    """Receiver of `pre_migrate`."""
    global _migrating
    _migrating = True


def after_migrate(**kwargs: Any) -> None:
    """Receiver of `post_migrate`: migrations may change what pages show, so none stays cached."""
    from django.db import connections

    global _migrating
    _migrating = False
    connection = connections[kwargs.get("using", "default")]
    if enabled() and _cache_ready(connection):
        new_generation()


def _on_write(connection: BaseDatabaseWrapper) -> None:
    if not connection.in_atomic_block:
        new_generation()
        return
    # Once per transaction (or savepoint, for nested atomic blocks): the callback stays in the connection's list,
    # with the savepoints it was registered in, until the transaction ends or that savepoint is rolled back.
    savepoints = set(connection.savepoint_ids)
    registered: list[tuple[Any, ...]] = connection.run_on_commit  # (savepoint ids, callback, robust)
    if any(entry[1] is _new_generation_after_commit and entry[0] == savepoints for entry in registered):
        return
    new_generation()
    transaction.on_commit(_new_generation_after_commit, using=connection.alias)


def install(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Receiver of `connection_created`: watch every connection of this process."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def _route_is_public(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None or not match.namespaces:
        return False
    excluded = PUBLIC_ROUTES.get(match.namespaces[0])
    return excluded is not None and match.url_name not in excluded


def _request_is_cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and _route_is_public(request)
    )


def page_key(request: HttpRequest) -> str:
    # The address with host and query string, and whether htmx asks for a part of the page. No public view reads
    # other request headers (conditional requests are answered from the stored ETag by ConditionalGetMiddleware).
    parts = [request.build_absolute_uri(), request.headers.get("HX-Request", "")]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"werkstatt:page:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        # "private" alone is kept: it tells browsers and proxies that others may see another page, and only
        # anonymous visitors are served from here. "no-store" (never_cache) is never kept.
        and "no-store" not in response.get("Cache-Control", "")
    )


def _fresh(entry: dict[str, Any]) -> bool:
    return bool(time.time() < entry.get("stored_at", 0) + settings.WERKSTATT_PAGE_CACHE_SECONDS)


class LocalCopies:
    """Copies of shared entries in this process, so that a large page (the map data, an OParl list, a calendar
    of 15 years: 1–2 MB) is not read from the shared cache on every request. A copy is used only while its
    generation is the current one of the shared cache, which is read on every request, and while it is fresh;
    so it never serves what the shared cache would not. Bounded by WERKSTATT_PAGE_CACHE_LOCAL_BYTES, the least
    recently used copies go first. Nothing another server needs is kept only here."""

    def __init__(self) -> None:
        self._entries: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, generation: str) -> dict[str, Any] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry["generation"] != generation or not _fresh(entry):
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict[str, Any]) -> None:
        limit = settings.WERKSTATT_PAGE_CACHE_LOCAL_BYTES
        size = len(entry["content"])
        if size > limit:
            return
        with self._lock:
            self._drop(key)
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > limit:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry["content"])


LOCAL = LocalCopies()


class PageCacheMiddleware:
    """Serve and keep public pages in the shared cache; see the module's description."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        pending = getattr(request, "_werkstatt_page", None)
        if pending is not None:
            key, generation = pending
            if isinstance(response, HttpResponse) and _storable(request, response):
                entry = {
                    "generation": generation,
                    "stored_at": time.time(),
                    "content": response.content,
                    "headers": [(name, value) for name, value in response.headers.items() if name != HEADER],
                }
                cache.set(key, entry, settings.WERKSTATT_PAGE_CACHE_SECONDS)
                LOCAL.put(key, entry)
            response[HEADER] = "miss"
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not enabled() or not _request_is_cacheable(request):
            return None
        key = page_key(request)
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            # No generation yet, or it was evicted: a new one, so nothing cached before it is served.
            cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
            generation = cache.get(GENERATION_KEY)
        else:
            entry = LOCAL.get(key, generation)
            if entry is None:
                entry = cache.get(key)
                if entry is not None and entry["generation"] == generation and _fresh(entry):
                    LOCAL.put(key, entry)
                else:
                    entry = None
            if entry is not None:
                response = HttpResponse(entry["content"])
                for name, value in entry["headers"]:
                    response[name] = value
                response[HEADER] = "hit"
                return response
        request._werkstatt_page = (key, generation)  # type: ignore[attr-defined]
        return None
