"""German text for the search: folding, tokens, stems, the query as terms, compounds and highlighted snippets.

One pipeline for what is indexed and what is asked, on both databases:

- ``fold``: lower case, NFC, diacritics removed (``Chóśebuz`` → ``chosebuz``, ``ł`` → ``l``), ``ß`` → ``ss``,
  umlauts written out and folded alike (``Müller``, ``Mueller`` and ``Muller`` all become ``muller``);
- ``tokens``: words of letters and digits (``Elbe-Elster`` → ``elbe``, ``elster``); everything else is a separator,
  so no character of the user's input ever reaches the full-text syntax of a database;
- ``stem``: the Snowball German stemmer (``Projekte`` → ``projekt``, ``Notärzten`` → ``notarzt``), used for the
  SQLite index and for highlighting; PostgreSQL stems with its own ``german_stem`` (docs/search.md).
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import snowballstemmer

# A query is cut to this many characters and words; longer input gets a German notice.
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 10
# Tokens longer than this are no words (hashes, URLs); they are neither indexed nor searched.
MAX_TOKEN_LENGTH = 40
# A compound is split only if both parts are long enough to mean something.
MIN_COMPOUND_LENGTH = 7
MIN_PREFIX_LENGTH = 3
MIN_HEAD_LENGTH = 4
LINKING_ELEMENTS = ("es", "s", "n")

_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
# Letters without a Unicode decomposition, folded by hand (Lower Sorbian ł, Scandinavian ø and æ, …).
_EXTRA_FOLDS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "ß": "ss"})
# Umlauts written out ("Mueller"), except "ue" after "q" ("Quelle") and "e" after a vowel pair start ("neue").
_WRITTEN_UMLAUT_RE = re.compile(r"(?<![aeiouq])(ae|oe|ue)")

# The Snowball German stop words (as PostgreSQL's ``german.stop``), folded: never required in a query.
_STOP_WORDS_RAW = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes anderm andern
anderr anders auch auf aus bei bin bis bist da damit dann der den des dem die das daß derselbe derselben
denselben desselben demselben dieselbe dieselben dasselbe dazu dein deine deinem deinen deiner deines denn
derer dessen dich dir du dies diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer
eines einig einige einigem einigen einiger einiges einmal er ihn ihm es etwas euer eure eurem euren eurer
eures für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren
ihrer ihres euch im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann
kein keine keinem keinen keiner keines können könnte machen man manche manchem manchen mancher manches mein
meine meinem meinen meiner meines mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine
seinem seinen seiner seines selbst sich sie ihnen sind so solche solchem solchen solcher solches soll sollte
sondern sonst über um und uns unse unsem unsen unser unses unter viel vom von vor während war waren warst
was weg weil weiter welche welchem welchen welcher welches wenn werde werden wie wieder will wir wird wirst
wo wollen wollte würde würden zu zum zur zwar zwischen
"""


def fold(text: str) -> str:
    """Lower case without diacritics, ``ß`` as ``ss`` and umlauts folded with their written-out forms."""
    text = unicodedata.normalize("NFKD", (text or "").lower().translate(_EXTRA_FOLDS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_EXTRA_FOLDS)
    return _WRITTEN_UMLAUT_RE.sub(lambda m: m.group(1)[0], text)


def tokens(text: str) -> list[str]:
    """The folded words of ``text``, in order (too long tokens left out)."""
    return [t for t in _TOKEN_RE.findall(fold(text)) if len(t) <= MAX_TOKEN_LENGTH]


def fold_text(text: str) -> str:
    """``text`` as the index stores it for the database: its folded words, separated by spaces."""
    return " ".join(tokens(text))


@functools.lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("german")


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Snowball German stem of a folded word."""
    return str(_stemmer().stemWord(word))


def stem_text(text: str) -> str:
    """The stems of ``text``'s words, for the SQLite index."""
    return " ".join(stem(t) for t in tokens(text))


STOP_WORDS = frozenset(fold(w) for w in _STOP_WORDS_RAW.split())


# --- the query -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One part of the query that a hit must contain: a word, or a split compound (``tele*`` and ``notarzt``)."""

    word: str  # folded, as typed
    prefix: str = ""  # a compound's first part, matched as a prefix (folded)
    head: str = ""  # a compound's last part, a word of the index (folded)

    @property
    def is_compound(self) -> bool:
        return bool(self.head)

    @property
    def parts(self) -> list[tuple[str, bool]]:
        """What the database matches: ``(folded word, as prefix)`` pairs, all required."""
        if self.is_compound:
            return [(self.prefix, True), (self.head, False)]
        return [(self.word, False)]

    def matches(self, token: str) -> bool:
        """Whether an indexed (folded) token is one this term found, for highlighting."""
        token_stem = stem(token)
        if self.is_compound:
            return token.startswith(stem(self.prefix)) or token_stem == stem(self.head) or token.endswith(self.head)
        return token_stem == stem(self.word)


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # what is searched (cut to the maximum length), as typed
    words: tuple[str, ...]  # folded words, stop words left out
    truncated: bool = False

    @property
    def empty(self) -> bool:
        return not self.words


def parse_query(raw: str) -> ParsedQuery:
    """The user's input as words: whatever they typed, only letters and digits come through."""
    text = " ".join((raw or "").split())
    truncated = len(text) > MAX_QUERY_LENGTH
    if truncated:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] if " " in text[:MAX_QUERY_LENGTH] else text[:MAX_QUERY_LENGTH]
    words: list[str] = []
    for token in tokens(text):
        if token in STOP_WORDS or token in words:
            continue
        words.append(token)
    if len(words) > MAX_QUERY_WORDS:
        truncated = True
        words = words[:MAX_QUERY_WORDS]
    return ParsedQuery(text=text, words=tuple(words), truncated=truncated)


