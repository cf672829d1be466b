"""Matching names from minutes to what the register already knows, before anything new is created.

Names are compared by a key: case folded, accents folded ("Chóśebuz" = "Chosebuz", "ß" = "ss"),
academic titles and salutations dropped ("Prof. Dr.-Ing.", "Frau", "Herr"), spacing and the spacing
around hyphens and slashes folded. Organisations are also compared without their legal form
("Wirtschaftsregion Lausitz" = "Wirtschaftsregion Lausitz GmbH") and by their short name ("ILB").

Candidates are loaded once per document (``Candidates.load``): matching a long document costs a
fixed number of queries per kind of record, however many names it mentions. Records created while
importing are added to the candidates, so a new person named twice is created once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TypeVar

from werkstatt.core.text import normalise_text
from werkstatt.importers.minutes.parsed import ParsedPerson
from werkstatt.organizations.models import Body, Organization, OrganizationKind, Person, Workshop
from werkstatt.projects.models import Project

T = TypeVar("T")

# Academic titles, degrees and salutations: dropped from a name's key (compared case-folded, accents folded).
_TITLE_WORDS = frozenset(
    {
        "prof.",
        "prof",
        "professor",
        "professorin",
        "dr.",
        "dr",
        "dr.-ing.",
        "dr.-ing",
        "dr.ing.",
        "dr.med.",
        "dr.rer.nat.",
        "dr.phil.",
        "dr.h.c.",
        "dr.-ing.habil.",
        "med.",
        "rer.",
        "nat.",
        "pol.",
        "oec.",
        "phil.",
        "jur.",
        "habil.",
        "h.c.",
        "e.h.",
        "dipl.-ing.",
        "dipl.-ing",
        "dipl.-kfm.",
        "dipl.-kffr.",
        "dipl.-oec.",
        "dipl.-betriebsw.",
        "dipl.-verw.-wiss.",
        "dipl.-geogr.",
        "dipl.-soz.",
        "dipl.",
        "ing.",
        "m.a.",
        "m.sc.",
        "b.a.",
        "b.sc.",
        "m.eng.",
        "b.eng.",
        "mba",
        "ll.m.",
        "frau",
        "herr",
        "herrn",
    }
)

# Legal forms, as key words (after accent folding and case folding); "e.v." also written "e. v.".
_LEGAL_FORMS = (
    "ggmbh",
    "gmbh & co. kg",
    "gmbh",
    "mbh",
    "ag",
    "e.v.",
    "ev",
    "eg",
    "kg",
    "ohg",
    "gbr",
    "ug (haftungsbeschrankt)",
    "ug",
    "kdor",
    "a.d.o.r.",
    "aor",
)
_LEGAL_FORM_RE = re.compile(r"(?:^|[\s,])(?:" + "|".join(re.escape(form) for form in _LEGAL_FORMS) + r")(?=$|[\s,])")
_SPACE_RE = re.compile(r"\s+")
_JOINER_SPACE_RE = re.compile(r"\s*([-/–])\s*")
_PUNCT_END_RE = re.compile(r"[\s,;:]+$")


def fold(value: str) -> str:
    """Case and accents folded, spacing folded: the base of every key."""
    # Spacing around hyphens and slashes first, so that the known variants ("Cottbus/Chósebus") apply.
    value = normalise_text(_JOINER_SPACE_RE.sub(r"\1", normalise_text(value))).replace("ß", "ss").replace("ẞ", "ss")
    value = "".join(ch for ch in unicodedata.normalize("NFKD", value) if not unicodedata.combining(ch))
    value = value.casefold().replace("–", "-").replace("‐", "-")
    value = _JOINER_SPACE_RE.sub(r"\1", value)
    value = value.replace("e. v.", "e.v.").replace("e.v ", "e.v. ")
    return _SPACE_RE.sub(" ", value).strip()


def name_key(value: str) -> str:
    """The key of a person's name: folded, without titles and salutations."""
    words = [word for word in fold(value).replace(",", " ").split(" ") if word and word not in _TITLE_WORDS]
    return " ".join(words)


def organization_key(value: str) -> str:
    """The key of an organisation's name: folded (titles are no concern here)."""
    return _PUNCT_END_RE.sub("", fold(value))


def without_legal_form(key: str) -> str:
    """An organisation key without its legal form: "wirtschaftsregion lausitz gmbh" -> "wirtschaftsregion lausitz"."""
    stripped = _LEGAL_FORM_RE.sub(" ", key)
    return _PUNCT_END_RE.sub("", _SPACE_RE.sub(" ", stripped)).strip()


def title_key(value: str) -> str:
    """The key of a project title: folded, quotation marks dropped."""
    return fold(value).strip("„“”\"'‚‘’ ")


# (parts of the folded name, kind), first match wins: the more specific forms first. Parts match inside
# compounds too ("Investitionsbank", "Handwerkskammer"); a trailing space marks a whole word at the start.
_KIND_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("staatskanzlei",), OrganizationKind.CHANCELLERY),
    (("ministerium",), OrganizationKind.MINISTRY),
    (("landesamt", "landesbetrieb", "landesbehorde"), OrganizationKind.STATE_AGENCY),
    (("landkreis", "kreisverwaltung"), OrganizationKind.DISTRICT),
    (("stadtverwaltung", "stadt ", "gemeinde", "amt ", "amtsverwaltung"), OrganizationKind.MUNICIPALITY),
    (("hochschule", "universitat", "university", "institut", "btu "), OrganizationKind.UNIVERSITY),
    (("bank",), OrganizationKind.BANK),
    (("kammer",), OrganizationKind.CHAMBER),
    (("gewerkschaft", "dgb "), OrganizationKind.UNION),
)
_COMPANY_FORMS = ("ggmbh", "gmbh", "mbh", "ag")


