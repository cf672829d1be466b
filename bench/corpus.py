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
    "Der Landkreis unterstützt das Vorhaben und hat den Eigenanteil in seiner Haushaltsplanung berücksichtigt.",
    "Die Wirtschaftsregion Lausitz bestätigte, dass sich das Projekt in die Entwicklungsstrategie einfügt.",
    "Offen ist noch die Genehmigung; der Projektträger rechnet mit einem Bescheid im Jahr {year}.",
    "Die Werkstatt bat darum, {w2} und {w3} im Steckbrief genauer zu beschreiben und mit Zahlen zu belegen.",
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


def result_text(rng: random.Random, topic: Topic, place: Place, year: int, closing: str = "") -> str:
    """A result text of realistic length (about 400 to 1,200 characters) for a project presentation; ``closing``
    is the last sentence (what the workshop decided), by default one of ``CLOSINGS``."""
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
    sentences += rng.sample(MIDDLES, rng.randint(3, len(MIDDLES)))
    sentences.append(closing or rng.choice(CLOSINGS))
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


# --- people, organisations and the public: the vocabulary of ``bench/generate`` ----------------------------------

GIVEN_NAMES = (
    "Anna", "Andreas", "Anja", "Bernd", "Birgit", "Christian", "Claudia", "Daniel", "Doreen", "Frank", "Franziska",
    "Gerd", "Heike", "Holger", "Ines", "Jan", "Jana", "Jens", "Julia", "Karin", "Katrin", "Klaus", "Kristin", "Lars",
    "Lea", "Lukas", "Maik", "Manuela", "Marco", "Maria", "Martin", "Matthias", "Mandy", "Michael", "Monika", "Nadine",
    "Nico", "Peggy", "Peter", "Petra", "Ralf", "Ramona", "René", "Sabine", "Sandra", "Sebastian", "Silke", "Sophie",
    "Stefan", "Steffen", "Susanne", "Thomas", "Tino", "Ulrike", "Uwe", "Wojciech", "Yvonne", "Žaneta", "Jürgen",
    "Dörte",
)  # fmt: skip
FAMILY_NAMES = (
    "Bergmann", "Schulze", "Lehmann", "Krüger", "Richter", "Neumann", "Schwarz", "Zimmermann", "Hoffmann", "Wolf",
    "Kowalski", "Nowak", "Kschenka", "Hanschke", "Noack", "Kubasch", "Mättig", "Domschke", "Petrick", "Pannach",
    "Wenzel", "Lewerenz", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Koch", "Bauer",
    "Klein", "Schröder", "Lange", "Krause", "Werner", "Schmitt", "Jurk", "Kito", "Nagora", "Rachel", "Zschornack",
    "Mudra", "Kaulfürst", "Bresan", "Wjenk", "Hantusch", "Kalauch", "Großmann", "Jähnichen", "Dubrau", "Šołta",
    "Paulick", "Ritschel", "Buder", "Haase", "Heinze", "Ludwig", "Thiele", "Förster",
)  # fmt: skip
ACADEMIC_TITLES = ("", "", "", "", "", "", "Dr.", "Dr.", "Prof. Dr.", "Prof. Dr.-Ing.", "Dipl.-Ing.")
FUNCTIONS = (
    "Bürgermeister/in", "Amtsdirektor/in", "Landrat/Landrätin", "Dezernent/in", "Referent/in", "Sachgebietsleiter/in",
    "Geschäftsführer/in", "Projektleiter/in", "Leiter/in Lausitz-Büro", "Projektmanager/in", "Wissenschaftliche/r "
    "Mitarbeiter/in", "Vorstandsvorsitzende/r", "Regionalmanager/in", "Amtsleiter/in Wirtschaftsförderung",
    "Kämmerer/Kämmerin", "Beigeordnete/r", "Vorsitzende/r", "Koordinator/in Strukturwandel",
)  # fmt: skip
MINISTRIES = (
    "Ministerium für Wirtschaft, Arbeit und Energie",
    "Ministerium für Infrastruktur und Landesplanung",
    "Ministerium für Wissenschaft, Forschung und Kultur",
    "Ministerium für Bildung, Jugend und Sport",
    "Ministerium für Soziales, Gesundheit, Integration und Verbraucherschutz",
    "Ministerium für Landwirtschaft, Umwelt und Klimaschutz",
    "Ministerium der Finanzen und für Europa",
    "Ministerium des Innern und für Kommunales",
)
CHAMBERS = ("Industrie- und Handelskammer", "Handwerkskammer", "Architektenkammer", "Ingenieurkammer")
RESEARCH = (
    "Technische Universität", "Hochschule", "Fraunhofer-Institut für Energieinfrastrukturen",
    "Leibniz-Institut für Raumbezogene Sozialforschung", "Deutsches Zentrum für Luft- und Raumfahrt, Institut",
    "Forschungszentrum für Wasserstofftechnologie",
)  # fmt: skip
INDUSTRIES = (
    "Bau", "Energie", "Logistik", "Solartechnik", "Wasserstoff", "Medizintechnik", "Holzbau", "Metallbau",
    "Software", "Tourismus", "Recycling", "Landtechnik", "Stadtwerke", "Wohnungsbau", "Verkehrs",
)  # fmt: skip
COMPANY_FORMS = ("GmbH", "GmbH & Co. KG", "AG", "eG", "gGmbH")
ASSOCIATIONS = (
    "Förderverein", "Heimatverein", "Kulturverein", "Sportverein", "Bürgerinitiative", "Tourismusverband",
    "Naturschutzbund, Regionalgruppe", "Jugendring", "Domowina-Regionalverband",
)  # fmt: skip
REGIONS = ("Lausitz", "Spreewald", "Niederlausitz", "Elbe-Elster", "Seenland", "Schwarze Elster", "Fläming")

