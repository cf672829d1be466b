"""Persons, functions and organisations in the free text of minutes.

Minutes name presenters as "Name, Funktion, Organisation" ("Heiko Jahn, Geschäftsführer,
Wirtschaftsregion Lausitz"), sometimes without a function ("Prof. Dr.-Ing. Eckart Kramer, Hochschule
für nachhaltige Entwicklung Eberswalde"), sometimes several run together on one line ("Sven
Guntermann, Werkstattsprecher Karsten Eule-Prütz, Bürgermeister …"), sometimes straight after the
item's title on the same line. The heuristics here:

- A *name* is an optional salutation (Herr/Frau), optional academic titles (Prof., Dr., Dr.-Ing.,
  Dipl.-Ing., …), then two or three capitalised words (hyphenated names allowed, particles such as
  "von" inside) ending in a comma. "Frau Müller," (salutation and one word) is a name too.
- Between two names there must be at least one word of function or organisation.
- Where a three-word reading competes with a two-word one ("Gäste Sven Guntermann,"), the three-word
  reading is taken only if its first word is a known given name; a word that reads as a function
  ("Werkstattsprecher") or an organisation never starts a name. If neither first word is a known
  given name, the two-word reading is taken and the split is reported as uncertain.
- After the name, the parts separated by commas (outside parentheses) are function and
  organisation: the last part is the organisation when it reads like one (Hochschule, Stadt…, GmbH,
  e.V., …) or when there are two or more parts and it does not read like a function; a single part
  is a function unless it reads like an organisation.
- Labels such as "Alle Werkstattmitglieder", "alle Mitglieder", "N. N." or "Geschäftsstelle" are
  groups, not persons.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from werkstatt.importers.minutes.parsed import ParsedPerson

SALUTATIONS = {"Herr", "Frau", "Hr.", "Fr."}
# Academic titles as separate tokens ("Dr.-Ing." is one token, "Dr. med." two).
TITLE_TOKEN_RE = re.compile(
    r"^(?:Prof\.|Professor|Professorin|Dr\.|Dr\.-Ing\.|Dr\.-Ing\.habil\.|Dipl\.-[A-ZÄÖÜ][a-zäöü]*\.|Dipl\.|"
    r"Ing\.|med\.|rer\.|nat\.|pol\.|oec\.|phil\.|jur\.|habil\.|h\.\s?c\.|h\.c\.|PD|Jun\.-Prof\.|apl\.|"
    r"M\.\s?A\.|B\.\s?A\.|M\.\s?Sc\.|B\.\s?Sc\.|LL\.\s?M\.|MBA)$"
)
PARTICLES = {"von", "van", "de", "der", "den", "zu", "zur", "vom", "ten", "ter", "di", "da", "du", "le", "la", "af"}

# Words a function ends with ("Servicebereichsleiter", "Werkstattsprecherin", "Bürgermeister").
FUNCTION_SUFFIXES = (
    "leiter", "leiterin", "leitung", "führer", "führerin", "führung", "meister", "meisterin", "sprecher",
    "sprecherin", "manager", "managerin", "referent", "referentin", "direktor", "direktorin", "präsident",
    "präsidentin", "vorsitzender", "vorsitzende", "beauftragter", "beauftragte", "koordinator", "koordinatorin",
    "berater", "beraterin", "mitarbeiter", "mitarbeiterin", "bearbeiter", "bearbeiterin", "vorstand",
    "minister", "ministerin", "sekretär", "sekretärin", "landrat", "landrätin", "dezernent", "dezernentin",
    "inhaber", "inhaberin", "professor", "professorin", "vertreter", "vertreterin", "planer", "planerin",
    "ingenieur", "ingenieurin", "wissenschaftler", "wissenschaftlerin", "assistent", "assistentin",
    "abgeordneter", "abgeordnete", "chef", "chefin", "kanzler", "kanzlerin", "rektor", "rektorin", "dekan",
    "dekanin", "gesellschafter", "gesellschafterin", "stellvertreter", "stellvertreterin", "moderator",
    "moderatorin", "protokollant", "protokollantin", "architekt", "architektin", "entwickler", "entwicklerin",
    "förderer", "lotse", "lotsin", "experte", "expertin", "mitglied", "gründer", "gründerin", "beirat",
)  # fmt: skip
FUNCTION_WORDS = {"stellv.", "stv.", "mdl", "mdb", "leiter", "leiterin", "chef", "chefin"}

# Words an organisation contains or (as compounds) ends with.
ORGANISATION_SUFFIXES = (
    "hochschule", "universität", "stadt", "stadtverwaltung", "verwaltung", "landkreis", "kreis", "ministerium",
    "bank", "kammer", "region", "amt", "gemeinde", "verband", "agentur", "gesellschaft", "institut", "büro",
    "verein", "stiftung", "zentrum", "center", "akademie", "behörde", "werke", "klinikum", "krankenhaus",
    "kanzlei", "senat", "genossenschaft", "initiative", "netzwerk", "forum", "runde", "gruppe", "kommune",
    "landtag", "bundestag", "schule", "fakultät", "lehrstuhl", "kirche", "diakonie", "dienst", "betrieb",
    "werk", "holding", "cluster", "campus", "partner", "consult", "consulting", "ag", "fonds", "stelle",
)  # fmt: skip
ORGANISATION_TOKENS = {
    "gmbh", "mbh", "ggmbh", "e.v.", "e. v.", "ev", "ag", "kg", "ug", "eg", "aör", "kdör", "se", "gbr", "ohg",
    "lag", "kag", "ihk", "hwk", "btu", "ilb", "wrl", "stadt", "gemeinde", "amt", "land", "freistaat", "bund",
}  # fmt: skip
_ORGANISATION_START_RE = re.compile(r"^(?:Stadt|Gemeinde|Amt|Landkreis|Land|Freistaat|Bundes|Landes)\b")

GROUP_RE = re.compile(
    r"^(?:alle|alle\s+(?:werkstatt)?(?:mitglieder|teilnehmenden|teilnehmer(?:innen)?|anwesenden|beteiligten)\b[^.]*|"
    r"n\.\s?n\.?|nn|geschäftsstelle\b[^.]*|werkstattmitglieder|(?:die\s+)?mitglieder\s+der\s+werkstatt[^.]*|"
    r"teilnehmende|plenum|werkstatt\s*\d*|die werkstatt)$",
    re.IGNORECASE,
)
# A group at the end of an item's title written on one line ("… Projekten Alle Werkstattmitglieder").
TRAILING_GROUP_RE = re.compile(r"\s(Alle(?:\s+[A-ZÄÖÜ][\wäöüß-]*){1,3}|N\.\s?N\.)\s*$")

# Common given names; only used to decide between a two- and a three-word name.
_GIVEN_NAMES_TEXT = """
    Adam Adrian Alexander Alexandra Alfred Ali Alina Andrea Andreas Andrej Angela Angelika Anja Anke Anna Anne
    Annett Annette Antje Anton Antonia Armin Arne Astrid Axel Barbara Beate Benjamin Bernd Bernhard Bettina
    Birgit Björn Bodo Brigitte Carla Carmen Carola Carolin Carsten Caroline Christa Christian Christiane
    Christina Christine Christoph Christopher Claudia Clemens Cornelia Daniel Daniela David Denis Dennis Detlef
    Diana Dieter Dietmar Dirk Dominik Doris Dorothea Eckart Eckhard Edgar Elena Elisabeth Elke Ellen Emil Emma
    Erik Erika Ernst Esther Eva Fabian Falk Felix Florian Frank Franz Franziska Friedrich Fritz Gabriele Georg
    Gerd Gerhard Gisela Gregor Gudrun Günter Günther Hagen Hanna Hannah Hannes Hans Harald Hartmut Heidi
    Heike Heiko Heinz Helga Helmut Hendrik Henning Henrik Herbert Hermann Holger Horst Hubert Ilona Ilse Ina
    Ines Ingo Ingolf Ingrid Irene Iris Isabel Jakob Jan Jana Janina Jannik Jens Jessica Joachim Johann Johanna
    Johannes Jonas Jörg Josef Julia Julian Juliane Jürgen Jutta Kai Karin Karl Karla Karolin Karsten Katharina
    Kathrin Katja Katrin Kerstin Kevin Klaus Konrad Kristin Lars Laura Lea Lena Leon Lisa Lothar Lukas Lutz
    Maik Maja Manfred Manuel Manuela Marc Marcel Marco Marcus Maren Margit Maria Marie Marina Mario Mark Markus
    Marko Marlies Martin Martina Mathias Matthias Max Maximilian Meike Melanie Michael Michaela Mike Mirko
    Monika Nadine Nadja Nico Nicole Niels Nils Nina Norbert Olaf Oliver Pascal Patrick Paul Peggy Peter Petra
    Philipp Rainer Ralf Ralph Regina Reiner Reinhard Renate René Robert Roland Rolf Ronny Rüdiger Ruth Sabine
    Sabrina Sandra Sarah Sascha Sebastian Silke Simon Simone Sophie Stefan Stefanie Steffen Steffi Stephan
    Stephanie Susanne Sven Svenja Sylvia Tanja Thomas Thorsten Tilo Tim Tina Tobias Tom Torsten Udo Ulf Ulla
    Ulrich Ulrike Ursula Ute Uwe Valentin Vanessa Vera Viktor Volker Waltraud Werner Wilfried Wilhelm Wolfgang
    Yvonne
