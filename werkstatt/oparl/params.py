"""The query parameters of the OParl API, parsed and checked: every mistake is an ``OParlError`` in German."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

DATE_FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
LIST_PARAMETERS = frozenset({*DATE_FILTERS, "limit", "page"})


class OParlError(Exception):
    """An answer of the API that is an OParl error object: status and a German message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class ListParams:
    """A list request: the four date filters (as given and as parsed), page size and page."""

    filters: dict[str, str] = field(default_factory=dict)
    bounds: dict[str, dt.datetime] = field(default_factory=dict)
    limit: int = DEFAULT_LIMIT
    page: int = 1

    @property
    def with_deleted(self) -> bool:
        """OParl: deleted objects are listed only when ``modified_since`` is given."""
        return "modified_since" in self.bounds

    def query(self, *, page: int) -> dict[str, str]:
        """The parameters of another page of the same list: every filter and the limit kept."""
        params = dict(self.filters)
        if self.limit != DEFAULT_LIMIT:
            params["limit"] = str(self.limit)
        if page != 1:
            params["page"] = str(page)
        return params


def parse_datetime(name: str, raw: str) -> dt.datetime:
    """ISO 8601 date-time (``2024-01-24T14:10:00+01:00``; ``Z``, no offset = Europe/Berlin, or a bare date)."""
    # An unencoded "+" of the offset arrives as a space.
    value = raw.strip().replace(" ", "+")
    if "T" not in value and "+" in value:
        value = value.replace("+", " ")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise OParlError(
            400,
            _(
                "Der Filter „%(name)s“ erwartet Datum und Uhrzeit nach ISO 8601, z. B. "
                "„2024-01-24T14:10:00+01:00“; angegeben ist „%(value)s“."
            )
            % {"name": name, "value": raw[:100]},
        ) from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _positive_int(name: str, raw: str, *, maximum: int | None = None) -> int:
    text = raw.strip()
    if not text.isdigit() or len(text) > 9:
        raise OParlError(
            400,
            _("„%(name)s“ muss eine ganze Zahl ab 1 sein; angegeben ist „%(value)s“.")
            % {"name": name, "value": raw[:50]},
        )
    number = int(text)
    if number < 1 or (maximum is not None and number > maximum):
        if maximum is None:
            raise OParlError(400, _("„%(name)s“ muss mindestens 1 sein.") % {"name": name})
        raise OParlError(
            400,
            _("„%(name)s“ muss zwischen 1 und %(max)s liegen; angegeben ist %(value)s.")
            % {"name": name, "max": maximum, "value": text},
        )
    return number


def reject_parameters(query: Mapping[str, str], allowed: frozenset[str] = frozenset()) -> None:
    unknown = sorted(set(query) - allowed)
    if unknown:
        if allowed:
            raise OParlError(
                400,
                _("Unbekannter Parameter „%(name)s“. Erlaubt sind: %(allowed)s.")
                % {"name": unknown[0], "allowed": ", ".join(sorted(allowed))},
            )
        raise OParlError(
            400, _("Unbekannter Parameter „%(name)s“: dieses Objekt hat keine Parameter.") % {"name": unknown[0]}
        )


def parse_list_params(query: Mapping[str, str]) -> ListParams:
    reject_parameters(query, LIST_PARAMETERS)
    filters: dict[str, str] = {}
    bounds: dict[str, dt.datetime] = {}
    for name in DATE_FILTERS:
        if name in query:
            raw = query[name]
            bounds[name] = parse_datetime(name, raw)
            filters[name] = raw.strip().replace(" ", "+") if "T" in raw else raw.strip()
    limit = _positive_int("limit", query["limit"], maximum=MAX_LIMIT) if "limit" in query else DEFAULT_LIMIT
    page = _positive_int("page", query["page"]) if "page" in query else 1
    return ListParams(filters=filters, bounds=bounds, limit=limit, page=page)