IDEA_OPENINGS = (
    "Ich wünsche mir in {place} {what}.",
    "Unser Ortsteil in {place} braucht dringend {what}.",
    "Als Eltern aus {place} schlagen wir vor: {what}.",
    "Wir als Verein in {place} würden gern {what} gemeinsam mit der Gemeinde anpacken.",
)
IDEA_WHATS = (
    "einen sicheren Radweg zur Schule",
    "einen Treffpunkt für Jugendliche mit WLAN",
    "eine bessere Busverbindung nach Cottbus/Chóśebuz",
    "eine Hausarztpraxis im Ort",
    "einen Badesteg am neuen See",
    "Ladesäulen für Elektroautos am Bahnhof",
    "einen Co-Working-Raum im alten Bahnhofsgebäude",
    "zweisprachige Schilder in Deutsch und Niedersorbisch",
    "einen Spielplatz mit barrierefreien Geräten",
    "eine Streuobstwiese mit Lehrpfad",
)
COMMENTS = (
    "Das Projekt ist für unsere Region sehr wichtig, bitte schnell umsetzen.",
    "Wie hoch sind die Folgekosten für die Gemeinde, wenn die Förderung ausläuft?",
    "Ich vermisse Angaben dazu, wie viele Arbeitsplätze tatsächlich entstehen.",
    "Schön, dass es endlich vorangeht. Wann ist mit dem Baubeginn zu rechnen?",
    "Bitte denken Sie auch an die Anbindung mit Bus und Bahn aus den Ortsteilen.",
    "Gibt es eine Möglichkeit, sich als Bürgerin an der Planung zu beteiligen?",
    "Das Protokoll ist gut nachvollziehbar, danke für die Veröffentlichung.",
    "Warum wurde das Projekt zurückgestellt? Die Begründung fehlt im Protokoll.",
)
OFFICIAL_ANSWERS = (
    "Vielen Dank für Ihren Hinweis. Der Projektträger plant den Baubeginn nach Erhalt des Zuwendungsbescheids.",
    "Danke für Ihre Frage. Die Folgekosten sind Teil der Qualifizierung und werden im Steckbrief dargestellt.",
    "Die Werkstatt hat um eine Überarbeitung gebeten; die Gründe stehen im Ergebnis des TOP.",
)
STATUS_NOTES = {
    "withdrawn": "Der Projektträger hat das Vorhaben zurückgezogen; der Eigenanteil ist nicht gesichert.",
    "rejected": "Das Vorhaben erfüllt die Fördervoraussetzungen nach dem InvKG nicht.",
}


def person_name(rng: random.Random) -> tuple[str, str, str]:
    """Academic title, given name and family name."""
    return rng.choice(ACADEMIC_TITLES), rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)


