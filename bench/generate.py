"""Generate deterministic, realistic German data for benchmarks: ``bench/generate --size S|M|L --seed N``.

Writes into the configured database (``DATABASE_URL``, else the default SQLite file), which must be migrated and
hold no process data yet (no body, workshop, organisation, person, session or project): otherwise it refuses with
exit code 2 and writes nothing. Geo reference data and logins may be there already (both are kept up to date).

The same size and seed give the same rows (every date hangs on ``REFERENCE_DATE``, not on today; each phase draws
from its own ``random.Random`` seeded with size, seed and phase). The data passes the invariants of the services:
project status histories are paths through ``projects.workflow.TRANSITIONS`` with non-decreasing decision dates,
every session step has the lead workshop's consultation in a held session, sessions are numbered per workshop,
minutes are approved under the approval item of the next held session before they are published, money figures
obey the grant rules of ``Project``, comments sit on public projects or published minutes. Rows are written with
``bulk_create`` (one creation row in the history tables via django-simple-history's ``bulk_create_with_history``,
with the historic date), one transaction per phase; the search index is built at the end with
``search_index_rebuild()``. See bench/README.md for the sizes and the logins.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import os
import random
import sys
import time
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402

# Every date of the generated record hangs on this day (the data does not change with the day it is generated).
REFERENCE_DATE = dt.date(2026, 9, 30)
PASSWORD = "Werkstatt-Bench-2026"  # noqa: S105 - the documented login of generated benchmark data
REASON = "Testdaten (bench/generate)"
BATCH_SIZE = 2000
EXIT_REFUSED = 2
MAX_PRESENTATIONS = 9  # project presentations per session
USAGE = "Aufruf: bench/generate --size S|M|L --seed N (N eine ganze Zahl ab 0), z. B. bench/generate --size S --seed 1"

BODY_NAMES = ("Strukturwandel Mitteldeutsches Revier", "Strukturwandel Rheinisches Revier")
WORKSHOP_TITLES = (
    ("Wirtschaft, Innovation und Fachkräfte", ("Fachkräftesicherung", "Gewerbeflächen", "Gründungen")),
    ("Innovation und Digitalisierung", ("Breitband und 5G", "Digitale Verwaltung", "Forschungstransfer")),
    ("Infrastruktur und Mobilität", ("Schienenverkehr", "Radverkehr", "Wasserstoff im Verkehr")),
    (
        "Daseinsvorsorge, ländliche Entwicklung & “smart regions”",
        ("IUC-Modellregion Gesundheit", "Wärmeversorgung (Modellprojekte)", "Kita und Schule"),
    ),
    ("Kultur, Tourismus und Marketing", ("Industriekultur", "Sorbische/wendische Kultur", "Seenland-Tourismus")),
)
LOCATIONS = ("Bürgerzentrum", "Rathaus, Großer Sitzungssaal", "Kreisverwaltung", "Technologie- und Gründerzentrum")
STREETS = ("Am Markt", "Bahnhofstraße", "Karl-Marx-Straße", "Uferstraße", "Lindenallee", "Schulstraße", "Am Stadtpark")
CONDITIONS = "Der Projektträger legt bis zur Weiterleitung einen gesicherten Finanzierungsplan für den Eigenanteil vor."
CLOSING_OF_OUTCOME = {
    "recommendation": corpus.CLOSINGS[0],
    "recommendation_conditions": f"Es wurde eine Empfehlung mit Auflagen ausgesprochen. {CONDITIONS}",
    "deferral": "Die Werkstatt stellte das Projekt zurück; es wird weiter qualifiziert.",
    "no_recommendation": "Eine Empfehlung zur Weiterleitung wurde nicht ausgesprochen.",
    "notice": corpus.CLOSINGS[2],
}
OUTCOME_WEIGHTS = {
    "recommendation": 60,
    "recommendation_conditions": 10,
    "deferral": 12,
    "no_recommendation": 4,
    "notice": 14,
}
INSTRUMENT_WEIGHTS = {"invkg_arm1": 62, "stark": 24, "jtf": 5, "invkg_arm2": 5, "other": 4}
# Days between two steps that are not taken in a session: (source, target) -> (shortest, longest).
GAPS: dict[tuple[str, str], tuple[int, int]] = {
    ("idea", "submitted"): (30, 240),
    ("submitted", "qualification"): (14, 90),
    ("deferred", "qualification"): (30, 150),
    ("recommended", "forwarded"): (14, 60),
    ("forwarded", "confirmed"): (30, 150),
    ("forwarded", "applied"): (30, 150),
    ("confirmed", "applied"): (60, 300),
    ("confirmed", "implementation"): (60, 300),
    ("applied", "approved"): (90, 330),
    ("approved", "implementation"): (30, 200),
    ("implementation", "completed"): (365, 1500),
}
MILESTONE_WEIGHT = {"completed": 14.0, "implementation": 12.0, "approved": 9.0, "applied": 4.0, "confirmed": 3.0}


@dataclass(frozen=True)
class Size:
    name: str
    bodies: int
    workshops: int  # per body
    years: int
    projects: int
    milestones: int
    persons: int
    organizations: int
    documents: int
    news: int
    participants: int
    ideas: int
    comments: int
    subscriptions: int


SIZES: dict[str, Size] = {
    "S": Size("S", 1, 2, 2, 40, 320, 150, 40, 30, 12, 60, 24, 80, 40),
    "M": Size("M", 3, 5, 3, 1000, 8000, 4000, 400, 600, 120, 1200, 600, 2000, 1000),
    "L": Size("L", 3, 5, 15, 5000, 40000, 20000, 2000, 3000, 600, 6000, 3000, 10000, 5000),
}


class Refused(Exception):
    """The database is not one to generate into; the message says why (German)."""


# --- command line ------------------------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own messages are English; ours say what to do
        self.exit(EXIT_REFUSED, f"{USAGE}\n(Eingabe nicht verstanden: {message})\n")


def refuse(message: str) -> NoReturn:
    print(message, file=sys.stderr)
    raise SystemExit(EXIT_REFUSED)


def parse_args(argv: Sequence[str]) -> tuple[Size, int, bool]:
    parser = _Parser(prog="bench/generate", description="Erzeugt deterministische Testdaten (S, M oder L).")
    parser.add_argument("--size", help="S (Sekunden, für Tests), M (≈ 1/5 von L) oder L (bundesweiter Maßstab)")
    parser.add_argument("--seed", help="Startwert des Zufalls, eine ganze Zahl ab 0")
    parser.add_argument("--quiet", action="store_true", help="keine Fortschrittsbalken")
    args = parser.parse_args(argv)
    if args.size is None or args.seed is None:
        refuse(USAGE)
    size = SIZES.get(args.size.strip().upper())
    if size is None:
        refuse(f"Unbekannte Größe „{args.size}“: erlaubt sind S, M und L.\n{USAGE}")
    seed_text = args.seed.strip()
    if not seed_text.isascii() or not seed_text.isdigit():
        refuse(f"Der Startwert „{args.seed}“ ist keine ganze Zahl ab 0.\n{USAGE}")
    return size, int(seed_text), args.quiet


def check_database() -> None:
    """Refuse a database that is not migrated (or not reachable); nothing is written."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        raise Refused(f"Die Datenbank ist nicht erreichbar: {error}") from error
    if plan:
        raise Refused(
            f"Die Datenbank ist nicht auf dem aktuellen Stand ({len(plan)} Migrationen fehlen). "
            "Bitte zuerst migrieren: bin/werkstatt migrate"
        )


