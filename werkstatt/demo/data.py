"""The two seed documents as structured data (see seeds/SOURCE.md).

Texts are kept as the documents write them, typos included; the services normalise
them on the way in ("Werkstattprecher" -> "Werkstattsprecher", "Chósebus" -> "Chóśebuz").
"""

import datetime as dt
from dataclasses import dataclass

from werkstatt.organizations.models import OrganizationKind as K

WORKSHOPS = [
    (1, "Unternehmen, Wirtschaftsentwicklung und Fachkräftesicherung"),
    (2, "Innovation und Digitalisierung"),
    (3, "Infrastruktur und Mobilität"),
    (4, "Daseinsvorsorge, ländliche Entwicklung & “smart regions”"),
    (5, "Kunst, Kultur, Tourismus und Marketing"),
]

# The three funding periods of the Investitionsgesetz Kohleregionen (InvKG): the OParl ``LegislativeTerm``s of the body.
LEGISLATIVE_TERMS = [
    ("1. Förderperiode (2020–2026)", dt.date(2020, 8, 14), dt.date(2026, 12, 31)),
    ("2. Förderperiode (2027–2032)", dt.date(2027, 1, 1), dt.date(2032, 12, 31)),
    ("3. Förderperiode (2033–2038)", dt.date(2033, 1, 1), dt.date(2038, 12, 31)),
]

WORKSHOP_4_MISSION = (
    "Das vorrangige Ziel der Werkstatt 4 ist es, die Daseinsvorsorge in den ländlichen Gebieten – besonders im "
    "Bereich Gesundheitsversorgung – flächendeckend sicherzustellen. Im Rahmen einer „Modellregion Gesundheit "
    "Lausitz“ ist der Aufbau einer digitalen, nachhaltigen medizinischen Versorgung vorgesehen. Die "
    "Digitalisierung eröffnet dabei neue Möglichkeiten für die Verbesserung der Lebensqualität in der Lausitz. "
    "Zudem sollen Pilotprojekte für CO2-freie Quartiere und innovative Ver- und Entsorgungskonzepte entwickelt "
    "werden."
)
WORKSHOP_4_FOCUS_AREAS = [
    "Verbesserung der Lebensbedingungen / Soziale Infrastruktur",
    "IUC-Modellregion Gesundheit",
    "Wärmeversorgung (Modellprojekte)",
]
WORKSHOP_4_NEXT_SESSION = dt.date(2025, 5, 20)
SPEAKER_QUOTE = (
    "Die Schaffung von Arbeitsplätzen, F&E-Ansiedlungen und der Ausbau moderner Infrastruktur müssen sicherlich "
    "im Fokus stehen, jedoch wird ohne Einbeziehung der hier lebenden Menschen der Strukturwandel nicht gelingen. "
    "Davon bin ich überzeugt. Gerade im ländlich geprägten Raum der Lausitz fühlen sich derzeit viele Menschen und "
    "lokale Akteure nicht ernsthaft mitgenommen, vieles wirkt fremdbestimmt. Ich hoffe, dass die Werkstätten und "
    "die bereit gestellten Finanzmittel vor allem auch den engagierten Akteuren des ländlichen Raums Möglichkeiten "
    "bieten können, selbst an der Gestaltung ihrer Region mitzuwirken."
)