def organization_name(rng: random.Random, kind: str, place: Place) -> str:
    """A plausible name of an organisation of ``kind`` (an ``OrganizationKind`` value) at ``place``."""
    if kind == "ministry":
        return rng.choice(MINISTRIES)
    if kind == "chamber":
        return f"{rng.choice(CHAMBERS)} {place.name}"
    if kind == "university":
        return f"{rng.choice(RESEARCH)} {place.name}"
    if kind == "local_action_group":
        return f"LAG {rng.choice(REGIONS)} e. V."
    if kind == "civil_society":
        return f"{rng.choice(ASSOCIATIONS)} {place.name} e. V."
    if kind == "union":
        return f"{rng.choice(('DGB', 'IG BCE', 'IG Metall', 'ver.di'))} Region {rng.choice(REGIONS)}"
    industry = rng.choice(INDUSTRIES)
    owner = rng.choice((place.name, rng.choice(FAMILY_NAMES), rng.choice(REGIONS)))
    return f"{owner} {industry} {rng.choice(COMPANY_FORMS)}"


def idea_text(rng: random.Random, place: Place) -> tuple[str, str]:
    what = rng.choice(IDEA_WHATS)
    title = f"{what[0].upper()}{what[1:]} in {place.name}"
    description = " ".join(
        (
            rng.choice(IDEA_OPENINGS).format(place=place.name, what=what),
            "Viele Familien sind nach dem Ende des Tagebaus geblieben oder zurückgekommen und brauchen das.",
            rng.choice(("Gern helfe ich mit.", "Wir haben schon Unterschriften gesammelt.", "")),
        )
    ).strip()
    return title[:200], description


def document_text(rng: random.Random, topic: Topic, place: Place, year: int, paragraphs: int = 3) -> str:
    """The extracted text of a fact sheet or presentation about ``topic``: a few result-like paragraphs."""
    head = f"Projektsteckbrief „{topic.title} in {place.name}“. Stand: {year}."
    return "\n\n".join([head, *(result_text(rng, topic, place, year) for _ in range(paragraphs))])


THEMES = (
    "Bericht aus dem Schwerpunkt „{focus}“",
    "Fachkräftesicherung in der Lausitz",
    "Information der Staatskanzlei zum Stand der Strukturentwicklung",
    "Austausch mit der Lausitz-Beauftragten",
    "Förderaufruf des Landes: {topic}",
    "Beteiligung von Kindern und Jugendlichen",
    "Ideen aus der Öffentlichkeit",
)
THEME_SENTENCES = (
    "Die Geschäftsstelle gab einen Überblick über {w0} und {w1} in den Landkreisen der Lausitz.",
    "In {place} haben sich seit {year} mehrere Vorhaben zu {w2} entwickelt; die Werkstatt will sie bündeln.",
    "Die Mitglieder diskutierten, wie die Kommunen beim Eigenanteil entlastet werden können.",
    "Die Vertreterin der Staatskanzlei erläuterte das Verfahren der IMAG und die Fristen für {year}.",
    "Es wurde angeregt, {w3} als Querschnittsthema in allen Werkstätten zu behandeln.",
    "Aus dem Kreis der Mitglieder wurde auf die Situation in {place} hingewiesen, wo {w0} fehlen.",
    "Die Werkstattsprecherin dankte für die Beiträge und bat um weitere Vorschläge bis zur nächsten Sitzung.",
    "Der Vertreter der Wirtschaftsregion Lausitz stellte die Ergebnisse der Umfrage zu {w1} vor.",
    "Die Werkstatt nahm den Bericht zur Kenntnis; die Geschäftsstelle stellt die Folien mit dem Protokoll bereit.",
)


def theme_text(rng: random.Random, topic: Topic, place: Place, year: int) -> str:
    """The result of a thematic item (report, information, discussion): about 400 to 1,000 characters."""
    w = topic.words
    values = {"place": place.name, "year": year, "w0": w[0], "w1": w[1], "w2": w[2], "w3": w[3]}
    sentences = rng.sample(THEME_SENTENCES, rng.randint(5, len(THEME_SENTENCES)))
    return " ".join(sentence.format(**values) for sentence in sentences)
