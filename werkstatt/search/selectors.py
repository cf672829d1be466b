"""The search: the filter from the query string, and the hits a user may see, grouped by kind.

Who sees what is asked of the selectors of each app, in the database, as subqueries of the one search query
(``object_id__in=<selector>.values("pk")``), so counts and pages are right and nothing hidden shows up in
titles, snippets, counts or suggestions:

- projects: ``projects_visible_to``; agenda items: ``agenda_items_visible_to``, their result only where the
  user reads the session's minutes (``meetings_with_minutes_visible_to``); news: ``news_items_visible_to``;
  documents: ``files_visible_to``; organisations and persons: ``organizations_visible_to`` /
  ``persons_visible_to`` (what their portal pages show).

A search costs a fixed number of queries whatever the amount of data (docs/search.md): one for the words of the
query in the index's vocabulary, one for the hits (per kind the first ones, with each kind's total as a window
over all rows; the page of one kind plus one count per kind when ``art`` is given), and when nothing is found
one for spelling candidates and at most ``MAX_SUGGESTION_CHECKS`` counts to check them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from werkstatt.core.query import parse_number
from werkstatt.search.backends import get_backend
from werkstatt.search.models import SearchEntry, SearchKind, SearchWord
from werkstatt.search.text import (
    MAX_QUERY_LENGTH,
    MAX_QUERY_WORDS,
    ParsedQuery,
    Term,
    compound_splits,
    highlight,
    parse_query,
    snippet,
    stem,
)

PREVIEW_HITS = 5  # per kind on the overview
PAGE_SIZE = 20  # hits per page of one kind
MAX_SUGGESTION_CHECKS = 3
SUGGESTION_SCORE = 75
FIRST_YEAR, LAST_YEAR = 1990, 2100


# --- the filter ----------------------------------------------------------------------------------


def _kind_from(raw: str) -> str | None:
    """``projekte``, ``Projekte`` or the German label → the kind; ``None`` if it is none."""
    wanted = raw.strip().casefold()
    for kind in SearchKind:
        if wanted in (kind.value, str(kind.label).casefold()):
            return kind.value
    return None


@dataclass
class SearchFilter:
    """The search as parsed from a query string; ``errors`` says in German what was ignored, ``notices`` what
    was shortened."""

    q: str = ""
    query: ParsedQuery = field(default_factory=lambda: parse_query(""))
    workshop: int | None = None  # a workshop's number
    kind: str = ""  # a SearchKind value
    year: int | None = None
    district: str = ""  # Kreisschlüssel, e.g. "12062"
    page: int = 1
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    # Names in the query string (German, as in links people share).
    PARAMS = ("q", "werkstatt", "art", "jahr", "kreis", "seite")

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> SearchFilter:
        f = cls()
        f.query = parse_query(str(query.get("q", "") or ""))
        f.q = f.query.text
        if f.query.truncated:
            f.notices.append(
                _(
                    "Ihre Suchanfrage war sehr lang. Gesucht wird nur nach den ersten %(words)s Wörtern "
                    "(höchstens %(chars)s Zeichen): „%(words_used)s“."
                )
                % {"words": MAX_QUERY_WORDS, "chars": MAX_QUERY_LENGTH, "words_used": " ".join(f.query.words)}
            )
        f.workshop = parse_number(str(query.get("werkstatt", "") or ""), _("Werkstatt"), f.errors)
        raw_kind = str(query.get("art", "") or "").strip()
        if raw_kind:
            kind = _kind_from(raw_kind)
            if kind is None:
                f.errors.append(
                    _("Den Wert „%(value)s“ gibt es für „%(label)s“ nicht; er wurde ignoriert.")
                    % {"value": raw_kind[:50], "label": _("Art")}
                )
            f.kind = kind or ""
        raw_year = str(query.get("jahr", "") or "").strip()
        if raw_year:
            if raw_year.isascii() and raw_year.isdigit() and FIRST_YEAR <= int(raw_year[:5]) <= LAST_YEAR:
                f.year = int(raw_year)
            else:
                f.errors.append(
                    _("Der Filter „%(label)s“ erwartet eine Jahreszahl wie 2026; er wurde ignoriert.")
                    % {"label": _("Jahr")}
                )
        raw_district = str(query.get("kreis", "") or "").strip()
        if raw_district:
            if raw_district.isascii() and raw_district.isdigit() and len(raw_district) == 5:
                f.district = raw_district
            else:
                f.errors.append(
                    _("„%(label)s“ erwartet einen amtlichen Schlüssel mit %(n)s Ziffern; der Filter wurde ignoriert.")
                    % {"label": _("Landkreis"), "n": 5}
                )
        raw_page = str(query.get("seite", "") or "").strip()
        if raw_page:
            if raw_page.isascii() and raw_page.isdigit() and len(raw_page) <= 6 and int(raw_page) >= 1:
                f.page = int(raw_page)
            else:
                f.errors.append(
                    _("Die Seite „%(value)s“ gibt es nicht; gezeigt wird Seite 1.") % {"value": raw_page[:20]}
                )
        return f

    @property
    def active(self) -> bool:
        """Whether a filter besides the words is set."""
        return any((self.workshop is not None, self.kind, self.year is not None, self.district))

    def as_query(self, **changes: object) -> dict[str, str]:
        """The search as query parameters, with ``changes`` applied (for the links to a kind and to pages)."""
        values: dict[str, object] = {
            "q": self.q,
            "werkstatt": self.workshop,
            "art": self.kind,
            "jahr": self.year,
            "kreis": self.district,
            "seite": self.page if self.page != 1 else None,
        }
        values.update(changes)
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    kind: str
    object_id: int
    title: SafeString  # escaped, the words found in <mark>
    snippet: SafeString  # escaped, the words found in <mark>; may be empty
    context: str
    url: str
    date: object = None


@dataclass
class SearchGroup:
    kind: str
    label: str
    total: int
    hits: list[SearchHit] = field(default_factory=list)

    @property
    def more(self) -> bool:
        return self.total > len(self.hits)


@dataclass(frozen=True)
class Suggestion:
    """A spelling the index knows and that finds something for this user: „Meinten Sie …?“"""

    q: str
    total: int


@dataclass
class SearchResults:
    filters: SearchFilter
    total: int = 0
    groups: list[SearchGroup] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    # Hits per kind for this query and filters, whatever ``art`` says (for the links between kinds).
    kind_totals: dict[str, int] = field(default_factory=dict)
    page: int = 1
    num_pages: int = 1
    terms: list[Term] = field(default_factory=list)

    @property
    def searched(self) -> bool:
        return not self.filters.query.empty


# --- visibility, through the apps' selectors -----------------------------------------------------------


def _visible(user: object) -> Q:
    from werkstatt.documents.selectors import files_visible_to
    from werkstatt.meetings.selectors import agenda_items_visible_to
    from werkstatt.news.selectors import news_items_visible_to
    from werkstatt.organizations.selectors import organizations_visible_to, persons_visible_to
    from werkstatt.projects.selectors import projects_visible_to

    selectors = {
        SearchKind.PROJECT: projects_visible_to(user),
        SearchKind.MINUTES: agenda_items_visible_to(user),
        SearchKind.NEWS: news_items_visible_to(user),
        SearchKind.DOCUMENT: files_visible_to(user),
        SearchKind.ORGANIZATION: organizations_visible_to(user),
        SearchKind.PERSON: persons_visible_to(user),
    }
    visible = Q()
    for kind, qs in selectors.items():
        visible |= Q(kind=kind.value, object_id__in=qs.values("pk"))
    return visible


def _full(user: object) -> Q:
    """Where the restricted text (an agenda item's result) counts: everywhere but the items of sessions whose
    minutes ``user`` does not read."""
    from werkstatt.meetings.selectors import meetings_with_minutes_visible_to

    return ~Q(kind=SearchKind.MINUTES.value) | Q(meeting_id__in=meetings_with_minutes_visible_to(user).values("pk"))


def _filtered(filters: SearchFilter) -> Q:
    q = Q()
    if filters.workshop is not None:
        q &= Q(workshops__contains=f",{filters.workshop},")
    if filters.year is not None:
        q &= Q(years__contains=f",{filters.year},")
    if filters.district:
        q &= Q(district=filters.district)
    return q


# --- the query's words -------------------------------------------------------------------------------


def _terms(words: Sequence[str]) -> tuple[list[Term], set[str]]:
    """The query's words as terms: a word the index does not know is split into a prefix and a known head word
    where possible (``telenotarzt`` → ``tele*`` and ``notarzt``). Also returns the words the index knows.
    One query: the stems of every word and of every possible head."""
    splits = {w: compound_splits(w) for w in words}
    stems = {stem(w) for w in words} | {stem(head) for w in words for _, head in splits[w]}
    known = set(SearchWord.objects.filter(stem__in=sorted(stems)).values_list("stem", flat=True).distinct())
    terms: list[Term] = []
    known_words: set[str] = set()
    for word in words:
        if stem(word) in known or word.isdigit():
            known_words.add(word)
            terms.append(Term(word=word))
            continue
        head = next(((p, h) for p, h in splits[word] if stem(h) in known), None)
        terms.append(Term(word=word, prefix=head[0], head=head[1]) if head else Term(word=word))
    return terms, known_words


@dataclass(frozen=True)
class _Scope:
    """What ``user`` may see, as conditions on the index: asked once per search."""

    visible: Q
    full: Q

    @classmethod
    def of(cls, user: object) -> _Scope:
        return cls(visible=_visible(user), full=_full(user))


def _matching(scope: _Scope, filters: SearchFilter, terms: Sequence[Term]) -> QuerySet[SearchEntry]:
    condition, _rank = get_backend().match(terms, scope.full)
    return SearchEntry.objects.filter(scope.visible, _filtered(filters), condition)


def _url(entry: SearchEntry, full: bool) -> str:
    kind = entry.kind
    if kind == SearchKind.PROJECT:
        return reverse("portal:project-detail", args=[entry.object_id])
    if kind == SearchKind.MINUTES:
        anchor = f"#ergebnis-{entry.object_id}" if full and entry.restricted else "#tagesordnung"
        return reverse("portal:meeting-detail", args=[entry.meeting_id]) + anchor
    if kind == SearchKind.NEWS:
        return reverse("portal:news-detail", args=[entry.object_id])
    if kind == SearchKind.DOCUMENT:
        return reverse("oparl:file-access", args=[entry.object_id])
    if kind == SearchKind.ORGANIZATION:
        return reverse("portal:organization-detail", args=[entry.object_id])
    return reverse("portal:person-detail", args=[entry.object_id])


def _hit(entry: SearchEntry, terms: Sequence[Term]) -> SearchHit:
    full = bool(getattr(entry, "full", False))
    texts = [entry.body] + ([entry.restricted] if full else [])
    found = next((s for s in (snippet(text, terms) for text in texts) if s), "")
    if not found and entry.body:
        words = entry.body.split()
        found = str(escape(" ".join(words[:30]))) + (" …" if len(words) > 30 else "")
    return SearchHit(
        kind=entry.kind,
        object_id=entry.object_id,
        title=mark_safe(highlight(entry.title, terms)),  # noqa: S308 - escaped by highlight, only <mark> added
        snippet=mark_safe(found),  # noqa: S308 - escaped by snippet, only <mark> added
        context=entry.context,
        url=_url(entry, full),
        date=entry.date,
    )


def _rows(
    qs: QuerySet[SearchEntry], terms: Sequence[Term], full: Q, *, kind: str, first: int, last: int
) -> list[SearchEntry]:
    """Per kind (or of ``kind``) the hits ranked ``first``..``last``, best first, each with ``kind_total``."""
    if kind:
        qs = qs.filter(kind=kind)
    ranked: list[SearchEntry] = get_backend().ranked(qs, terms, full, first=first, last=last)
    return ranked


def search(user: object, filters: SearchFilter) -> SearchResults:
    """What ``user`` finds for ``filters``: per kind the first hits (``PREVIEW_HITS``), or with ``filters.kind``
    one page of that kind (``PAGE_SIZE``); suggestions when nothing is found."""
    results = SearchResults(filters=filters)
    if filters.query.empty:
        return results
    terms, known_words = _terms(filters.query.words)
    results.terms = terms
    scope = _Scope.of(user)
    qs, full = _matching(scope, filters, terms), scope.full
    labels = {kind.value: str(kind.label) for kind in SearchKind}
    if filters.kind:
        totals = dict(qs.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
        results.kind_totals = {kind: totals[kind] for kind in labels if totals.get(kind)}
        total = results.kind_totals.get(filters.kind, 0)
        results.num_pages = max(1, math.ceil(total / PAGE_SIZE))
        if filters.page > results.num_pages:
            filters.errors.append(
                _("Die Seite „%(value)s“ gibt es nicht; gezeigt wird Seite %(page)s.")
                % {"value": filters.page, "page": results.num_pages}
            )
        results.page = min(filters.page, results.num_pages)
        first = (results.page - 1) * PAGE_SIZE + 1
        rows = _rows(qs, terms, full, kind=filters.kind, first=first, last=first + PAGE_SIZE - 1) if total else []
        results.total = total
        results.groups = [
            SearchGroup(kind=filters.kind, label=labels[filters.kind], total=total, hits=[_hit(r, terms) for r in rows])
        ]
    else:
        rows = _rows(qs, terms, full, kind="", first=1, last=PREVIEW_HITS)
        groups: dict[str, SearchGroup] = {}
        for row in rows:
            group = groups.get(row.kind)
            if group is None:
                group = groups[row.kind] = SearchGroup(kind=row.kind, label=labels[row.kind], total=row.kind_total)  # type: ignore[attr-defined]
            group.hits.append(_hit(row, terms))
        results.groups = [groups[kind] for kind in labels if kind in groups]
        results.kind_totals = {group.kind: group.total for group in results.groups}
        results.total = sum(results.kind_totals.values())
    if results.total == 0:
        results.suggestions = _suggestions(scope, filters, known_words)
    return results


# --- „Meinten Sie …?“ -----------------------------------------------------------------------------------


def _suggestions(scope: _Scope, filters: SearchFilter, known_words: set[str]) -> list[Suggestion]:
    """Spellings of the query's unknown words that the index knows (rapidfuzz against its vocabulary), offered
    only if they find something in ``scope`` (what the user may see) with the same filters: a word of hidden
    content is never shown."""
    words = list(filters.query.words)
    unknown = [w for w in words if w not in known_words and not w.isdigit() and len(w) >= 3]
    if not unknown:
        return []
    window = Q()
    for word in unknown:
        # Inflected forms are longer than their stem: the window reaches further up than down.
        window |= Q(length__gte=len(word) - 3, length__lte=len(word) + 6, folded__startswith=word[0])
    vocabulary = sorted(SearchWord.objects.filter(window).values_list("stem", "word"), key=lambda r: (len(r[1]), r[1]))
    surface: dict[str, str] = {}
    for word_stem, word in vocabulary:
        surface.setdefault(word_stem, word)  # the shortest word of each stem
    stems = list(surface)
    candidates: list[list[str]] = []
    for word in words:
        if word not in unknown:
            candidates.append([word])
            continue
        matches = process.extract(stem(word), stems, scorer=fuzz.ratio, limit=5, score_cutoff=SUGGESTION_SCORE)
        spelled = [surface[match] for match, _score, _index in matches if match != stem(word)]
        if not spelled:
            return []
        candidates.append(spelled)
    # The best spelling of every unknown word together, then the next best ones, one word at a time.
    options = [[c[0] for c in candidates]]
    for i, spelled in enumerate(candidates):
        for other in spelled[1:]:
            options.append([*(c[0] for c in candidates[:i]), other, *(c[0] for c in candidates[i + 1 :])])
    suggestions: list[Suggestion] = []
    for option in options[:MAX_SUGGESTION_CHECKS]:
        q = " ".join(option)
        terms = [Term(word=w) for w in parse_query(q).words]
        if not terms:
            continue
        qs = _matching(scope, filters, terms)
        total = qs.count()
        if total:
            suggestions.append(Suggestion(q=q, total=total))
            break
    return suggestions
