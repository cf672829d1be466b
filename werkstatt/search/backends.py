"""The database side of the search: one interface, two backends chosen by the database vendor.

- PostgreSQL: the text search configuration ``werkstatt_german`` (a copy of ``german`` with ``unaccent`` before
  ``german_stem``), two generated ``tsvector`` columns on ``search_searchentry`` (``vector``: title A, text B,
  result C; ``vector_open``: without the result) with a GIN index, ``ts_rank`` for the order;
- SQLite: the FTS5 table ``search_fts`` (title, body, restricted) holding the Snowball stems computed in Python,
  ``bm25`` with column weights for the order.

Both get the query as ``Term`` objects (folded words from ``search.text``) and write it into their syntax
themselves, each word quoted: user input never reaches the full-text syntax. ``rank`` is ascending (best first).
The migration ``0002_fulltext`` creates each side.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Expression,
    F,
    Field,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from werkstatt.search.models import SearchEntry
from werkstatt.search.text import Term, stem, stem_text

TABLE = SearchEntry._meta.db_table
PG_CONFIG = "werkstatt_german"
# Column weights: the title counts most, then the text, then an item's result.
SQLITE_WEIGHTS = (10.0, 3.0, 1.0)


class Backend(Protocol):
    vendor: str

    def store(self, entries: Sequence[SearchEntry]) -> None:
        """Write the full-text side of freshly saved entries (after their rows exist)."""

    def clear(self) -> None:
        """Drop the full-text side of every entry."""

    def match(self, terms: Sequence[Term], full: Q) -> tuple[Q, Expression]:
        """The filter finding every entry with all ``terms`` and its rank (lower is better). Where ``full`` does
        not hold, an entry's restricted text neither matches nor counts for the rank."""

    def ranked(self, qs: QuerySet[SearchEntry], terms: Sequence[Term], full: Q, *, first: int, last: int) -> Any:
        """Per kind the entries of ``qs`` (matched by ``terms``) ranked ``first`` to ``last``, best first; each
        with ``kind_total`` (the kind's hits in ``qs``) and ``full`` (whether ``full`` holds for it)."""


class SQLiteBackend:
    vendor = "sqlite"

    def store(self, entries: Sequence[SearchEntry]) -> None:
        if not entries:
            return
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(entry.pk,) for entry in entries])
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body, restricted) VALUES (%s, %s, %s, %s)",
                [
                    (entry.pk, stem_text(entry.title), stem_text(entry.body), stem_text(entry.restricted))
                    for entry in entries
                ],
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    @staticmethod
    def expression(terms: Sequence[Term], *, columns: str = "") -> str:
        """The FTS5 query: every word a quoted stem (``"projekt"``), a compound's first part a prefix
        (``"tel"*``), all joined by AND; ``columns`` restricts it (``{title body}``)."""
        groups = []
        for term in terms:
            parts = [f'"{stem(word)}"' + ("*" if is_prefix else "") for word, is_prefix in term.parts]
            groups.append("(" + " AND ".join(parts) + ")")
        expression = " AND ".join(groups)
        return f"{columns} : ({expression})" if columns else expression

    def match(self, terms: Sequence[Term], full: Q) -> tuple[Q, Expression]:
        every = self.expression(terms)
        open_ = self.expression(terms, columns="{title body}")
        found = f'"{TABLE}"."id" IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)'  # noqa: S608
        condition = Q(_raw(found, [every], BooleanField())) & (full | Q(_raw(found, [open_], BooleanField())))
        rank_sql = f'(SELECT bm25(search_fts, %s, %s, %s) FROM search_fts WHERE search_fts MATCH %s AND search_fts.rowid = "{TABLE}"."id")'  # noqa: S608, E501
        title, body, restricted = SQLITE_WEIGHTS
        rank = Case(
            When(full, then=_raw(rank_sql, [title, body, restricted, every], FloatField())),
            default=_raw(rank_sql, [title, body, 0.0, every], FloatField()),
            output_field=FloatField(),
        )
        return condition, rank

    def ranked(self, qs: QuerySet[SearchEntry], terms: Sequence[Term], full: Q, *, first: int, last: int) -> Any:
        """One query, with ``bm25`` computed once per hit: FTS5 allows it only where the FTS table is scanned,
        so the hits of ``qs`` are joined to ``search_fts`` in a subquery and numbered per kind outside it."""
        inner = qs.annotate(full=_full_flag(full)).values(*SHOWN_COLUMNS, "full")
        inner_sql, inner_params = inner.query.sql_with_params()
        title, body, restricted = SQLITE_WEIGHTS
        sql = (
            "SELECT * FROM ("  # noqa: S608 - fixed SQL and Django's own compiled query, values bound
            " SELECT x.*, ROW_NUMBER() OVER (PARTITION BY x.kind ORDER BY x.rank, x.date DESC, x.id) AS position,"
            " COUNT(*) OVER (PARTITION BY x.kind) AS kind_total"
            " FROM (SELECT e.*, CASE WHEN e.full THEN bm25(search_fts, %s, %s, %s)"
            " ELSE bm25(search_fts, %s, %s, 0.0) END AS rank"
            f" FROM search_fts JOIN ({inner_sql}) e ON e.id = search_fts.rowid WHERE search_fts MATCH %s) x"
            ") WHERE position BETWEEN %s AND %s ORDER BY kind, position"
        )
        params = (title, body, restricted, title, body, *inner_params, self.expression(terms), first, last)
        return list(SearchEntry.objects.raw(sql, params))