"""
GIVEN_NAMES = frozenset(_GIVEN_NAMES_TEXT.split())


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def is_name_word(word: str) -> bool:
    """A capitalised word that can be part of a person's name ("Eule-Prütz", "Guntermann")."""
    if len(word) < 2 or len(word) > 40:
        return False
    for part in word.split("-"):
        if len(part) < 2 or not part[0].isupper() or not part[1:].isalpha():
            return False
        # "Müller", "McLean" and "O'Brien" aside, a name part is lower case after its first letter.
        if not part[1:].islower():
            return False
    return True


def can_start_name(word: str) -> bool:
    """The first word of a name is no function ("Werkstattsprecher") and no organisation ("Stadt")."""
    return is_name_word(word) and not (is_function_word(word) or is_organisation_word(word))


def is_function_word(word: str) -> bool:
    w = word.strip(",;:()").lower()
    return w in FUNCTION_WORDS or any(w.endswith(suffix) for suffix in FUNCTION_SUFFIXES)


def is_organisation_word(word: str) -> bool:
    w = word.strip(",;:()").lower()
    if w in ORGANISATION_TOKENS:
        return True
    return len(w) > 3 and any(w.endswith(suffix) for suffix in ORGANISATION_SUFFIXES if len(suffix) > 2)


def looks_like_function(text: str) -> bool:
    words = text.split()
    return bool(words) and is_function_word(words[0])