# (name, short name, kind): "name (SHORT)" is how the workshop page lists an organisation with an
# abbreviation; a short form with spaces (e.g. "LAG Elbe-Elster") is listed on its own.
ORGANIZATIONS: dict[str, tuple[str, str, str]] = {
    "stk": ("Staatskanzlei Brandenburg, Büro des Lausitz-Beauftragten des Ministerpräsidenten", "", K.CHANCELLERY),
    "mil": ("Ministerium für Infrastruktur und Landesplanung", "MIL", K.MINISTRY),
    "mluk": ("Ministerium für Landwirtschaft, Umwelt und Klimaschutz", "MLUK", K.MINISTRY),
    "mbjs": ("Ministerium für Bildung, Jugend und Sport", "MBJS", K.MINISTRY),
    "msgiv": ("Ministerium für Soziales, Gesundheit, Integration und Verbraucherschutz", "MSGIV", K.MINISTRY),
    "lelf": ("Landesamt für Ländliche Entwicklung, Landwirtschaft und Flurneuordnung", "", K.STATE_AGENCY),
    "lk_ee": ("Landkreis Elbe-Elster", "", K.DISTRICT),
    "lag_ee": ("Lokale Aktionsgruppe Elbe-Elster", "LAG Elbe-Elster", K.LOCAL_ACTION_GROUP),
    "lag_seenland": ("LAG Energieregion im Lausitzer Seenland e.V.", "", K.LOCAL_ACTION_GROUP),
    "lag_spn": ("LAG Spree-Neiße-Land e.V.", "", K.LOCAL_ACTION_GROUP),
    "lag_spreewald": ("LAG Spreewaldverein e.V.", "", K.LOCAL_ACTION_GROUP),
    "kag_lds": ("KAG Dahme-Spreewald", "", K.MUNICIPAL_GROUP),
    "kag_ee": ("KAG Elbe-Elster", "", K.MUNICIPAL_GROUP),
    "kag_osl": ("KAG Oberspreewald-Lausitz", "", K.MUNICIPAL_GROUP),
    "kag_spn": ("KAG Spree-Neiße", "", K.MUNICIPAL_GROUP),
    "lausitzrunde": ("Lausitzrunde", "", K.MUNICIPAL_GROUP),
    "welzow": ("Stadt Welzow", "", K.MUNICIPALITY),
    "mul": ("Medizinische Universität Lausitz – Carl Thiem", "", K.UNIVERSITY),
    "cit": ("Centrum für Innovation und Technologie GmbH", "CIT", K.COMPANY),
    "wfg_lds": ("Wirtschaftsförderungsgesellschaft Dahme-Spreewald mbH", "", K.COMPANY),
    "ihk": ("Industrie- und Handelskammer Cottbus", "IHK", K.CHAMBER),
    "btu": ("BTU Cottbus-Senftenberg", "", K.UNIVERSITY),
    "dabb": ("DigitalAgentur Brandenburg GmbH", "DABB", K.COMPANY),
    "dgb": ("DGB Region Südbrandenburg", "", K.UNION),
    "buergerregion": ("Bürgerregion Lausitz", "", K.CIVIL_SOCIETY),
    "kijubb": ("Kinder- und Jugendbeteiligung Brandenburg", "", K.CIVIL_SOCIETY),
    # Not members of Werkstatt 4, but named in the minutes.
    "wrl": ("Wirtschaftsregion Lausitz GmbH", "WRL", K.DEVELOPMENT_AGENCY),
    "ilb": ("Investitionsbank des Landes Brandenburg", "ILB", K.BANK),
    "hnee": ("Hochschule für nachhaltige Entwicklung Eberswalde", "HNEE", K.UNIVERSITY),
    "herzberg": ("Stadt Herzberg (Elster)", "", K.MUNICIPALITY),
    "cottbus": ("Stadtverwaltung Cottbus/Chóśebuz", "", K.MUNICIPALITY),
    # The sponsor of the telemedicine project (issue 4: "sponsor Stadt Cottbus/Chóśebuz").
    "stadt_cottbus": ("Stadt Cottbus/Chóśebuz", "", K.MUNICIPALITY),
}

# The members of Werkstatt 4 in the order of its public page.
WORKSHOP_4_MEMBERS = [
    "stk", "mil", "mluk", "mbjs", "msgiv", "lelf", "lk_ee", "lag_ee", "lag_seenland", "lag_spn",
    "lag_spreewald", "kag_lds", "kag_ee", "kag_osl", "kag_spn", "lausitzrunde", "welzow", "mul", "cit",
    "wfg_lds", "ihk", "btu", "dabb", "dgb", "buergerregion", "kijubb",
]  # fmt: skip

# key: (title, given name, family name, qualification, function, organisation key)
PERSONS = {
    "guntermann": ("", "Sven", "Guntermann", "Diplom-Ingenieur", "Werkstattsprecher", "lag_ee"),
    "eule_pruetz": ("", "Karsten", "Eule-Prütz", "", "Bürgermeister der Stadt Herzberg (Elster)", "herzberg"),
    "jahn": ("", "Heiko", "Jahn", "", "Geschäftsführer", "wrl"),
    "amende": ("", "Tobias", "Amende", "", "Projektmanager", "wrl"),
    "lewerenz": ("", "Jan", "Lewerenz", "", "Leiter Lausitz-Büro", "ilb"),
    "kramer": ("Prof. Dr.-Ing.", "Eckart", "Kramer", "", "", "hnee"),
    "zellmann": (
        "", "Ingolf", "Zellmann", "", "Servicebereichsleiter Leitstelle/Rettungsdienst/Katastrophenschutz", "cottbus",
    ),
}  # fmt: skip