def check_empty() -> None:
    """Refuse a database that already holds process data: generated data is never mixed with real data."""
    from werkstatt.meetings.models import Meeting
    from werkstatt.organizations.models import Body, Organization, Person, Workshop
    from werkstatt.projects.models import Project

    found = {
        "Prozesse": Body.objects.count(),
        "Werkstätten": Workshop.objects.count(),
        "Organisationen": Organization.objects.count(),
        "Personen": Person.objects.count(),
        "Sitzungen": Meeting.objects.count(),
        "Projekte": Project.objects.count(),
    }
    held = ", ".join(f"{count} {label}" for label, count in found.items() if count)
    if held:
        raise Refused(
            f"Die Datenbank enthält bereits Daten ({held}); der Generator schreibt nur in eine leere, migrierte "
            "Datenbank. Bitte eine neue Datenbank anlegen oder diese leeren (bin/werkstatt flush)."
        )


def main(argv: Sequence[str] | None = None) -> int:
    size, seed, quiet = parse_args(sys.argv[1:] if argv is None else argv)
    from bench_status_report import setup_django

    setup_django(None, migrate=False)
    from django.db import connection

    try:
        check_database()
        start = time.perf_counter()
        counts = generate(size, seed, progress=not quiet)
    except Refused as refusal:
        print(str(refusal), file=sys.stderr)
        return EXIT_REFUSED
    elapsed = time.perf_counter() - start
    print(f"\nGröße {size.name}, Startwert {seed}, Datenbank {connection.vendor}: {elapsed:.1f} s\n")
    print(format_table(counts))
    print(
        f"\nAnmeldung (Passwort für alle: „{PASSWORD}“): "
        + ", ".join(f"{name} ({role})" for name, role in logins(size))
        + " – unter /konto/anmelden/"
    )
    return 0


def format_table(counts: dict[str, int]) -> str:
    width = max(len(name) for name in counts)
    lines = [f"{'Tabelle':<{width}}  {'Zeilen':>9}", f"{'-' * width}  {'-' * 9}"]
    lines += [f"{name:<{width}}  {count:>9,}".replace(",", ".") for name, count in counts.items()]
    return "\n".join(lines)


def logins(size: Size) -> list[tuple[str, str]]:
    """The accounts ``generate`` creates: the office, the bank, the State Chancellery and one speaker per workshop
    of the first body (linked to that workshop's speaker)."""
    return [
        ("buero", "Geschäftsstelle"),
        ("ilb", "Förderbank"),
        ("stk", "Staatskanzlei"),
        *((f"sprecher{n}", f"Sprecher/in Werkstatt {n}") for n in range(1, size.workshops + 1)),
    ]


# --- writing -----------------------------------------------------------------------------------------------------