def looks_like_organisation(text: str) -> bool:
    words = text.split()
    if not words or looks_like_function(text):
        return False
    if _ORGANISATION_START_RE.match(text):
        return True
    if any((w.strip(",;()").lower() in ORGANISATION_TOKENS and w[:1].isupper()) or w.lower() == "e.v." for w in words):
        return True
    if is_organisation_word(words[0]):
        return True
    # An abbreviation in capitals ("ILB", "MIL", "LAG Elbe-Elster").
    return bool(re.fullmatch(r"[A-ZÄÖÜ]{2,6}", words[0].strip(",;()")))


def is_group(text: str) -> bool:
    return bool(GROUP_RE.match(text.strip()))


@dataclass(frozen=True)
class NameMatch:
    first: int  # token index where the name (with salutation/titles) starts
    end: int  # token index after the token carrying the comma
    words: int  # name words (without salutation, titles and particles)
    salutation: bool
    titled: bool


def _match_name(tokens: list[_Token], i: int, *, need_comma: bool = True) -> list[NameMatch]:
    """Every reading of a name that starts at token ``i`` (shortest first)."""
    matches: list[NameMatch] = []
    j = i
    salutation = False
    if j < len(tokens) and tokens[j].text in SALUTATIONS:
        salutation = True
        j += 1
    titled = False
    while j < len(tokens) and TITLE_TOKEN_RE.match(tokens[j].text):
        titled = True
        j += 1
    words = 0
    k = j
    while k < len(tokens) and k - j < 6:
        word = tokens[k].text
        bare = word[:-1] if word.endswith(",") else word
        if bare in PARTICLES and words >= 1:
            if word.endswith(","):
                break
            k += 1
            continue
        if not (can_start_name(bare) if words == 0 else is_name_word(bare)):
            break
        words += 1
        k += 1
        minimum = 1 if (salutation or titled) else 2
        if words >= minimum and (word.endswith(",") or (not need_comma and k == len(tokens))):
            matches.append(NameMatch(i, k, words, salutation, titled))
        if word.endswith(",") or words >= 3:
            break
    return matches


@dataclass
class Split:
    """Where names start in a text, and whether the choice was a guess."""

    starts: list[int]  # character offsets where a person's name starts
    ambiguous: bool = False


def _choose(tokens: list[_Token], i: int) -> tuple[NameMatch | None, int, bool]:
    """The name starting at token ``i`` or ``i + 1``; returns (match, start token, ambiguous)."""
    here = _match_name(tokens, i)
    if not here:
        return None, i, False
    match = here[-1]
    if match.words == 3 and not match.salutation and not match.titled:
        first, second = tokens[i].text, tokens[i + 1].text
        if first in GIVEN_NAMES:
            return match, i, False
        shorter = _match_name(tokens, i + 1)
        if shorter:
            return shorter[-1], i + 1, second.split("-")[0] not in GIVEN_NAMES
    return match, i, False