NEWS = [
    (
        dt.date(2025, 3, 24),
        "Neuer Spitzenstandort in der Lausitz: MUL – CT auf dem baulichen Weg zur Universitätsmedizin",
        "Die Medizinische Universität Lausitz – Carl Thiem (MUL – CT) wird zu einem Spitzenstandort für Lernende, "
        "Lehrende, Wissenschaftlerinnen und Wissenschaftler...",
    ),
    (
        dt.date(2025, 3, 17),
        "Strukturwandel: Rund eine Million Euro für Kulturprojekte in der Lausitz",
        "Vom Bund geförderter Projektfonds Kulturplan Lausitz startet mit 25 Vorhaben Startschuss für den "
        "Projektfonds Kulturplan Lausitz: In diesem Jahr werden...",
    ),
    (
        dt.date(2025, 3, 6),
        "Özdemir: Leuchtturm der Forschung für die Lausitz",
        "BMBF fördert innovative Forschung an der Medizinischen Universität Lausitz – Carl Thiem in Cottbus Das "
        "Bundesministerium für Bildung und Forschung...",
    ),
]


@dataclass(frozen=True)
class SessionData:
    number: int
    date: dt.date
    start: dt.time | None = None
    end: dt.time | None = None
    # Location: building, street, postal code, town, municipality of the reference data.
    location: tuple[str, str, str, str, str] | None = None
    chair: tuple[str, str] | None = None  # (person key, function as stated)
    minute_taker: tuple[str, str] | None = None
    attachments: tuple[str, ...] = ()


# The 16th session of Werkstatt 4, as in the result minutes.
SESSION_16 = SessionData(
    number=16,
    date=dt.date(2024, 1, 24),
    start=dt.time(14, 10),
    end=dt.time(16, 30),
    location=("Bürgerzentrum", "Uferstraße 6", "04916", "Herzberg (Elster)", "Herzberg (Elster)"),
    chair=("guntermann", "Werkstattprecher"),
    minute_taker=("amende", "Projektmanager, Wirtschaftsregion Lausitz"),
    attachments=("Liste der Teilnehmenden", "Präsentation(en)"),
)
SESSION_15 = SessionData(number=15, date=dt.date(2023, 11, 21))
WORKSHOP_2_RECOMMENDATION_DATE = dt.date(2024, 1, 16)
TELEMEDICINE_TITLE = (
    "Vorstellung Investitionsprojekt „Telemedizinische Einbindung von Notärzten im Regionalleitstellenbereich Lausitz“"
)

