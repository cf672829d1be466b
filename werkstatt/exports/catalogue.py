"""The catalogue of open data: every export, feed and API of the platform, as the page "Offene Daten"
(``portal:open-data``) lists it.

Each ``Entry`` names what it is (title, short German description, format), where it is (a URL name with
its arguments, or an example looked up when the page is shown) and under which licence (the platform's
data licence from the settings unless the entry names another). Whoever adds an export, a feed or an
API adds its entry to ``ENTRIES``, in its group; a test opens every entry's URL as an anonymous user.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from werkstatt.exports.licence import GEODATA_LICENCE, Licence, data_licence
from werkstatt.meetings.selectors import meeting_newest_with_published_minutes


@dataclass(frozen=True)
class Group:
    key: str
    title: str | Promise
    description: str | Promise = ""


# In the order the page shows them; a group without entries is left out.
GROUPS: tuple[Group, ...] = (
    Group(
        "projects",
        _("Projektregister"),
        _("Die Projekte des Registers mit Steckbrief, Stand und Entscheidungsdaten, mit den Filtern des Registers."),
    ),
    Group(
        "facts",
        _("Zahlen und Fakten"),
        _(
            "Die Tabellen der Seite „Zahlen und Fakten“, je Auswertung eine CSV-Datei für Excel (UTF-8, Semikolon, "
            "Dezimalkomma, deutsches Datum), mit denselben Zahlen wie die Grafiken. Gezählt wird das öffentliche "
            "Projektregister; Beträge nur, wo sie veröffentlicht sind."
        ),
    ),
    Group("meetings", _("Sitzungen"), _("Die Sitzungen aller Werkstätten mit Terminen, Orten und Dokumenten.")),
    Group(
        "meeting-documents",
        _("Dokumente einer Sitzung"),
        _(
            "Für jede Sitzung einzeln abrufbar; die Adressen stehen auf der Sitzungsseite und in der "
            "Sitzungsliste. Verlinkt ist jeweils ein Beispiel: die jüngste Sitzung mit veröffentlichtem Protokoll."
        ),
    ),
    Group("api", _("Schnittstellen")),
    Group("feeds", _("Kalender und Feeds")),
    Group(
        "sources",
        _("Daten anderer"),
        _("Referenzdaten, die die Plattform nutzt, mit ihrer eigenen Lizenz und Quellenangabe."),
    ),
)


@dataclass(frozen=True)
class Example:
    """An object to link as an example of a per-object download: the URL arguments and how to call it."""

    args: tuple[Any, ...]
    label: str


def _newest_published_session() -> Example | None:
    meeting = meeting_newest_with_published_minutes()
    if meeting is None:
        return None
    return Example(args=(meeting.pk,), label=f"{meeting.title} am {meeting.date:%d.%m.%Y}")


# Looked up at most once per page, however many entries use them.
EXAMPLES: dict[str, Callable[[], Example | None]] = {"newest-published-session": _newest_published_session}


@dataclass(frozen=True)
class Entry:
    title: str | Promise
    description: str | Promise
    format: str | Promise
    group: str  # a key of GROUPS
    url_name: str = ""  # empty for an entry without a URL of its own (data of others)
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    example: str = ""  # a key of EXAMPLES: the URL is that object's, shown as an example
    licence: Licence | None = None  # None: the platform's data licence (settings)


ENTRIES: list[Entry] = [
    # --- projects --------------------------------------------------------------------------------
    Entry(
        _("Projektregister als CSV"),
        _(
            "Eine Zeile je Projekt mit den Angaben des Steckbriefs, Stand und Entscheidungsdaten; für Excel: "
            "UTF-8, Semikolon, Dezimalkomma, deutsches Datum. Beträge nur, wenn die Kosten eines Projekts "
            "veröffentlicht sind. "
            "Die Filter des Registers gelten auch hier, z. B. ?werkstatt=4 oder ?stand=approved."
        ),
        "CSV",
        "projects",
        url_name="exports:project-register-csv",
    ),
    Entry(
        _("Projektregister als JSON"),
        _(
            "Dieselben Projekte und Filter wie die CSV-Datei, für Programme: Codes und deutsche Bezeichnungen, "
            "Datumsangaben als JJJJ-MM-TT, die Adresse der Projektseite; Beträge nur, wenn veröffentlicht."
        ),
        "JSON",
        "projects",
        url_name="exports:project-register-json",
    ),
    Entry(
        _("Projekte der Karte als GeoJSON"),
        _(
            "Die Projekte der Karte als Punkte (WGS 84): der eigene Standort eines Projekts oder der Mittelpunkt "
            "seiner Gemeinde, mit Titel, Stand und Adresse der Projektseite; Projekte ohne Ortsangabe unter "
            "„unlocated“. Die Filter des Registers gelten auch hier, z. B. ?kreis=12062."
        ),
        "GeoJSON",
        "projects",
        url_name="portal:map-data",
    ),
    # --- Zahlen und Fakten (one CSV per figure of portal:facts, keys of portal.facts.FIGURES) ----------
    Entry(
        _("Projekte je Stufe (Trichter) als CSV"),
        _(
            "Je Stufe der Hauptstrecke, wie viele Projekte derzeit in ihr stehen und wie viele sie mindestens "
            "erreicht haben, mit Anteil; dazu zurückgestellte, zurückgezogene und abgelehnte Projekte."
        ),
        "CSV",
        "facts",
        url_name="portal:facts-csv",
        args=("projektstand",),
    ),
    Entry(
        _("Projekte je federführender Werkstatt als CSV"),
        _("Jede Werkstatt mit Thema, Zahl ihrer federführenden Projekte und Anteil."),
        "CSV",
        "facts",
        url_name="portal:facts-csv",
        args=("werkstaetten",),
    ),
    Entry(
        _("Projekte je Landkreis als CSV"),
        _(
            "Jeder Landkreis und die kreisfreie Stadt Cottbus mit der Zahl der Projekte und Anteil; Projekte ohne"
            " Landkreis in einer eigenen Zeile."
        ),
        "CSV",
        "facts",
        url_name="portal:facts-csv",
        args=("landkreise",),
    ),
    Entry(
        _("Projekte je Förderinstrument als CSV"),
        _("InvKG Arm 1 und 2, STARK, JTF und sonstige Förderung mit der Zahl der Projekte und Anteil."),
        "CSV",
        "facts",
        url_name="portal:facts-csv",
        args=("foerderinstrumente",),
    ),
    Entry(
        _("Bewilligte Zuwendungen je Einwohner als CSV"),
        _(
            "Je Landkreis: Einwohnerzahl mit Stand, Zahl der Projekte mit veröffentlichter Zuwendung, Summe der "
            "Zuwendungen und Euro je Einwohner; dazu die Lausitz insgesamt."
        ),
        "CSV",
        "facts",
        url_name="portal:facts-csv",
        args=("zuwendungen-je-einwohner",),
    ),
    Entry(
        _("Meilensteine je Jahr als CSV"),
        _(
            "Je Jahr die Meilensteine nach Art (Spatenstich, Grundsteinlegung, Richtfest, Eröffnung, "
            "Inbetriebnahme, sonstige), davon stattgefunden und geplant."
        ),
        "CSV",
        "facts",
        url_name="portal:facts-csv",
        args=("meilensteine",),
    ),
    Entry(
        _("IMAG-Bestätigungen je Quartal als CSV"),
        _(
            "Je Quartal seit dem 1. Quartal 2021 die durch die IMAG bestätigten Projekte, im Quartal und bis zum "
            "Quartalsende zusammen."
        ),
        "CSV",
        "facts",
        url_name="portal:facts-csv",
        args=("imag-bestaetigungen",),
    ),
    # --- sessions --------------------------------------------------------------------------------
    Entry(
        _("Sitzungsliste als CSV"),
        _(
            "Alle Sitzungen aller Werkstätten: Werkstatt, Nummer, Datum, Beginn und Ende, Ort, Status, ob das "
            "Protokoll veröffentlicht ist, Zahl der Tagesordnungspunkte und die Adressen der Sitzungsseite, der "
            "PDF-Dateien und des Kalendereintrags. Eine Werkstatt allein: ?werkstatt=4."
        ),
        "CSV",
        "meetings",
        url_name="exports:meetings-csv",
    ),
    Entry(
        _("Sitzungsliste als JSON"),
        _("Dieselben Sitzungen und Angaben wie die CSV-Datei, mit Datumsangaben als JJJJ-MM-TT und Zeiten als HH:MM."),
        "JSON",
        "meetings",
        url_name="exports:meetings-json",
    ),
    # --- documents of one session ----------------------------------------------------------------
    Entry(
        _("Ergebnisprotokoll als PDF"),
        _("Für jede Sitzung, sobald ihr Protokoll veröffentlicht ist; barrierearm (PDF/UA)."),
        "PDF",
        "meeting-documents",
        url_name="exports:minutes-pdf",
        example="newest-published-session",
    ),
    Entry(
        _("Ergebnisprotokoll als Word-Datei"),
        _("Dasselbe Protokoll zum Weiterbearbeiten, mit echten Tabellen, Überschriften und Listen."),
        "DOCX",
        "meeting-documents",
        url_name="exports:minutes-docx",
        example="newest-published-session",
    ),
    Entry(
        _("Tagesordnung als PDF"),
        _("Für jede Sitzung, sobald zu ihr eingeladen ist: die öffentlichen Tagesordnungspunkte."),
        "PDF",
        "meeting-documents",
        url_name="exports:agenda-pdf",
        example="newest-published-session",
    ),
    Entry(
        _("Termin als Kalenderdatei"),
        _(
            "Für jede Sitzung ein Termin zum Importieren in den eigenen Kalender; Änderungen und Absagen "
            "ersetzen ihn beim erneuten Abruf."
        ),
        "iCalendar (ICS)",
        "meeting-documents",
        url_name="exports:meeting-ics",
        example="newest-published-session",
    ),
    # --- interfaces ----------------------------------------------------------------------------------
    Entry(
        _("OParl-Schnittstelle (OParl 1.1)"),
        _(
            "Der ganze öffentliche Bestand im offenen Standard der Ratsinformationssysteme: Werkstätten und "
            "Organisationen, Personen und Mitgliedschaften, Sitzungen mit Tagesordnung und Ergebnissen, Projekte "
            "mit Beratungen, Dokumente und Orte. Einstieg ist das System-Objekt; Listen mit den Filtern "
            "created_since, created_until, modified_since und modified_until für den Abgleich, gelöschte Objekte "
            "als deleted. Stand, Geld und Meilensteine der Projekte in Feldern mit dem Präfix „werkstatt:“."
        ),
        "JSON (OParl 1.1)",
        "api",
        url_name="oparl:system",
    ),
    # --- calendars and feeds --------------------------------------------------------------------------
    Entry(
        _("Sitzungstermine aller Werkstätten (iCal)"),
        _(
            "Zum Abonnieren im Kalenderprogramm; Änderungen und Absagen kommen von selbst an. Je Werkstatt: "
            "/werkstaetten/4/termine.ics (mit der Nummer der Werkstatt)."
        ),
        "iCalendar",
        "feeds",
        url_name="exports:calendar-all",
    ),
    Entry(
        _("Neuigkeiten (Atom-Feed)"),
        _("Jede neue Meldung im Feedreader. Je Werkstatt: /werkstaetten/4/neuigkeiten.atom."),
        "Atom",
        "feeds",
        url_name="exports:news-feed",
    ),
    Entry(
        _("Veröffentlichte Ergebnisprotokolle (Atom-Feed)"),
        _(
            "Jedes neu veröffentlichte Protokoll mit Link zur Sitzung und zum PDF. Je Werkstatt: "
            "/werkstaetten/4/protokolle.atom."
        ),
        "Atom",
        "feeds",
        url_name="exports:minutes-feed",
    ),
    Entry(
        _("Meilensteine der Projekte (Atom-Feed)"),
        _(
            "Spatenstiche, Richtfeste, Eröffnungen der öffentlichen Projekte. Je Werkstatt: "
            "/werkstaetten/4/meilensteine.atom; je Landkreis mit dem Kreisschlüssel: "
            "/landkreise/12062/meilensteine.atom."
        ),
        "Atom",
        "feeds",
        url_name="exports:milestones-feed",
    ),
    # --- data of others ------------------------------------------------------------------------------
    Entry(
        _("Landkreise und Gemeinden der Lausitz"),
        _(
            "Die Namen und amtlichen Schlüssel der Landkreise und Gemeinden im Projektregister (Spalten "
            "„Gemeinde (Schlüssel)“ und „Landkreis (Schlüssel)“) stammen aus den Verwaltungsgebieten des "
            "Bundesamts für Kartographie und Geodäsie."
        ),
        _("Amtliche Gemeinde- und Kreisschlüssel"),
        "sources",
        licence=GEODATA_LICENCE,
    ),
    Entry(
        _("Grenzen der Landkreise (GeoJSON)"),
        _(
            "Die Umrisse der vier Landkreise und der kreisfreien Stadt Cottbus/Chóśebuz, wie sie die Karten "
            "zeichnen (VG5000, vereinfacht, WGS 84)."
        ),
        "GeoJSON",
        "sources",
        url_name="portal:map-districts",
        licence=GEODATA_LICENCE,
    ),
    Entry(
        _("Grenzen der Gemeinden (GeoJSON)"),
        _("Die Umrisse der 125 Städte und Gemeinden mit amtlichem Gemeindeschlüssel, wie sie die Karten zeichnen."),
        "GeoJSON",
        "sources",
        url_name="portal:map-municipalities",
        licence=GEODATA_LICENCE,
    ),
]


# --- for the page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownEntry:
    entry: Entry
    url: str  # absolute; empty for an entry without a URL or without an example yet
    example: Example | None
    licence: Licence
    own_licence: bool  # the entry's licence is not the platform's


@dataclass(frozen=True)
class ShownGroup:
    group: Group
    entries: list[ShownEntry]


def entry_path(entry: Entry, examples: dict[str, Example | None]) -> tuple[str, Example | None]:
    """The entry's path (empty if it has none yet) and the example it shows; ``examples`` caches lookups."""
    if not entry.url_name:
        return "", None
    if not entry.example:
        return reverse(entry.url_name, args=entry.args, kwargs=dict(entry.kwargs)), None
    if entry.example not in examples:
        examples[entry.example] = EXAMPLES[entry.example]()
    example = examples[entry.example]
    if example is None:
        return "", None
    return reverse(entry.url_name, args=example.args), example


def catalogue(absolute: Callable[[str], str]) -> list[ShownGroup]:
    """The groups with their entries, URLs made absolute with ``absolute`` (``request.build_absolute_uri``).
    One query for each example used, whatever the number of entries."""
    licence = data_licence()
    examples: dict[str, Example | None] = {}
    shown: dict[str, list[ShownEntry]] = {group.key: [] for group in GROUPS}
    for entry in ENTRIES:
        path, example = entry_path(entry, examples)
        shown[entry.group].append(
            ShownEntry(
                entry=entry,
                url=absolute(path) if path else "",
                example=example,
                licence=entry.licence or licence,
                own_licence=entry.licence is not None,
            )
        )
    return [ShownGroup(group, shown[group.key]) for group in GROUPS if shown[group.key]]