def split_title(text: str) -> tuple[str, str, bool]:
    """An item's title written on one line with its presenters: (title, presenters, ambiguous).

    The title ends where the first presenter's name starts (a name followed by a comma), or before a
    trailing group label such as "Alle Werkstattmitglieder".
    """
    tokens = _tokens(text)
    for i in range(1, len(tokens)):
        match, start, ambiguous = _choose(tokens, i)
        if match is None:
            continue
        cut = tokens[start].start
        title = text[:cut].strip()
        if not title:
            continue
        return title, text[cut:].strip(), ambiguous
    group = TRAILING_GROUP_RE.search(text)
    if group and group.start() > 0:
        return text[: group.start()].strip(), group.group(1).strip(), False
    return text.strip(), "", False


def split_people(text: str) -> Split:
    """Where each person starts in a line that may hold several run together."""
    tokens = _tokens(text)
    if not tokens:
        return Split([])
    first, start, _ambiguous = _choose(tokens, 0)
    if first is None or start != 0:
        return Split([0])
    starts = [0]
    ambiguous = False
    i = first.end + 1  # at least one word of function or organisation in between
    while i < len(tokens):
        match, start, guess = _choose(tokens, i)
        if match is None:
            i += 1
            continue
        starts.append(tokens[start].start)
        ambiguous = ambiguous or guess
        i = match.end + 1
    return Split(starts, ambiguous)


def _split_commas(text: str) -> list[str]:
    """Comma-separated parts, commas inside parentheses kept."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def split_list(text: str) -> list[str]:
    """A list written on one line: parts separated by commas or semicolons outside parentheses."""
    return [part for chunk in re.split(r";", text) for part in _split_commas(chunk)]


def parse_person(text: str) -> tuple[ParsedPerson, bool]:
    """One presenter "Name, Funktion, Organisation"; returns (person, understood).

    ``understood`` is False when the text is neither a recognisable name nor a known group label;
    then it is kept as a group label, as written.
    """
    text = text.strip().strip(",;").strip()
    if is_group(text):
        return ParsedPerson(raw=text, group_label=text), True
    tokens = _tokens(text)
    matches = _match_name(tokens, 0, need_comma=False)
    if not matches:
        return ParsedPerson(raw=text, group_label=text), False
    match = matches[-1]
    j = 0
    if match.salutation:
        j += 1
    titles: list[str] = []
    while j < match.end and TITLE_TOKEN_RE.match(tokens[j].text):
        titles.append(tokens[j].text)
        j += 1
    names = [t.text.rstrip(",") for t in tokens[j : match.end]]
    particle_at = next((n for n, word in enumerate(names) if n > 0 and word in PARTICLES), None)
    if particle_at is not None:
        given, family = names[:particle_at], names[particle_at:]
    elif match.salutation and len(names) == 1:
        given, family = [], names
    else:
        given, family = names[:-1], names[-1:]
    rest = text[tokens[match.end - 1].end :].strip() if match.end <= len(tokens) else ""
    parts = _split_commas(rest)
    function = organisation = ""
    if len(parts) == 1:
        if looks_like_organisation(parts[0]):
            organisation = parts[0]
        else:
            function = parts[0]
    elif len(parts) > 1:
        if looks_like_function(parts[-1]) and not looks_like_organisation(parts[-1]):
            function = ", ".join(parts)
        else:
            function, organisation = ", ".join(parts[:-1]), parts[-1]
    person = ParsedPerson(
        raw=text,
        title=" ".join(titles),
        given_name=" ".join(given),
        family_name=" ".join(family),
        function=function,
        organization=organisation,
    )
    return person, True


def looks_like_person_line(text: str) -> bool:
    """Does the line start with a person's name or consist of a group label?"""
    text = text.strip()
    if not text:
        return False
    if is_group(text):
        return True
    tokens = _tokens(text)
    matches = _match_name(tokens, 0, need_comma=False)
    if not matches:
        return False
    match = matches[-1]
    if tokens[match.end - 1].text.endswith(","):
        return True
    # "Sven Guntermann" alone is a person; two capitalised words of a title are not ("Aktueller Sachstand").
    first = tokens[1 if match.salutation else 0].text
    return match.end == len(tokens) and (match.salutation or match.titled or first.split("-")[0] in GIVEN_NAMES)


def parse_people(text: str) -> tuple[list[ParsedPerson], list[str]]:
    """All presenters in one line; returns (persons, doubts) with doubts as German phrases."""
    doubts: list[str] = []
    split = split_people(text)
    if split.ambiguous:
        doubts.append("Trennung der Personen geschätzt")
    starts = [*split.starts, len(text)]
    people: list[ParsedPerson] = []
    for begin, end in itertools.pairwise(starts):
        chunk = text[begin:end].strip()
        if not chunk:
            continue
        person, understood = parse_person(chunk)
        if not understood:
            doubts.append(f"„{chunk}“ als Gruppe gelesen")
        people.append(person)
    return people, doubts