# (number, kind, title, note, presenters, result). A presenter is (person key, function, organisation as
# stated) or ("*", group label, "").
AGENDA_16 = [
    (
        "1", "ordinary", "Begrüßung der Gäste", "",
        [("guntermann", "Werkstattprecher", ""), ("eule_pruetz", "Bürgermeister der Stadt Herzberg (Elster)", "")],
        "",
    ),
    (
        "2", "minutes_approval", "Bestätigung des Protokolls der 15. Sitzung vom 21.11.2023 und der Tagesordnung", "",
        [("guntermann", "Werkstattprecher", "")],
        "",
    ),
    (
        "3", "ordinary", "Ausführungen zu den Schwerpunkten der Werkstatt 4",
        "Verbesserung der Lebensbedingungen / Soziale Infrastruktur IUC-Modellregion Gesundheit / Wärmeversorgung "
        "(Modellprojekte)",
        [("jahn", "Geschäftsführer", "Wirtschaftsregion Lausitz")],
        '<ul style="list-style-type: none"> • Insgesamt 72 Projekte wurden seit März 2021 durch die IMAG bestätigt. '
        "• Die Werkstatt 4 wird zukünftig immer mehr in den Fokus des Strukturwandels rücken. In den ersten drei "
        "Jahren lag der Schwerpunkt auf der Entwicklung wirtschaftlicher Perspektiven. Grundsätzlich sind die "
        "investiven Entwicklungen der Daseinsvorsorge unter Kriterien wie wirtschaftliche Ansiedlungen und "
        "Wachstumskerne zu betrachten.",
    ),
    (
        "4", "project_report", "Aktueller Sachstand der Projekte der Werkstatt 4", "",
        [("lewerenz", "Leiter Lausitz-Büro", "Investitionsbank des Landes Brandenburg")],
        '<ul style="list-style-type: none"> • Dieser Tagesordnungspunkt wird nunmehr in allen Werkstätten '
        "aufgeführt. • Seit 01.01.2024 unterstützen zwei neue Mitarbeiterinnen bei der ILB (Investitionsbank des "
        "Landes Brandenburg) das Lausitz-Büro von Potsdam aus. • 2024 stehen vier Inbetriebnahmen und drei "
        "Grundsteinlegungen an. • Am 11.01.2024 wurden Innungsobermeistern in der Handwerkskammer Cottbus die "
        "aktuellen Strukturwandelprojekte und die jeweiligen Meilensteine vorgestellt, sodass die Unternehmen an "
        "den Projektumsetzungen durch Aufträge partizipieren können.",
    ),
    (
        "5", "project_presentation", "Vorstellung STARK-Projekt „WerteGesellschaft Lausitz“", "",
        [("kramer", "", "Hochschule für nachhaltige Entwicklung Eberswalde")],
        "",
    ),
    (
        "6", "project_presentation", TELEMEDICINE_TITLE, "",
        [
            (
                "zellmann",
                "Servicebereichsleiter Leitstelle/Rettungsdienst/Katastrophenschutz",
                "Stadtverwaltung Cottbus/Chósebus",
            )
        ],
        '<ul style="list-style-type: none"> • Das Projekt wurde am 16.01.2024 in der federführenden Werkstatt 2 '
        "vorgestellt und es wurde eine konsensuale Empfehlung für die Weiterleitung des Projektes an die "
        "Staatskanzlei Brandenburg ausgesprochen.",
    ),
    (
        "7", "ordinary", "Diskussion zu den unter TOP 5 und TOP 6 vorgestellten Projekten", "",
        [("*", "Alle Werkstattmitglieder", "")],
        "",
    ),
    (
        "8", "ordinary", "Sonstiges", "",
        [],
        '<ul style="list-style-type: none"> • Herr Guntermann gibt einen Ausblick auf die nächsten Termine.',
    ),
]  # fmt: skip


# --- projects --------------------------------------------------------------------------------
# The two projects the seed minutes present (TOP 5 and 6 of the 16th session), with the public facts
# known after it. Only what is known is recorded: steps whose date is not public carry no date.


@dataclass(frozen=True)
class ProjectData:
    title: str
    sponsor: str  # organisation key
    contact: str  # person key
    lead_workshop: int
    instrument: str
    funding_area: str = ""
    municipality: str = ""
    description: str = ""
    focus_areas: tuple[tuple[int, str], ...] = ()


TELEMEDICINE = ProjectData(
    title="Telemedizinische Einbindung von Notärzten im Regionalleitstellenbereich Lausitz",
    sponsor="stadt_cottbus",
    contact="zellmann",
    lead_workshop=2,
    instrument="invkg_arm1",
    funding_area="3",
    municipality="Cottbus",
    description=(
        "Notärztinnen und Notärzte werden telemedizinisch in die Einsätze des Rettungsdienstes im Bereich der "
        "Regionalleitstelle Lausitz eingebunden."
    ),
    focus_areas=((4, "IUC-Modellregion Gesundheit"),),
)
TELEMEDICINE_CONFIRMED = dt.date(2024, 3, 6)
TELEMEDICINE_APPROVED = dt.date(2024, 7, 15)
# "about 650,000 EUR of about 716,000 EUR": a grant of 650,000 EUR would be 90.8 % of 716,000 EUR, above the
# 90 % the law allows, so the exact figures differ from the rounded ones. The demo keeps the total and the
# rule: eligible cost = total cost, grant = 90 % of it (644,400 EUR, "rund 650.000 EUR" in the press).
TELEMEDICINE_TOTAL_COST = 716_000
TELEMEDICINE_GRANT = 644_400

WERTEGESELLSCHAFT = ProjectData(
    title="WerteGesellschaft Lausitz",
    sponsor="hnee",
    contact="kramer",
    lead_workshop=4,
    instrument="stark",
)