def guess_organization_kind(name: str) -> str:
    """The kind of a new organisation, guessed from its name (the office may correct it later)."""
    key = fold(name)
    words = key.replace(",", " ").split()
    for parts, kind in _KIND_RULES:
        for part in parts:
            if (part.endswith(" ") and key.startswith(part)) or (not part.endswith(" ") and part in key):
                return kind
    if any(form in words for form in _COMPANY_FORMS):
        return OrganizationKind.COMPANY
    if "e.v." in words:
        return OrganizationKind.CIVIL_SOCIETY
    return OrganizationKind.OTHER


def _add(index: dict[str, list[T]], key: str, value: T) -> None:
    if key:
        bucket = index.setdefault(key, [])
        if value not in bucket:
            bucket.append(value)


@dataclass
class Candidates:
    """Persons, organisations, workshops and projects of one body, loaded once for one document."""

    body: Body
    persons: list[Person] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    workshops: list[Workshop] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    _person_keys: dict[str, list[Person]] = field(default_factory=dict)
    _family_keys: dict[str, list[Person]] = field(default_factory=dict)
    _org_names: dict[str, list[Organization]] = field(default_factory=dict)
    _org_bare: dict[str, list[Organization]] = field(default_factory=dict)
    _org_short: dict[str, list[Organization]] = field(default_factory=dict)
    _project_titles: dict[str, list[Project]] = field(default_factory=dict)

    @classmethod
    def load(cls, body: Body) -> Candidates:
        """Four queries: persons (with their organisation), organisations, workshops, projects."""
        candidates = cls(body=body)
        for organization in Organization.objects.filter(body=body).order_by("pk"):
            candidates.add_organization(organization)
        for person in Person.objects.filter(body=body).select_related("organization").order_by("pk"):
            candidates.add_person(person)
        candidates.workshops = list(Workshop.objects.filter(body=body).order_by("number"))
        for project in Project.objects.filter(body=body).order_by("pk"):
            candidates.add_project(project)
        return candidates

    def add_person(self, person: Person) -> None:
        self.persons.append(person)
        _add(self._person_keys, name_key(f"{person.given_name} {person.family_name}"), person)
        _add(self._family_keys, name_key(person.family_name), person)

    def add_organization(self, organization: Organization) -> None:
        self.organizations.append(organization)
        key = organization_key(organization.name)
        _add(self._org_names, key, organization)
        _add(self._org_bare, without_legal_form(key), organization)
        if organization.short_name:
            _add(self._org_short, organization_key(organization.short_name), organization)

    def add_project(self, project: Project) -> None:
        self.projects.append(project)
        _add(self._project_titles, title_key(project.title), project)

    # --- lookups ---------------------------------------------------------------------------

    def organization(self, name: str) -> Organization | None:
        key = organization_key(name)
        if not key:
            return None
        for index, lookup in (
            (self._org_names, key),
            (self._org_bare, without_legal_form(key)),
            (self._org_short, key),
        ):
            found = index.get(lookup)
            if found:
                return found[0]
        return None

    def person(self, parsed: ParsedPerson) -> Person | None:
        if parsed.group_label:
            return None
        key = name_key(f"{parsed.given_name} {parsed.family_name}")
        if not key:
            return None
        found = self._person_keys.get(key, [])
        if not found and not normalise_text(parsed.given_name):
            # "Herr Guntermann": the family name alone, if exactly one person has it.
            by_family = self._family_keys.get(key, [])
            found = by_family if len(by_family) == 1 else []
        if len(found) > 1 and parsed.organization:
            organization = self.organization(parsed.organization)
            same = [p for p in found if organization is not None and p.organization_id == organization.pk]
            found = same or found
        return found[0] if found else None

    def person_is_ambiguous(self, parsed: ParsedPerson) -> bool:
        key = name_key(f"{parsed.given_name} {parsed.family_name}")
        return len(self._person_keys.get(key, [])) > 1

    def workshop(self, number: int | None = None, name: str = "") -> Workshop | None:
        if number is not None:
            return next((w for w in self.workshops if w.number == number), None)
        key = fold(name)
        if not key:
            return None
        for workshop in self.workshops:
            if key in (fold(workshop.title), fold(workshop.label)):
                return workshop
        return None

    def project(self, title: str) -> Project | None:
        found = self._project_titles.get(title_key(title), [])
        return found[0] if found else None


def _candidates(source: Body | Candidates) -> Candidates:
    return source if isinstance(source, Candidates) else Candidates.load(source)


def match_person(parsed_person: ParsedPerson, body: Body | Candidates) -> Person | None:
    """The known person the minutes name (titles, case, accents and spacing ignored), or ``None``."""
    return _candidates(body).person(parsed_person)


def match_organization(name: str, body: Body | Candidates) -> Organization | None:
    """The known organisation: by exact name key, then without legal form, then by short name."""
    return _candidates(body).organization(name)


def match_workshop(body: Body | Candidates, *, number: int | None = None, name: str = "") -> Workshop | None:
    """The workshop by number, or by its title or label ("Werkstatt 4")."""
    return _candidates(body).workshop(number, name)


def match_project(title: str, body: Body | Candidates) -> Project | None:
    """The project with the same title (case, accents, quotation marks and spacing ignored)."""
    return _candidates(body).project(title)