@contextmanager
def historic_timestamps() -> Iterator[None]:
    """Let ``bulk_create`` keep the historic ``created``/``modified`` values the generator sets: ``auto_now`` and
    ``auto_now_add`` are off while it runs, in this process only; a row without a value gets the phase's date."""
    from django.apps import apps
    from django.db.models import DateTimeField

    fields = [
        f
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if isinstance(f, DateTimeField) and (f.auto_now or f.auto_now_add)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def aware(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def author_name(email: str) -> str:
    """``anna.bergmann.12@example.net`` shows as ``Anna B.``."""
    given, family = email.split(".")[:2]
    return f"{given.title()} {family[:1].upper()}."


def ascii_name(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c in ".-"))


@dataclass
class Consult:
    """A planned consultation: the project heard in a session, and what the session said."""

    project: Any
    meeting: Any
    authoritative: bool
    outcome: str = ""
    obj: Any = None  # the Consultation once built


@dataclass
class Change:
    source: str
    target: str
    day: dt.date
    note: str = ""
    consult: Consult | None = None


@dataclass
class Plan:
    project: Any
    topic: corpus.Topic
    place: corpus.Place
    changes: list[Change] = field(default_factory=list)
    consults: list[Consult] = field(default_factory=list)


class Agenda:
    """The agenda of one session as it is built: items numbered 1, 2, … with sub-items 4.1, 4.2, …"""

    def __init__(self, meeting: Any, *, held: bool, created: dt.datetime) -> None:
        self.meeting, self.held, self.created = meeting, held, created
        self.items: list[Any] = []
        self.top = 0

    def add(self, title: str, kind: str, result: str, *, number: str = "", **extra: Any) -> Any:
        from werkstatt.core.richtext import sanitise_html
        from werkstatt.meetings.models import AgendaItem

        if not number:
            self.top += 1
            number = str(self.top)
        item = AgendaItem(
            meeting=self.meeting,
            order=len(self.items) + 1,
            number=number,
            title=normalise(title)[:500],
            kind=kind,
            result=sanitise_html(f"<p>{result}</p>") if self.held and result else "",
            created=self.created,
            **extra,
        )
        self.items.append(item)
        return item


def normalise(text: str) -> str:
    from werkstatt.core.text import normalise_text

    return normalise_text(text)


class Generator:
    def __init__(self, size: Size, seed: int, *, progress: bool) -> None:
        self.size, self.seed, self.progress = size, seed, progress
        self.counts: Counter[str] = Counter()
        self.start = REFERENCE_DATE - dt.timedelta(days=round(size.years * 365.25))
        self.span = (REFERENCE_DATE - self.start).days

    def rng(self, phase: str) -> random.Random:
        return random.Random(f"{self.size.name}:{self.seed}:{phase}")

    # -- helpers --

    def write(self, model: Any, objs: list[Any], *, bar: Any = None, when: dt.datetime | None = None) -> list[Any]:
        """Bulk-create ``objs`` in batches; models with a history get one creation row each, dated like the row."""
        from simple_history.utils import bulk_create_with_history

        if not objs:
            return objs
        stamps = [
            f.attname
            for f in model._meta.concrete_fields
            if f.get_internal_type() == "DateTimeField" and not f.null and f.attname not in ("history_date",)
        ]
        fallback = when or aware(REFERENCE_DATE)
        for obj in objs:
            for name in stamps:
                if getattr(obj, name) is None:
                    setattr(obj, name, fallback)
            if hasattr(obj, "created") and isinstance(obj.created, dt.datetime):
                obj._history_date = obj.created
        has_history = hasattr(model, "history") and not model._meta.auto_created
        saved: list[Any] = []
        for i in range(0, len(objs), BATCH_SIZE):
            chunk = objs[i : i + BATCH_SIZE]
            if has_history:
                saved += bulk_create_with_history(
                    chunk, model, batch_size=BATCH_SIZE, default_user=self.office, default_change_reason=REASON
                )
            else:
                saved += model.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
            if bar is not None:
                bar.update(len(chunk))
        self.counts[model._meta.label] += len(saved)
        return saved

    @contextmanager
    def phase(self, name: str, total: int) -> Iterator[Any]:
        from django.db import transaction
        from tqdm import tqdm

        with (
            tqdm(
                total=total, desc=f"{name:<30}", unit=" Zeilen", file=sys.stderr, disable=not self.progress, leave=True
            ) as bar,
            transaction.atomic(),
        ):
            yield bar
            bar.total = max(bar.total or 0, bar.n)
            bar.refresh()

    def day_in(self, rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=rng.randrange(max(1, (last - first).days + 1)))

    # -- phases --

    def run(self) -> dict[str, int]:
        self.reference()  # through the services, with today's timestamps
        with historic_timestamps():
            self.structure()
            self.people()
            self.sessions()
            self.projects()
            self.agendas()
            self.milestones()
            self.documents()
            self.news()
            self.participation()
            self.search()
        return self.table()

    def reference(self) -> None:
        from werkstatt.accounts.models import Role
        from werkstatt.accounts.services import user_create_or_reset
        from werkstatt.geo.models import District, Municipality
        from werkstatt.geo.services import geo_reference_data_load

        with self.phase("Geodaten und Anmeldungen", 3 + len(logins(self.size))) as bar:
            geo_reference_data_load()
            bar.update(3)
            municipalities = list(Municipality.objects.order_by("ags"))
            self.places = [corpus.Place(m.display_name, m.district_id, m.pk) for m in municipalities]
            self.municipality_of = {m.pk: m for m in municipalities}
            self.districts = list(District.objects.order_by("ags"))
            users = {}
            for username, _label in logins(self.size):
                role = {"buero": Role.OFFICE, "ilb": Role.BANK, "stk": Role.CHANCELLERY}.get(username, Role.MEMBER)
                users[username] = user_create_or_reset(username=username, password=PASSWORD, role=role)
                bar.update(1)
            self.office, self.bank, self.chancellery = users["buero"], users["ilb"], users["stk"]
            self.speaker_users = [users[f"sprecher{n}"] for n in range(1, self.size.workshops + 1)]
            self.actor_of = {"office": self.office, "bank": self.bank, "chancellery": self.chancellery}

    def structure(self) -> None:
        from django.conf import settings

        from werkstatt.geo.models import Location
        from werkstatt.organizations.models import Body, FocusArea, LegislativeTerm, Workshop

        rng = self.rng("structure")
        size = self.size
        with self.phase("Prozesse und Werkstätten", 0) as bar:
            names = (settings.WERKSTATT_BODY_NAME, *BODY_NAMES)[: size.bodies]
            founded = aware(self.start - dt.timedelta(days=90))
            self.bodies = self.write(
                Body, [Body(name=name, created=founded, modified=founded) for name in names], bar=bar
            )
            terms = []
            for body in self.bodies:
                first = self.start.year
                while first <= REFERENCE_DATE.year:
                    last = first + 6
                    terms.append(
                        LegislativeTerm(
                            body=body,
                            name=f"Förderperiode {first}–{last}",
                            start_date=dt.date(first, 1, 1),
                            end_date=dt.date(last, 12, 31),
                            created=founded,
                        )
                    )
                    first = last + 1
            self.write(LegislativeTerm, terms, bar=bar)
            # The portal addresses a workshop by its number alone: numbers run on across the bodies.
            workshops = []
            for b, body in enumerate(self.bodies):
                for i in range(size.workshops):
                    title, _areas = WORKSHOP_TITLES[i % len(WORKSHOP_TITLES)]
                    workshops.append(
                        Workshop(
                            body=body,
                            number=b * size.workshops + i + 1,
                            title=title,
                            mission=f"Die Werkstatt berät Projekte zum Thema „{title}“ und begleitet sie bis zur "
                            "Umsetzung. Sie bündelt die Erfahrung ihrer Mitgliedsorganisationen aus der Region.",
                            comment_moderation="post" if rng.random() < 0.3 else "pre",
                            created=founded,
                        )
                    )
            self.workshops = self.write(Workshop, workshops, bar=bar)
            areas = [
                FocusArea(workshop=w, title=title, order=n)
                for i, w in enumerate(self.workshops)
                for n, title in enumerate(WORKSHOP_TITLES[i % size.workshops % len(WORKSHOP_TITLES)][1])
            ]
            areas = self.write(FocusArea, areas, bar=bar)
            self.areas_of: dict[int, list[Any]] = defaultdict(list)
            for area in areas:
                self.areas_of[area.workshop_id].append(area)
            locations = []
            for _body in self.bodies:
                for place in rng.sample(self.places, 8):
                    locations.append(
                        Location(
                            description=rng.choice(LOCATIONS),
                            street_address=f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
                            postal_code=f"0{rng.randint(1000, 4999)}",
                            locality=place.name,
                            municipality_id=place.municipality_id,
                            created=founded,
                        )
                    )
            locations = self.write(Location, locations, bar=bar)
            self.locations_of = {body.pk: locations[i * 8 : (i + 1) * 8] for i, body in enumerate(self.bodies)}

    def people(self) -> None:
        from werkstatt.organizations.models import (
            Membership,
            MembershipRole,
            Organization,
            OrganizationKind,
            Person,
            WorkshopMember,
        )

        rng = self.rng("people")
        size = self.size
        founded = aware(self.start - dt.timedelta(days=60))
        kinds = [
            ("municipality", 20),
            ("company", 30),
            ("civil_society", 15),
            ("university", 6),
            ("chamber", 4),
            ("local_action_group", 4),
            ("union", 3),
            ("state_agency", 3),
            ("other", 3),
        ]
        with self.phase("Organisationen und Personen", size.organizations + size.persons) as bar:
            orgs: list[Any] = []
            self.orgs_of: dict[int, list[Any]] = {}
            self.special: dict[tuple[int, str], Any] = {}
            for b, body in enumerate(self.bodies):
                share = size.organizations // size.bodies + (1 if b < size.organizations % size.bodies else 0)
                names: set[str] = set()
                own: list[Any] = []

                def add(
                    name: str,
                    kind: str,
                    short: str = "",
                    body: Any = body,
                    names: set[str] = names,
                    own: list[Any] = own,
                ) -> Any:
                    if name in names:
                        return None
                    names.add(name)
                    org = Organization(body=body, name=name, short_name=short, kind=kind, created=founded)
                    own.append(org)
                    return org

                self.special[(body.pk, "chancellery")] = add("Staatskanzlei", OrganizationKind.CHANCELLERY, "StK")
                self.special[(body.pk, "bank")] = add("Investitionsbank des Landes", OrganizationKind.BANK, "ILB")
                self.special[(body.pk, "agency")] = add(
                    "Wirtschaftsregion Lausitz GmbH", OrganizationKind.DEVELOPMENT_AGENCY, "WRL"
                )
                add("Interministerielle Arbeitsgruppe Strukturentwicklung", OrganizationKind.WORKING_GROUP, "IMAG")
                for ministry in corpus.MINISTRIES[: max(0, share - len(own) - 10)]:
                    add(ministry, OrganizationKind.MINISTRY)
                for district in self.districts:
                    if len(own) < share:
                        prefix = "Stadt" if district.kind.lower().startswith("kreisfrei") else "Landkreis"
                        add(f"{prefix} {district.display_name}", OrganizationKind.DISTRICT)
                attempts = 0
                while len(own) < share and attempts < share * 50:
                    attempts += 1
                    kind = rng.choices([k for k, _w in kinds], [w for _k, w in kinds])[0]
                    place = rng.choice(self.places)
                    if kind == "municipality":
                        municipality = self.municipality_of[place.municipality_id]
                        name = f"{'Stadt' if municipality.kind == 'Stadt' else 'Gemeinde'} {place.name}"
                    else:
                        name = corpus.organization_name(rng, kind, place)
                    add(name[:250], kind)
                assert len(own) == share, "not enough distinct organisation names"
                self.orgs_of[body.pk] = own
                orgs += own
            self.write(Organization, orgs, bar=bar)

            # Persons: each body's share, most of them working for one of its organisations.
            persons: list[Any] = []
            self.persons_of: dict[int, list[Any]] = {}
            for b, body in enumerate(self.bodies):
                share = size.persons // size.bodies + (1 if b < size.persons % size.bodies else 0)
                own = []
                for n in range(share):
                    title, given, family = corpus.person_name(rng)
                    own.append(
                        Person(
                            body=body,
                            title=title,
                            given_name=given,
                            family_name=family,
                            function=rng.choice(corpus.FUNCTIONS),
                            email=f"{ascii_name(given)}.{ascii_name(family)}.{b}{n}@example.org",
                            organization=rng.choice(self.orgs_of[body.pk]) if rng.random() < 0.9 else None,
                            created=founded,
                        )
                    )
                self.persons_of[body.pk] = own
                persons += own

            # Who sits in which workshop: member organisations, a speaker, a deputy and delegates.
            members, memberships = [], []
            self.speaker_of: dict[int, Any] = {}
            self.delegates_of: dict[int, list[Any]] = {}
            self.office_person_of: dict[int, Any] = {}
            self.bank_person_of: dict[int, Any] = {}
            for body in self.bodies:
                pool = self.persons_of[body.pk]
                office = pool[0]
                office.organization, office.function = self.special[(body.pk, "agency")], "Projektmanager/in"
                bank = pool[1]
                bank.organization, bank.function = self.special[(body.pk, "bank")], "Leiter/in Lausitz-Büro"
                self.office_person_of[body.pk], self.bank_person_of[body.pk] = office, bank
                taken = rng.sample(range(2, len(pool)), min(len(pool) - 2, 40 * size.workshops))
                cursor = 0
                for workshop in (w for w in self.workshops if w.body_id == body.pk):
                    member_orgs = rng.sample(
                        self.orgs_of[body.pk], min(len(self.orgs_of[body.pk]), rng.randint(12, 30))
                    )
                    for order, org in enumerate(member_orgs):
                        since = self.start if rng.random() < 0.8 else self.day_in(rng, self.start, REFERENCE_DATE)
                        until = None
                        if rng.random() < 0.1:
                            until = self.day_in(rng, since, REFERENCE_DATE)
                        members.append(
                            WorkshopMember(workshop=workshop, organization=org, since=since, until=until, order=order)
                        )
                    seats = taken[cursor : cursor + rng.randint(10, 38)]
                    cursor += len(seats)
                    delegates = []
                    for k, index in enumerate(seats):
                        person = pool[index]
                        org = member_orgs[k % len(member_orgs)]
                        person.organization = org
                        role = (
                            MembershipRole.SPEAKER
                            if k == 0
                            else MembershipRole.DEPUTY
                            if k == 1
                            else MembershipRole.DELEGATE
                        )
                        if k == 0:
                            person.function = "Werkstattsprecher/in"
                            self.speaker_of[workshop.pk] = person
                            if workshop.number <= len(self.speaker_users):
                                person.user = self.speaker_users[workshop.number - 1]
                        memberships.append(
                            Membership(
                                person=person,
                                workshop=workshop,
                                role=role,
                                on_behalf_of=org,
                                start_date=self.start,
                                statement="Der Strukturwandel gelingt nur, wenn wir die Menschen mitnehmen."
                                if k == 0
                                else "",
                                created=founded,
                            )
                        )
                        delegates.append(person)
                    self.delegates_of[workshop.pk] = delegates
            self.write(Person, persons, bar=bar)
            bar.total += len(members) + len(memberships)
            self.write(WorkshopMember, members, bar=bar)
            self.write(Membership, memberships, bar=bar)

    def sessions(self) -> None:
        from werkstatt.meetings.models import Meeting
        from werkstatt.meetings.workflow import MeetingState, MinutesState

        rng = self.rng("sessions")
        meetings: list[Any] = []
        for workshop in self.workshops:
            day = self.start + dt.timedelta(days=rng.randrange(60))
            number = 0
            own = []
            while day <= REFERENCE_DATE + dt.timedelta(days=150):
                day += dt.timedelta(days=(1 - day.weekday()) % 7 + rng.choice((0, 1, 2)))  # Tuesday to Thursday
                number += 1
                state = (
                    MeetingState.HELD
                    if day <= REFERENCE_DATE
                    else MeetingState.INVITED
                    if day <= REFERENCE_DATE + dt.timedelta(days=40)
                    else MeetingState.PLANNED
                )
                begin = rng.choice((9, 10, 13, 14))
                body = workshop.body_id
                own.append(
                    Meeting(
                        workshop=workshop,
                        number=number,
                        date=day,
                        start_time=dt.time(begin, 0),
                        end_time=dt.time(begin + 2, 30),
                        location=rng.choice(self.locations_of[body]),
                        chair=self.speaker_of.get(workshop.pk),
                        chair_function="Werkstattsprecher/in",
                        minute_taker=self.office_person_of[body],
                        minute_taker_function="Geschäftsstelle, Wirtschaftsregion Lausitz",
                        state=state,
                        minutes_state=MinutesState.DRAFT,
                        created=aware(day - dt.timedelta(days=60)),
                        modified=aware(min(REFERENCE_DATE, day + dt.timedelta(days=80))),
                    )
                )
                day += dt.timedelta(days=rng.randint(56, 84))
            held = [m for m in own if m.state == MeetingState.HELD]
            for m in held[:-1]:
                # Approved under the approval item of the next session; published soon after, bar a few.
                m.minutes_state = MinutesState.PUBLISHED if rng.random() < 0.97 else MinutesState.APPROVED
            if held:
                held[-1].minutes_state = MinutesState.CIRCULATED
            future = [m for m in own if m.state != MeetingState.HELD]
            workshop.next_session_date = future[0].date if future else None
            meetings += own
        with self.phase("Sitzungen", len(meetings)) as bar:
            self.meetings = self.write(Meeting, meetings, bar=bar)
            from werkstatt.organizations.models import Workshop

            Workshop.objects.bulk_update(self.workshops, ["next_session_date"])
            self.meetings_of: dict[int, list[Any]] = defaultdict(list)
            for m in self.meetings:
                self.meetings_of[m.workshop_id].append(m)
            self.dates_of = {w: [m.date for m in ms] for w, ms in self.meetings_of.items()}
            # Attendance of held sessions: delegates of the workshop and their organisations.
            people_rows, org_rows = [], []
            for m in self.meetings:
                if m.state != MeetingState.HELD:
                    continue
                delegates = self.delegates_of.get(m.workshop_id, [])
                present = rng.sample(delegates, min(len(delegates), rng.randint(8, 20)))
                people_rows += [Meeting.attendees.through(meeting_id=m.pk, person_id=p.pk) for p in present]
                orgs = {p.organization_id for p in present if p.organization_id}
                org_rows += [
                    Meeting.attending_organizations.through(meeting_id=m.pk, organization_id=o) for o in sorted(orgs)
                ]
            bar.total += len(people_rows) + len(org_rows)
            self.write(Meeting.attendees.through, people_rows, bar=bar)
            self.write(Meeting.attending_organizations.through, org_rows, bar=bar)

    # -- projects: a walk through the workflow table, sessions where the table asks for one --

    def _session(self, workshop_id: int, earliest: dt.date, load: Counter[int]) -> Any:
        """The first session of the workshop on or after ``earliest`` with room on the agenda (or None)."""
        meetings, dates = self.meetings_of[workshop_id], self.dates_of[workshop_id]
        for m in meetings[bisect_left(dates, earliest) :][:6]:
            if load[m.pk] < MAX_PRESENTATIONS:
                return m
        return None

    def _walk(self, rng: random.Random, plan: Plan, received: dt.date, load: Counter[int]) -> None:
        from werkstatt.meetings.workflow import MeetingState
        from werkstatt.projects.models import ConsultationOutcome
        from werkstatt.projects.services import OUTCOME_TARGET
        from werkstatt.projects.workflow import TERMINAL_STATES, get_step, steps_from

        project = plan.project
        first = "idea" if rng.random() < 0.7 else "submitted"
        plan.changes.append(Change("", first, received))
        state, day = first, received
        others = [w for w in self.workshops if w.body_id == project.body_id and w.pk != project.lead_workshop_id]

        def step(target: str, when: dt.date, note: str = "", consult: Consult | None = None) -> None:
            nonlocal state, day
            get_step(project.instrument, state, target)  # the workflow table's refusal, should a path be wrong
            plan.changes.append(Change(state, target, when, note, consult))
            state, day = target, when

        # Some projects stall on the way (a sponsor without the own share, a plan that waits for a permit).
        stall_after = rng.randint(1, 9) if rng.random() < 0.2 else None
        while state not in TERMINAL_STATES:
            if stall_after is not None and len(plan.changes) >= stall_after:
                break
            if rng.random() < 0.01:
                when = day + dt.timedelta(days=rng.randint(20, 200))
                if when <= REFERENCE_DATE:
                    step("withdrawn", when, corpus.STATUS_NOTES["withdrawn"])
                break
            if state in ("qualification", "presented") or (state == "deferred" and rng.random() < 0.5):
                if state == "qualification" and rng.random() < 0.03:
                    when = day + dt.timedelta(days=rng.randint(30, 200))
                    if when > REFERENCE_DATE:
                        break
                    step("rejected", when, corpus.STATUS_NOTES["rejected"])
                    break
                meeting = self._session(project.lead_workshop_id, day + dt.timedelta(days=rng.randint(21, 240)), load)
                if meeting is None:
                    break
                load[meeting.pk] += 1
                consult = Consult(project, meeting, authoritative=True)
                if meeting.state != MeetingState.HELD:
                    plan.consults.append(consult)  # on the agenda of a coming session, no outcome yet
                    break
                outcomes = {k: w for k, w in OUTCOME_WEIGHTS.items() if not (state == "presented" and k == "notice")}
                consult.outcome = rng.choices(list(outcomes), list(outcomes.values()))[0]
                plan.consults.append(consult)
                if state != "presented":
                    step("presented", meeting.date, f"Vorgestellt in der {meeting.title}", consult)
                target = OUTCOME_TARGET[consult.outcome]
                if target != "presented":
                    # The note ``projects.services._move_by_outcome`` writes.
                    note = f"{ConsultationOutcome(consult.outcome).label} in der {meeting.title}"
                    if consult.outcome == "recommendation_conditions":
                        note = f"{note}. {CONDITIONS}"
                    step(target, meeting.date, note, consult)
                if others and rng.random() < 0.15:
                    other = self._session(rng.choice(others).pk, meeting.date, load)
                    heard = {c.meeting.pk for c in plan.consults}
                    if other is not None and other.state == MeetingState.HELD and other.pk not in heard:
                        load[other.pk] += 1
                        plan.consults.append(Consult(project, other, authoritative=False, outcome="notice"))
                continue
            targets = [s.target for s in steps_from(project.instrument, state) if s.target != "withdrawn"]
            targets = [t for t in targets if (state, t) in GAPS or t == "rejected"]
            if not targets:
                break
            main = [t for t in targets if t != "rejected"]
            target = main[0] if main and rng.random() > 0.05 else rng.choice(targets)
            low, high = GAPS.get((state, target), (30, 200))
            when = day + dt.timedelta(days=rng.randint(low, high))
            if when > REFERENCE_DATE:
                break
            if target == "approved":
                self._grant(rng, project)
            note = corpus.STATUS_NOTES["rejected"] if target == "rejected" else ""
            step(target, when, note)

    def _grant(self, rng: random.Random, project: Any) -> None:
        total = decimal.Decimal(rng.randrange(400, 40_000) * 1000)
        eligible = (total * decimal.Decimal(rng.randint(70, 100)) / 100).quantize(decimal.Decimal("1"))
        grant = (eligible * decimal.Decimal(rng.randint(50, 90)) / 100).quantize(decimal.Decimal("1"))
        project.total_cost, project.eligible_cost, project.grant = total, eligible, max(grant, decimal.Decimal(25000))

    def projects(self) -> None:
        from werkstatt.projects.models import FundingArea, Project
        from werkstatt.projects.services import DATE_FIELD_OF_STATE
        from werkstatt.projects.workflow import APPROVED_STATES

        rng = self.rng("projects")
        load: Counter[int] = Counter()
        plans: list[Plan] = []
        sponsor_kinds = {"municipality", "district", "company", "civil_society", "university", "state_agency"}
        sponsors_of = {body.pk: [o for o in self.orgs_of[body.pk] if o.kind in sponsor_kinds] for body in self.bodies}
        # Oldest first, so that earlier projects take the earlier sessions' agenda slots.
        # More projects in recent years than at the start (the process grows), so that the register holds every
        # stage, not mostly finished projects.
        horizon = self.span - 20
        received_days = sorted(
            self.start + dt.timedelta(days=int(horizon * rng.random() ** 0.6)) for _ in range(self.size.projects)
        )
        for received in received_days:
            lead = rng.choice(self.workshops)
            topic, place = rng.choice(corpus.TOPICS), rng.choice(self.places)
            title, description = corpus.project_text(rng, topic, place)
            municipality = self.municipality_of[place.municipality_id]
            point = rng.random() < 0.7 and municipality.latitude is not None
            jitter = decimal.Decimal(rng.randint(-300, 300)) / 100000
            project = Project(
                body_id=lead.body_id,
                title=normalise(title),
                sponsor=rng.choice(sponsors_of[lead.body_id]),
                contact=rng.choice(self.persons_of[lead.body_id]),
                lead_workshop=lead,
                instrument=rng.choices(list(INSTRUMENT_WEIGHTS), list(INSTRUMENT_WEIGHTS.values()))[0],
                funding_area=rng.choice(FundingArea.values),
                municipality_id=place.municipality_id,
                district_id=place.district_id,
                latitude=municipality.latitude + jitter if point and municipality.latitude else None,
                longitude=municipality.longitude + jitter if point and municipality.longitude else None,
                description=normalise(description),
                expected_effect=f"Rund {rng.randint(2, 150)} Arbeitsplätze, bessere Versorgung in {place.name}.",
                expected_jobs=rng.randint(0, 150) if rng.random() < 0.6 else None,
                public=rng.random() < 0.9,
                public_contact=rng.random() < 0.5,
                created=aware(received),
            )
            if rng.random() < 0.8:
                project.total_cost = decimal.Decimal(rng.randrange(300, 40_000) * 1000)
            plan = Plan(project, topic, place)
            self._walk(rng, plan, received, load)
            last = plan.changes[-1]
            project.state = last.target
            for change in plan.changes:
                name = DATE_FIELD_OF_STATE.get(change.target)
                if name and getattr(project, name) is None:
                    setattr(project, name, change.day)
            if project.state in APPROVED_STATES:
                project.public_finances = project.public and rng.random() < 0.7
            if rng.random() < 0.2 and project.planned_start is None and project.approved_on:
                project.planned_start = project.approved_on + dt.timedelta(days=rng.randint(30, 200))
                project.planned_end = project.planned_start + dt.timedelta(days=rng.randint(365, 1800))
            project.modified = aware(last.day, 16)
            plans.append(plan)
        self.plans = plans
        with self.phase("Projekte", len(plans)) as bar:
            self.project_list = self.write(Project, [p.project for p in plans], bar=bar)
            other_rows, area_rows = [], []
            for plan in plans:
                project = plan.project
                others = sorted({c.meeting.workshop_id for c in plan.consults if not c.authoritative})
                other_rows += [Project.other_workshops.through(project_id=project.pk, workshop_id=w) for w in others]
                areas = self.areas_of[project.lead_workshop_id]
                if areas and rng.random() < 0.4:
                    area_rows.append(
                        Project.focus_areas.through(project_id=project.pk, focusarea_id=rng.choice(areas).pk)
                    )
            bar.total += len(other_rows) + len(area_rows)
            self.write(Project.other_workshops.through, other_rows, bar=bar)
            self.write(Project.focus_areas.through, area_rows, bar=bar)

    def agendas(self) -> None:
        from werkstatt.meetings.models import AgendaItem, AgendaItemKind, AgendaItemPresenter
        from werkstatt.meetings.workflow import MeetingState
        from werkstatt.projects.models import Consultation, ConsultationRole, ProjectStatusChange
        from werkstatt.projects.workflow import get_step

        rng = self.rng("agendas")
        consults_of: dict[int, list[Consult]] = defaultdict(list)
        plan_of: dict[int, Plan] = {}
        for plan in self.plans:
            plan_of[id(plan.project)] = plan
            for c in plan.consults:
                consults_of[c.meeting.pk].append(c)
        items: list[Any] = []
        presenters: list[tuple[Any, dict[str, Any]]] = []
        item_of_consult: dict[int, Any] = {}
        previous: dict[int, Any] = {}
        for meeting in self.meetings:
            held = meeting.state == MeetingState.HELD
            year = meeting.date.year
            body = meeting.workshop.body_id
            place = rng.choice(self.places)
            created = aware(meeting.date - dt.timedelta(days=30))
            agenda = Agenda(meeting, held=held, created=created)
            add, items_here = agenda.add, agenda.items
            add(
                "Begrüßung und Feststellung der Tagesordnung",
                AgendaItemKind.ORDINARY,
                "Die Sitzungsleitung begrüßte die Mitglieder. Die Tagesordnung wurde ohne Änderungen bestätigt.",
            )
            before = previous.get(meeting.workshop_id)
            if before is not None:
                add(
                    f"Bestätigung des Protokolls der {before.number}. Sitzung",
                    AgendaItemKind.MINUTES_APPROVAL,
                    f"Das Protokoll der {before.number}. Sitzung wird bestätigt.",
                    approves_meeting=before,
                )
            previous[meeting.workshop_id] = meeting
            bank = self.bank_person_of[body]
            if year >= 2024:
                report = add(
                    "Aktueller Sachstand der Projekte",
                    AgendaItemKind.PROJECT_REPORT,
                    f"Die ILB berichtete über den Stand der Projekte der Werkstatt. {year} stehen "
                    f"{rng.randint(1, 6)} Inbetriebnahmen und {rng.randint(1, 5)} Grundsteinlegungen an. "
                    + corpus.theme_text(rng, rng.choice(corpus.TOPICS), place, year),
                )
                presenters.append((report, {"person": bank, "function": bank.function, "org": bank.organization}))
            else:
                add(
                    "Bericht der Geschäftsstelle",
                    AgendaItemKind.ORDINARY,
                    corpus.theme_text(rng, rng.choice(corpus.TOPICS), place, year),
                )
            heard = sorted(consults_of.get(meeting.pk, []), key=lambda c: c.project.pk)
            if heard:
                header = add("Vorstellung von Projekten", AgendaItemKind.ORDINARY, "")
                for k, consult in enumerate(heard, start=1):
                    project = consult.project
                    plan = plan_of[id(project)]
                    closing = (
                        CLOSING_OF_OUTCOME.get(consult.outcome, "") if consult.authoritative else corpus.CLOSINGS[2]
                    )
                    item = add(
                        f"Vorstellung {project.kind_label} „{project.title}“",
                        AgendaItemKind.PROJECT_PRESENTATION,
                        corpus.result_text(rng, plan.topic, plan.place, year, closing),
                        number=f"{header.number}.{k}",
                    )
                    item_of_consult[id(consult)] = item
                    contact = project.contact
                    presenters.append((item, {"person": contact, "function": contact.function, "org": project.sponsor}))
            target = rng.randint(11, 16)
            while len(items_here) < target - 1:
                theme = rng.choice(corpus.THEMES)
                areas = self.areas_of.get(meeting.workshop_id) or [None]
                area = rng.choice(areas)
                topic = rng.choice(corpus.TOPICS)
                title = theme.format(focus=area.title if area else topic.title, topic=topic.title)
                add(title, AgendaItemKind.ORDINARY, corpus.theme_text(rng, topic, place, year))
            if rng.random() < 0.08:
                add(
                    "Interne Abstimmung zur Priorisierung der Projekte",
                    AgendaItemKind.ORDINARY,
                    "Die Mitglieder stimmten die Reihenfolge der nächsten Projektvorstellungen ab.",
                    public=False,
                )
            add("Sonstiges", AgendaItemKind.ORDINARY, "Der nächste Termin wird mit der Einladung bekannt gegeben.")
            items += items_here

        with self.phase("Tagesordnungen und Beratungen", len(items)) as bar:
            self.items = self.write(AgendaItem, items, bar=bar)
            rows = []
            for item, spec in presenters:
                person = spec["person"]
                org = spec["org"]
                rows.append(
                    AgendaItemPresenter(
                        agenda_item=item,
                        person=person,
                        function=spec["function"],
                        organization=org,
                        organization_name=org.display_name if org else "",
                    )
                )
            bar.total += len(rows)
            self.write(AgendaItemPresenter, rows, bar=bar)
            consultations = []
            for plan in self.plans:
                for c in plan.consults:
                    c.obj = Consultation(
                        project=c.project,
                        meeting=c.meeting,
                        agenda_item=item_of_consult[id(c)],
                        authoritative=c.authoritative,
                        role=ConsultationRole.RECOMMENDATION if c.authoritative else ConsultationRole.PRESENTATION,
                        outcome=c.outcome,
                        conditions=CONDITIONS if c.outcome == "recommendation_conditions" else "",
                        outcome_recorded_by=self.office if c.outcome else None,
                        created=aware(c.meeting.date - dt.timedelta(days=21)),
                        modified=aware(c.meeting.date, 17),
                    )
                    consultations.append(c.obj)
            bar.total += len(consultations)
            self.write(Consultation, consultations, bar=bar)
            changes = []
            for plan in self.plans:
                for n, change in enumerate(plan.changes):
                    step = get_step(plan.project.instrument, change.source, change.target) if change.source else None
                    actor = self.office
                    if step is not None and not step.from_session:
                        actor = self.actor_of[sorted(step.actors)[0]]
                    changes.append(
                        ProjectStatusChange(
                            project=plan.project,
                            from_state=change.source,
                            to_state=change.target,
                            decision_date=change.day,
                            note=change.note,
                            actor=actor,
                            consultation=change.consult.obj if change.consult else None,
                            created=aware(change.day, 11, n % 60),
                        )
                    )
            bar.total += len(changes)
            self.write(ProjectStatusChange, changes, bar=bar)

    def milestones(self) -> None:
        from werkstatt.projects.models import Milestone, MilestoneKind

        rng = self.rng("milestones")
        projects = self.project_list
        weights = [MILESTONE_WEIGHT.get(p.state, 0.3) for p in projects]
        picks = Counter(p.pk for p in rng.choices(projects, weights, k=self.size.milestones))
        kinds = list(MilestoneKind.values)
        rows = []
        for project in projects:
            count = picks.get(project.pk, 0)
            base = project.approved_on or project.confirmed_on or REFERENCE_DATE
            for _ in range(count):
                kind = rng.choice(kinds)
                planned = base + dt.timedelta(days=rng.randint(30, 5 * 365))
                done = planned <= REFERENCE_DATE and (project.state == "completed" or rng.random() < 0.85)
                actual = min(REFERENCE_DATE, planned + dt.timedelta(days=rng.randint(-20, 60))) if done else None
                rows.append(
                    Milestone(
                        project=project,
                        kind=kind,
                        title="Übergabe an den Betreiber" if kind == MilestoneKind.OTHER else "",
                        planned_date=planned,
                        actual_date=actual,
                        created=aware(min(base, REFERENCE_DATE)),
                        modified=aware(min(actual or base, REFERENCE_DATE)),
                    )
                )
        with self.phase("Meilensteine", len(rows)) as bar:
            self.write(Milestone, rows, bar=bar)

    def documents(self) -> None:
        from werkstatt.documents.models import File
        from werkstatt.meetings.models import Meeting
        from werkstatt.meetings.workflow import MeetingState
        from werkstatt.projects.models import Project

        rng = self.rng("documents")
        held = [m for m in self.meetings if m.state == MeetingState.HELD]
        files, owners = [], []
        for n in range(self.size.documents):
            topic, place = rng.choice(corpus.TOPICS), rng.choice(self.places)
            if n % 2 == 0 and held:
                meeting = rng.choice(held)
                text = corpus.document_text(rng, topic, place, meeting.date.year, rng.randint(2, 4))
                name = f"Präsentation {topic.title}"
                public = meeting.minutes_state == "published" and rng.random() < 0.95
                when = meeting.date
                owners.append(("meeting", meeting))
            else:
                project = rng.choice(self.project_list)
                when = project.created.date()
                text = corpus.document_text(rng, topic, place, when.year, rng.randint(2, 5))
                name = f"Projektsteckbrief {project.title}"
                public = project.public and rng.random() < 0.9
                owners.append(("project", project))
            files.append(
                File(
                    name=name[:250],
                    file_name=f"{ascii_name(name.replace(' ', '-'))[:80]}-{n}.pdf",
                    mime_type="application/pdf",
                    size=len(text.encode()) * 3,
                    text=text,
                    public=public,
                    created=aware(when),
                )
            )
        with self.phase("Dokumente", len(files)) as bar:
            saved = self.write(File, files, bar=bar)
            meeting_rows = [
                Meeting.files.through(meeting_id=o.pk, file_id=f.pk)
                for f, (kind, o) in zip(saved, owners, strict=True)
                if kind == "meeting"
            ]
            project_rows = [
                Project.files.through(project_id=o.pk, file_id=f.pk)
                for f, (kind, o) in zip(saved, owners, strict=True)
                if kind == "project"
            ]
            self.write(Meeting.files.through, meeting_rows)
            self.write(Project.files.through, project_rows)

    def news(self) -> None:
        from werkstatt.news.models import NewsItem

        rng = self.rng("news")
        seen: set[tuple[int, dt.date, str]] = set()
        rows: list[Any] = []
        links: list[Any] = []
        while len(rows) < self.size.news:
            workshop = rng.choice(self.workshops)
            day = self.day_in(rng, self.start, REFERENCE_DATE)
            title, text = corpus.news_text(rng, rng.choice(corpus.TOPICS), rng.choice(self.places))
            key = (workshop.body_id, day, title)
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                NewsItem(
                    body_id=workshop.body_id,
                    title=title,
                    date=day,
                    teaser=text.split(": ")[0].split(". ")[0] + ".",
                    text=f"<p>{text}</p>",
                    published=rng.random() < 0.95,
                    created=aware(day, 9),
                )
            )
            links.append(workshop)
        with self.phase("Neuigkeiten", len(rows)) as bar:
            saved = self.write(NewsItem, rows, bar=bar)
            self.write(
                NewsItem.workshops.through,
                [
                    NewsItem.workshops.through(newsitem_id=n.pk, workshop_id=w.pk)
                    for n, w in zip(saved, links, strict=True)
                ],
            )

    def participation(self) -> None:
        from werkstatt.meetings.workflow import MeetingState
        from werkstatt.participation.models import (
            Comment,
            CommentStatus,
            Frequency,
            Idea,
            IdeaStatus,
            Participant,
            Subscription,
            SubscriptionTopic,
        )

        rng = self.rng("participation")
        size = self.size
        since = max(self.start, REFERENCE_DATE - dt.timedelta(days=4 * 365))

        def moment(first: dt.date = since) -> dt.datetime:
            return aware(self.day_in(rng, first, REFERENCE_DATE), rng.randint(7, 22), rng.randint(0, 59))

        with self.phase("Beteiligung", size.participants + size.ideas + size.comments + size.subscriptions) as bar:
            participants = []
            for n in range(size.participants):
                _title, given, family = corpus.person_name(rng)
                created = moment()
                participants.append(
                    Participant(
                        email=f"{ascii_name(given)}.{ascii_name(family)}.{n}@example.net",
                        created_at=created,
                        confirmed_at=created + dt.timedelta(minutes=rng.randint(1, 600))
                        if rng.random() < 0.92
                        else None,
                        last_active_at=created,
                    )
                )
            participants = self.write(Participant, participants, bar=bar)
            confirmed = [p for p in participants if p.confirmed_at]

            ideas: list[Any] = []
            projects_of: dict[int, list[Any]] = defaultdict(list)
            for project in self.project_list:
                projects_of[project.lead_workshop_id].append(project)
            for _ in range(size.ideas):
                workshop = rng.choice(self.workshops)
                place = rng.choice(self.places)
                title, description = corpus.idea_text(rng, place)
                participant = rng.choice(confirmed) if rng.random() < 0.95 else rng.choice(participants)
                created = max(moment(), participant.created_at)
                idea = Idea(
                    workshop=workshop,
                    title=title,
                    description=description,
                    municipality_id=place.municipality_id,
                    by_young_person=rng.random() < 0.1,
                    participant=participant,
                    created_at=created,
                    confirmed_at=participant.confirmed_at and max(created, participant.confirmed_at),
                )
                if idea.confirmed_at is not None:
                    status = rng.choices(
                        [
                            IdeaStatus.NEW,
                            IdeaStatus.ANSWERED,
                            IdeaStatus.DECLINED,
                            IdeaStatus.PROJECT,
                            IdeaStatus.MERGED,
                        ],
                        [35, 35, 10, 10, 10],
                    )[0]
                    earlier = [
                        i
                        for i in ideas[-50:]
                        if i.workshop_id == workshop.pk and i.confirmed_at and i.status != IdeaStatus.MERGED
                    ]
                    later = [p for p in projects_of[workshop.pk] if p.created >= idea.confirmed_at]
                    if status == IdeaStatus.MERGED and not earlier:
                        status = IdeaStatus.ANSWERED
                    if status == IdeaStatus.PROJECT and not later:
                        status = IdeaStatus.ANSWERED
                    if status != IdeaStatus.NEW:
                        idea.status = status
                        idea.answer = rng.choice(corpus.OFFICIAL_ANSWERS)
                        idea.answered_at = idea.confirmed_at + dt.timedelta(days=rng.randint(2, 40))
                        idea.answered_by = self.office
                        if status == IdeaStatus.MERGED:
                            idea.merged_into = rng.choice(earlier)
                        if status == IdeaStatus.PROJECT:
                            idea.project = later[0]
                ideas.append(idea)
            # An idea merged into another needs that one's key: write the others first.
            self.write(Idea, [i for i in ideas if i.merged_into is None], bar=bar)
            for idea in ideas:
                if idea.merged_into is not None:
                    idea.merged_into_id = idea.merged_into.pk
            self.write(Idea, [i for i in ideas if i.merged_into is not None], bar=bar)

            public_projects = [p for p in self.project_list if p.public]
            published = [m for m in self.meetings if m.state == MeetingState.HELD and m.minutes_state == "published"]
            moderation = {w.pk: w.comment_moderation for w in self.workshops}
            comments: list[Any] = []
            answers: list[Any] = []
            first_round = size.comments - size.comments // 12
            for _ in range(first_round):
                on_project = rng.random() < 0.7 or not published
                target: dict[str, Any]
                if on_project:
                    project = rng.choice(public_projects)
                    target, workshop_id, first = {"project": project}, project.lead_workshop_id, project.created.date()
                else:
                    meeting = rng.choice(published)
                    target, workshop_id = {"meeting": meeting}, meeting.workshop_id
                    first = meeting.date + dt.timedelta(days=40)
                first = max(first, since)
                if first > REFERENCE_DATE:
                    first = REFERENCE_DATE
                participant = rng.choice(participants)
                created = max(moment(first), participant.created_at)
                comment = Comment(
                    participant=participant,
                    author_name=author_name(participant.email) if rng.random() < 0.5 else "",
                    body=rng.choice(corpus.COMMENTS),
                    created_at=created,
                    **target,
                )
                if participant.confirmed_at is not None:
                    comment.confirmed_at = max(created, participant.confirmed_at)
                    roll = rng.random()
                    if moderation.get(workshop_id) == "post" or roll < 0.8:
                        comment.status = CommentStatus.PUBLISHED
                        comment.published_at = comment.confirmed_at + dt.timedelta(hours=rng.randint(0, 48))
                        if moderation.get(workshop_id) != "post":
                            comment.moderated_at, comment.moderated_by = comment.published_at, self.office
                    elif roll < 0.9:
                        comment.status = CommentStatus.REJECTED
                        comment.rejection_reason = "Der Kommentar enthält persönliche Angriffe."
                        comment.moderated_at = comment.confirmed_at + dt.timedelta(hours=rng.randint(1, 48))
                        comment.moderated_by = self.office
                comments.append(comment)
            comments = self.write(Comment, comments, bar=bar)
            released = [c for c in comments if c.status == CommentStatus.PUBLISHED]
            for comment in rng.sample(released, min(len(released), size.comments - first_round)):
                when = comment.published_at + dt.timedelta(days=rng.randint(1, 14))
                answers.append(
                    Comment(
                        project_id=comment.project_id,
                        meeting_id=comment.meeting_id,
                        user=self.office,
                        author_name="Geschäftsstelle",
                        body=rng.choice(corpus.OFFICIAL_ANSWERS),
                        is_official=True,
                        reply_to=comment,
                        status=CommentStatus.PUBLISHED,
                        created_at=when,
                        confirmed_at=when,
                        published_at=when,
                    )
                )
            self.write(Comment, answers, bar=bar)

            subscriptions: list[Any] = []
            taken: set[tuple[Any, ...]] = set()
            attempts = 0
            while len(subscriptions) < size.subscriptions and attempts < size.subscriptions * 20:
                attempts += 1
                participant = rng.choice(participants)
                topic = rng.choices(list(SubscriptionTopic.values), [40, 30, 15, 15])[0]
                target_key: dict[str, Any] = {}
                if topic == SubscriptionTopic.WORKSHOP:
                    target_key = {"workshop": rng.choice(self.workshops)}
                elif topic == SubscriptionTopic.PROJECT:
                    target_key = {"project": rng.choice(public_projects)}
                elif topic == SubscriptionTopic.DISTRICT:
                    target_key = {"district": rng.choice(self.districts)}
                key = (participant.pk, topic, *(v.pk for v in target_key.values()))
                if key in taken:
                    continue
                taken.add(key)
                created = max(moment(), participant.created_at)
                subscriptions.append(
                    Subscription(
                        participant=participant,
                        topic=topic,
                        frequency=Frequency.WEEKLY if rng.random() < 0.4 else Frequency.IMMEDIATE,
                        created_at=created,
                        confirmed_at=max(created, participant.confirmed_at) if participant.confirmed_at else None,
                        **target_key,
                    )
                )
            self.write(Subscription, subscriptions, bar=bar)

    def search(self) -> None:
        from django.db import connection

        from werkstatt.search.services import search_index_rebuild

        with self.phase("Suchindex", 1) as bar:
            self.counts["search.SearchEntry"] = search_index_rebuild()
            bar.update(1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # as autovacuum would, later: the planner needs statistics now
                cursor.execute("ANALYZE")

    def table(self) -> dict[str, int]:
        """Rows per table as they are in the database now (history tables summed up in one line)."""
        from django.apps import apps

        counts: dict[str, int] = {}
        history = 0
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label not in APP_LABELS:
                continue
            rows = model._default_manager.count()
            if model.__name__.startswith("Historical"):
                history += rows
            elif rows:
                counts[model._meta.db_table] = rows
        counts["Verlaufstabellen (simple-history)"] = history
        return counts


APP_LABELS = frozenset(
    {"accounts", "organizations", "meetings", "projects", "documents", "news", "geo", "participation", "search"}
)


def generate(size: Size, seed: int, *, progress: bool = False) -> dict[str, int]:
    """Fill the (migrated, empty) configured database with the data of ``size`` and ``seed``; returns the rows
    per table. Raises ``Refused`` (nothing written) when the database already holds process data."""
    check_empty()
    return Generator(size, seed, progress=progress).run()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    raise SystemExit(main())
