"""German texts for generated benchmark data: project titles, descriptions, agenda items with result texts,
news and document texts that vary as a real record of the Lausitz structural change does.

Deterministic for a given ``random.Random``. The vocabulary is the process's own (projects of the five
workshops: health, mobility, schools, energy, business, culture), places are the municipalities of the
reference data with their Lower Sorbian names where they have one, so that searches for a topic or a place
match a realistic share of the corpus, not all of it and not nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    title: str  # e.g. "Sanierung der Grundschule"
    words: tuple[str, ...]  # terms the texts about it use


TOPICS: tuple[Topic, ...] = (
    Topic("Telemedizinische Einbindung von Notärzten", ("Rettungsdienst", "Leitstelle", "Notarzt", "Telemedizin")),
    Topic("Ausbau des touristischen Radwegs", ("Radweg", "Tourismus", "Radfahrer", "Beschilderung")),
    Topic("Sanierung der Grundschule", ("Grundschule", "Klassenräume", "Schulhof", "Barrierefreiheit")),
    Topic("Neubau einer Kindertagesstätte", ("Kita", "Betreuungsplätze", "Erzieherinnen", "Familien")),
    Topic("Breitbandausbau im ländlichen Raum", ("Glasfaser", "Breitband", "Digitalisierung", "Haushalte")),
    Topic("Wasserstoff-Tankstelle für den Nahverkehr", ("Wasserstoff", "Busse", "Elektrolyse", "Tankstelle")),
    Topic("Erschließung des Gewerbegebiets", ("Gewerbegebiet", "Ansiedlung", "Erschließung", "Arbeitsplätze")),
    Topic("Umgestaltung des Bahnhofsumfelds", ("Bahnhof", "Umsteigepunkt", "Parkplätze", "Fahrgäste")),
    Topic("Ausbau der Ortsdurchfahrt", ("Straße", "Gehweg", "Ortsdurchfahrt", "Verkehrssicherheit")),
    Topic("Modernisierung des Stadtmuseums", ("Museum", "Ausstellung", "Besucher", "Industriekultur")),
    Topic("Fachkräftezentrum für die Industrie", ("Fachkräfte", "Ausbildung", "Weiterbildung", "Betriebe")),
    Topic("Innovationscampus für Energieforschung", ("Forschung", "Hochschule", "Energiewende", "Labore")),
    Topic("Sorbisches Kulturzentrum", ("Sorben", "Wenden", "Sprache", "Kultur")),
    Topic("Gesundheitszentrum mit Hausarztpraxen", ("Hausärzte", "Praxis", "Versorgung", "Patienten")),
    Topic("Renaturierung des Tagebausees", ("Tagebau", "Bergbaufolgelandschaft", "Uferweg", "Badestelle")),
    Topic("Ausbau der Bahnstrecke", ("Bahnstrecke", "Elektrifizierung", "Takt", "Pendler")),
    Topic("Jugendbeteiligung und Jugendclub", ("Jugendliche", "Beteiligung", "Jugendclub", "Freizeit")),
    Topic("Quartier mit CO2-freier Wärmeversorgung", ("Wärmenetz", "Quartier", "Solarthermie", "Klimaschutz")),
    Topic("Sanierung des Feuerwehrgerätehauses", ("Feuerwehr", "Gerätehaus", "Brandschutz", "Ehrenamt")),
    Topic("Digitales Rathaus", ("Verwaltung", "Onlinedienste", "Bürgerservice", "Digitalisierung")),
)

SPONSORS = (
    "Landkreis",
    "Stadtverwaltung",
    "Gemeinde",
    "Zweckverband",
    "Wirtschaftsförderungsgesellschaft",
    "Kreiswerke",
)

OPENINGS = (
    "Der Projektträger stellte das Vorhaben „{title}“ in {place} vor.",
    "Vorgestellt wurde das Investitionsprojekt „{title}“ ({sponsor} {place}).",
    "Die Werkstatt beriet erneut über „{title}“ in {place}.",
)
MIDDLES = (
    "Im Mittelpunkt standen {w0} und {w1}; die Mitglieder fragten nach dem Beitrag zum Strukturwandel.",
    "Die Gesamtkosten werden auf {cost} Euro geschätzt, davon sind {share} Prozent förderfähig.",
    "Erwartet werden {jobs} neue Arbeitsplätze sowie Verbesserungen bei {w2}.",
    "Es wurde angeregt, {w3} stärker zu berücksichtigen und die Nachbargemeinden einzubeziehen.",
    "Der Zeitplan sieht den Baubeginn im Jahr {year} und die Inbetriebnahme im Jahr {end} vor.",
    "Die Vertreterin des Ministeriums verwies auf die Förderrichtlinie und die Abstimmung mit der ILB.",
    "Aus dem Kreis der Mitglieder kam die Frage nach den Folgekosten für {w1}.",
)
CLOSINGS = (
    "Es wurde eine konsensuale Empfehlung für die Weiterleitung des Projektes an die Staatskanzlei ausgesprochen.",
    "Der Projektträger überarbeitet den Steckbrief bis zur nächsten Sitzung.",
    "Die Werkstatt nahm den Bericht zur Kenntnis; eine Empfehlung wurde noch nicht ausgesprochen.",
    "Die Geschäftsstelle klärt offene Fragen mit dem Projektträger und berichtet in der nächsten Sitzung.",
)
ORDINARY_ITEMS = (
    ("Begrüßung und Feststellung der Tagesordnung", "Die Tagesordnung wurde ohne Änderungen bestätigt."),
    ("Bestätigung des Ergebnisprotokolls der letzten Sitzung", "Das Ergebnisprotokoll wurde bestätigt."),
    ("Bericht der Geschäftsstelle", "Die Geschäftsstelle berichtete über den Stand der Projekte in {place}."),
    ("Verschiedenes", "Der nächste Termin wird mit der Einladung bekannt gegeben."),
)


@dataclass(frozen=True)
class Place:
    name: str  # as displayed, e.g. "Spremberg/Grodk"
    district_id: int
    municipality_id: int


def euro(rng: random.Random) -> str:
    return f"{rng.randrange(300, 40_000) * 1000:,}".replace(",", ".")


def project_text(rng: random.Random, topic: Topic, place: Place) -> tuple[str, str]:
    """Title and description of a project about ``topic`` in ``place``."""
    title = f"{topic.title} in {place.name}"
    w = topic.words
    description = (
        f"Mit dem Vorhaben sollen {w[0]} und {w[1]} in {place.name} gestärkt werden. "
        f"Geplant sind Maßnahmen zu {w[2]} und {w[3]}. Der Beitrag zur Strukturentwicklung der Lausitz liegt in "
        f"{rng.choice(('der Sicherung der Daseinsvorsorge', 'neuen Arbeitsplätzen', 'der Anbindung der Region'))}."
    )
    return title, description


def result_text(rng: random.Random, topic: Topic, place: Place, year: int) -> str:
    """A result text of realistic length (about 400 to 1,200 characters) for a project presentation."""
    w = topic.words
    values = {
        "title": topic.title,
        "place": place.name,
        "sponsor": rng.choice(SPONSORS),
        "w0": w[0],
        "w1": w[1],
        "w2": w[2],
        "w3": w[3],
        "cost": euro(rng),
        "share": rng.randrange(60, 95),
        "jobs": rng.randrange(2, 120),
        "year": year + rng.randrange(0, 3),
        "end": year + rng.randrange(3, 7),
    }
    sentences = [rng.choice(OPENINGS)]
    sentences += rng.sample(MIDDLES, rng.randint(2, len(MIDDLES)))
    sentences.append(rng.choice(CLOSINGS))
    return " ".join(sentence.format(**values) for sentence in sentences)


def ordinary_item(rng: random.Random, order: int, place: Place) -> tuple[str, str]:
    title, result = ORDINARY_ITEMS[min(order - 1, len(ORDINARY_ITEMS) - 1)]
    return title, result.format(place=place.name)


def news_text(rng: random.Random, topic: Topic, place: Place) -> tuple[str, str]:
    event = rng.choice(("Spatenstich", "Förderbescheid übergeben", "Eröffnung", "Richtfest"))
    title = f"{topic.title}: {event} in {place.name}"
    text = (
        f"In {place.name} ging es voran: {topic.words[0]} und {topic.words[1]} stehen im Mittelpunkt des Projekts. "
        f"Vertreterinnen und Vertreter der Werkstatt, des Landkreises und der Staatskanzlei waren dabei."
    )
    return title, text
