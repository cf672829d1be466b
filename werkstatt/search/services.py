"""Keeping the search index: rebuild everything, or refresh the entries of changed objects.

The signals (``search/signals.py``) call ``search_index_update`` after each commit; ``search_index_rebuild``
(``bin/werkstatt search-reindex``, the demo loader) covers what was written without signals (bulk updates,
raw SQL, a restored backup). Neither changes the domain data, so there is no actor and no history row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import transaction

from werkstatt.search.backends import get_backend
from werkstatt.search.documents import BUILDERS
from werkstatt.search.models import SearchEntry, SearchKind, SearchWord
from werkstatt.search.text import MAX_TOKEN_LENGTH, fold, stem

BATCH_SIZE = 500
_WORD_RE = re.compile(r"[^\W\d_]+")


def _words(entries: Sequence[SearchEntry]) -> set[str]:
    """The words of the entries, lower case as written (for suggestions), letters only."""
    found: set[str] = set()
    for entry in entries:
        for text in (entry.title, entry.body, entry.restricted):
            for word in _WORD_RE.findall(text.lower()):
                if 3 <= len(word) <= MAX_TOKEN_LENGTH:
                    found.add(word)
    return found


def _store(entries: Sequence[SearchEntry], known_words: set[str]) -> None:
    saved = SearchEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
    get_backend().store(saved)
    new_words = _words(saved) - known_words
    if new_words:
        SearchWord.objects.bulk_create(
            [SearchWord(word=w, folded=fold(w)[:60], stem=stem(fold(w))[:60], length=len(w)) for w in new_words],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
        known_words |= new_words


def _write(kind: str, ids: Iterable[int] | None, known_words: set[str]) -> int:
    batch: list[SearchEntry] = []
    count = 0
    for entry in BUILDERS[kind](ids):
        batch.append(entry)
        if len(batch) >= BATCH_SIZE:
            _store(batch, known_words)
            count += len(batch)
            batch = []
    if batch:
        _store(batch, known_words)
        count += len(batch)
    return count


@transaction.atomic
def search_index_rebuild() -> int:
    """Build the whole index anew from the database; returns the number of entries."""
    SearchEntry.objects.all().delete()
    get_backend().clear()
    SearchWord.objects.all().delete()
    known: set[str] = set()
    return sum(_write(kind, None, known) for kind in SearchKind.values)


@transaction.atomic
def search_index_update(refs: Iterable[tuple[str, int]]) -> int:
    """Refresh the entries of these ``(kind, object id)`` pairs: rebuilt if the object exists, else removed.
    Returns the number of entries written."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, pk in refs:
        by_kind[kind].add(pk)
    written = 0
    for kind, ids in by_kind.items():
        SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
        written += _write(kind, sorted(ids), set())
    return written