class PostgresBackend:
    vendor = "postgresql"

    def store(self, entries: Sequence[SearchEntry]) -> None:
        """Nothing to do: ``vector`` and ``vector_open`` are generated from the folded columns."""

    def clear(self) -> None:
        """Nothing to do: the vectors go with their rows."""

    @staticmethod
    def expression(terms: Sequence[Term]) -> str:
        """The ``to_tsquery`` input: quoted words (``'projekte'``), a compound's first part as prefix
        (``'tele':*``), joined by ``&``. Words are folded tokens: letters and digits only."""
        parts = []
        for term in terms:
            for word, is_prefix in term.parts:
                parts.append(f"'{word}'" + (":*" if is_prefix else ""))
        return " & ".join(parts)

    def match(self, terms: Sequence[Term], full: Q) -> tuple[Q, Expression]:
        query = self.expression(terms)
        tsquery = f"to_tsquery('{PG_CONFIG}', %s)"
        condition = Q(_raw(f'"{TABLE}"."vector" @@ {tsquery}', [query], BooleanField())) & (
            full | Q(_raw(f'"{TABLE}"."vector_open" @@ {tsquery}', [query], BooleanField()))
        )
        rank = Case(
            When(full, then=_raw(f'-ts_rank("{TABLE}"."vector", {tsquery})', [query], FloatField())),
            default=_raw(f'-ts_rank("{TABLE}"."vector_open", {tsquery})', [query], FloatField()),
            output_field=FloatField(),
        )
        return condition, rank

    def ranked(self, qs: QuerySet[SearchEntry], terms: Sequence[Term], full: Q, *, first: int, last: int) -> Any:
        """One query: the rank of ``match`` and the numbering per kind as window functions."""
        _condition, rank = self.match(terms, full)
        ranked = (
            qs.annotate(rank=rank, full=_full_flag(full))
            .annotate(
                position=Window(
                    RowNumber(),
                    partition_by=[F("kind")],
                    order_by=[F("rank").asc(), F("date").desc(nulls_last=True), F("pk").asc()],
                ),
                kind_total=Window(Count("pk"), partition_by=[F("kind")]),
            )
            .only(*SHOWN_COLUMNS)
            .filter(position__gte=first, position__lte=last)
            .order_by("kind", "position")
        )
        return list(ranked)


# What a hit shows (the folded columns are only for the full-text index).
SHOWN_COLUMNS = ("id", "kind", "object_id", "title", "context", "body", "restricted", "meeting_id", "date")


def _full_flag(full: Q) -> Case:
    return Case(When(full, then=Value(True)), default=Value(False), output_field=BooleanField())


def _raw(sql: str, params: Sequence[object], output_field: Field) -> RawSQL:
    """A fixed SQL fragment of this module (table and configuration names are constants); everything derived from
    the user's input goes in ``params``, i.e. as bound parameters, never into the SQL text."""
    return RawSQL(sql, tuple(params), output_field=output_field)  # noqa: S611 - fixed SQL, values bound


def get_backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"Die Suche unterstützt die Datenbank {connection.vendor} nicht.")