def compound_splits(word: str) -> list[tuple[str, str]]:
    """Possible ``(prefix, head)`` splits of a folded compound, longest head first; a linking ``s``/``es``/``n``
    at the end of the prefix is dropped (``arbeitsmarkt`` → ``arbeit`` + ``markt``)."""
    if len(word) < MIN_COMPOUND_LENGTH or word.isdigit():
        return []
    splits: list[tuple[str, str]] = []
    for i in range(MIN_PREFIX_LENGTH, len(word) - MIN_HEAD_LENGTH + 1):
        prefix, head = word[:i], word[i:]
        for link in LINKING_ELEMENTS:
            if prefix.endswith(link) and len(prefix) - len(link) >= MIN_PREFIX_LENGTH:
                splits.append((prefix[: -len(link)], head))
        splits.append((prefix, head))
    return splits


# --- snippets ------------------------------------------------------------------------------------

SNIPPET_WORDS = 30

_WORD_SPLIT_RE = re.compile(r"([^\W_]+)", re.UNICODE)


def _marked(text: str, terms: Iterable[Term]) -> list[tuple[str, bool]]:
    """``text`` in pieces ``(piece, is a hit)``, words and what lies between them."""
    terms = list(terms)
    pieces: list[tuple[str, bool]] = []
    for i, piece in enumerate(_WORD_SPLIT_RE.split(text)):
        if not piece:
            continue
        hit = False
        if i % 2 == 1:
            folded = fold(piece)
            hit = any(term.matches(folded) for term in terms)
        pieces.append((piece, hit))
    return pieces


def _render(pieces: list[tuple[str, bool]]) -> str:
    return "".join(f"<mark>{html.escape(p)}</mark>" if hit else html.escape(p) for p, hit in pieces)


def highlight(text: str, terms: Iterable[Term]) -> str:
    """``text`` HTML-escaped, with the words the query found in ``<mark>``."""
    return _render(_marked(text, terms))


def snippet(text: str, terms: Iterable[Term], *, words: int = SNIPPET_WORDS) -> str:
    """About ``words`` words of ``text`` around its first hit, HTML-escaped, hits in ``<mark>``, cut ends as „…“.
    Empty if ``text`` has no hit."""
    pieces = _marked(" ".join(text.split()), terms)
    hits = [i for i, (_, hit) in enumerate(pieces) if hit]
    if not hits:
        return ""
    word_positions = [i for i, (p, _) in enumerate(pieces) if _WORD_SPLIT_RE.fullmatch(p)]
    first = word_positions.index(hits[0])
    start_word = max(0, first - words // 3)
    end_word = min(len(word_positions), start_word + words)
    start = word_positions[start_word] if start_word else 0
    end = word_positions[end_word - 1] + 1 if end_word < len(word_positions) else len(pieces)
    if end < len(pieces) and end < len(pieces) and not _WORD_SPLIT_RE.fullmatch(pieces[end][0]):
        # keep closing punctuation of the last word
        trailing = pieces[end][0]
        if trailing.strip() in {".", ",", ";", ":", "!", "?", ")", "“"}:
            end += 1
    rendered = _render(pieces[start:end]).strip()
    return ("… " if start else "") + rendered + (" …" if end < len(pieces) else "")
