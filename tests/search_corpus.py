"""A small corpus for the search tests: about 40 objects of every kind, with distractors, and its index."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    NewsItemFactory,
    OrganizationFactory,
    PersonFactory,
    ProjectFactory,
    WorkshopFactory,
)
from werkstatt.geo.models import District, Municipality
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.organizations.models import MembershipRole, Workshop
from werkstatt.projects.models import MilestoneKind
from werkstatt.search.services import search_index_rebuild

TELEMEDICINE = "Telemedizinische Einbindung von Notärzten im Regionalleitstellenbereich Lausitz"


@dataclass
class Corpus:
    objects: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.objects[key]


def build_corpus(body: Any) -> Corpus:
    o: dict[str, Any] = {}
    # The personas' workshops (fixtures workshop2, workshop4) if a test has them already.
    w2 = Workshop.objects.filter(body=body, number=2).first() or WorkshopFactory(
        body=body, number=2, title="Innovation und Digitalisierung"
    )
    w4 = Workshop.objects.filter(body=body, number=4).first() or WorkshopFactory(
        body=body, number=4, title="Daseinsvorsorge, ländliche Entwicklung"
    )
    o["w2"], o["w4"] = w2, w4
    ee = District.objects.create(ags="12062", name="Elbe-Elster", kind="Landkreis")
    cb = District.objects.create(ags="12052", name="Cottbus", name_dsb="Chóśebuz", kind="Kreisfreie Stadt")
    osl = District.objects.create(
        ags="12066", name="Oberspreewald-Lausitz", name_dsb="Górne Błota-Łužyca", kind="Landkreis"
    )
    herzberg = Municipality.objects.create(ags="12062224", name="Herzberg (Elster)", kind="Stadt", district=ee)
    luebbenau = Municipality.objects.create(
        ags="12066196", name="Lübbenau/Spreewald", name_dsb="Lubnjow/Błota", kind="Stadt", district=osl
    )
    cottbus = Municipality.objects.create(
        ags="12052000", name="Cottbus", name_dsb="Chóśebuz", kind="Stadt", district=cb
    )
    o["ee"], o["herzberg"], o["cottbus"] = ee, herzberg, cottbus

    city = OrganizationFactory(body=body, name="Stadt Cottbus/Chóśebuz", kind="municipality")
    o["city"] = city
    OrganizationFactory(body=body, name="Stadtwerke Cottbus GmbH", kind="company")
    OrganizationFactory(body=body, name="Landkreis Elbe-Elster", kind="district")
    OrganizationFactory(body=body, name="Handwerkskammer Cottbus", short_name="HWK", kind="chamber")
    o["mueller"] = PersonFactory(body=body, given_name="Anna", family_name="Müller", function="Bürgermeisterin")
    PersonFactory(body=body, given_name="Jens", family_name="Mühle", function="Geschäftsführer")
    PersonFactory(
        body=body, given_name="Petra", family_name="Schulz", function="Referentin", email="notarzt@example.org"
    )
    MembershipFactory(person=o["mueller"], workshop=w4, role=MembershipRole.SPEAKER)

    def project(title: str, **kwargs: Any) -> Any:
        kwargs.setdefault("lead_workshop", w4)
        return ProjectFactory(body=body, title=title, **kwargs)

    o["telemedicine"] = project(
        TELEMEDICINE,
        description=(
            "Notärztinnen und Notärzte werden telemedizinisch in die Einsätze des Rettungsdienstes eingebunden."
        ),
        municipality=cottbus,
        district=cb,
        sponsor=city,
    )
    o["doctors_house"] = project(
        "Ärztehaus Forst", description="Ein Haus für Hausärzte und einen Notarzt-Standort in Forst (Lausitz)."
    )
    o["telecom"] = project("Telekommunikation im ländlichen Raum", description="Glasfaser für Dörfer.")
    o["project_house"] = project(
        "Projekthaus Bürgerbeteiligung", description="Ein Ort für Projekte der Zivilgesellschaft."
    )
    o["street"] = project(
        "Ausbau der Straße nach Welzow", description="Die Landesstraße wird verbreitert.", lead_workshop=w2
    )
    o["tram"] = project("Straßenbahn Cottbus", description="Neue Wagen für den Nahverkehr.", municipality=cottbus)
    o["station"] = project(
        "Modernisierung des Bahnhofs", description="Barrierefreier Zugang zu den Gleisen.", municipality=luebbenau
    )
    o["herzberg_build"] = project(
        "Gewerbegebiet Herzberg", description="Erschließung eines Gewerbegebiets.", municipality=herzberg, district=ee
    )
    MilestoneFactory(
        project=o["herzberg_build"], kind=MilestoneKind.OTHER, title="Baubeginn", planned_date=dt.date(2026, 4, 1)
    )
    o["other_build"] = project("Sporthalle Finsterwalde", description="Neubau einer Halle.", district=ee)
    MilestoneFactory(
        project=o["other_build"], kind=MilestoneKind.OTHER, title="Baubeginn", planned_date=dt.date(2025, 3, 1)
    )
    o["cottbus_build"] = project("Bildungscampus Cottbus", description="Neubau einer Schule.", district=cb)
    MilestoneFactory(
        project=o["cottbus_build"], kind=MilestoneKind.OTHER, title="Baubeginn", planned_date=dt.date(2026, 5, 1)
    )
    o["foundation"] = project("Kita Sonnenschein", description="Eine neue Kita.")
    MilestoneFactory(project=o["foundation"], kind=MilestoneKind.FOUNDATION_STONE, planned_date=dt.date(2025, 9, 1))
    o["cycle"] = project("Radweg Spreewald", description="Ein neuer Weg für Familien.")
    for i in range(6):
        project(f"Vorhaben {i} der Region", description="Allgemeine Beschreibung ohne besondere Stichworte.")

    NewsItemFactory(body=body, title="Neue Straße eröffnet", teaser="In Welzow ist die Straße fertig.")
    NewsItemFactory(body=body, title="Ein Radweg-Sommer", teaser="Viele fahren jetzt Rad; der Radweg wird gelobt.")
    NewsItemFactory(
        body=body, title="Universitätsmedizin in Cottbus", teaser="Die Medizinische Universität Lausitz wächst."
    )
    NewsItemFactory(
        body=body, title="Notärzte gesucht", teaser="Der Rettungsdienst sucht Personal.", date=dt.date(2024, 2, 1)
    )
    for i in range(4):
        NewsItemFactory(body=body, title=f"Mitteilung {i}", teaser="Allgemeines aus der Werkstatt.")

    held = MeetingFactory(
        workshop=w4, state=MeetingState.HELD, minutes_state=MinutesState.PUBLISHED, date=dt.date(2024, 1, 24)
    )
    o["held"] = held
    o["item_tele"] = AgendaItemFactory(
        meeting=held,
        title=f"Vorstellung Investitionsprojekt „{TELEMEDICINE}“",
        result="<p>Die Werkstatt empfiehlt das Projekt einstimmig.</p>",
    )
    AgendaItemFactory(meeting=held, title="Sachstand der Projekte", result="<p>Bericht über 72 Vorhaben.</p>")
    AgendaItemFactory(meeting=held, title="Verschiedenes", result="<p>Keine Wortmeldungen.</p>")
    return Corpus(o)


def build_indexed_corpus(body: Any) -> Corpus:
    corpus = build_corpus(body)
    search_index_rebuild()
    return corpus
