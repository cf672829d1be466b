"""Projects for the map tests: placed by their own point, by their municipality's point, or not at all,
one of them not public; and a way to add many more."""

import datetime as dt
from types import SimpleNamespace
from typing import Any

from tests.factories import ProjectFactory, WorkshopFactory
from werkstatt.geo.models import District, Municipality
from werkstatt.geo.services import geo_reference_data_load
from werkstatt.organizations.models import FocusArea
from werkstatt.projects.workflow import FundingInstrument, ProjectState

COTTBUS = "12052000"
SPREMBERG = "12071372"
OWN_POINT = ("51.75000", "14.33000")  # in Cottbus, away from the municipality's point
SECRET_POINT = ("51.50000", "13.50000")


def map_portfolio(workshop2: Any, workshop4: Any) -> SimpleNamespace:
    """Four public projects with a place (alpha: own point; beta, epsilon, zeta: their municipality's point),
    two public ones without (gamma: only a district; eta: nothing), and delta: not public, with its own point."""
    geo_reference_data_load()
    cottbus = Municipality.objects.get(ags=COTTBUS)
    spremberg = Municipality.objects.get(ags=SPREMBERG)
    dahme = Municipality.objects.filter(district__ags="12061").order_by("ags").first()
    assert dahme is not None
    health = FocusArea.objects.create(workshop=workshop2, title="Gesundheit digital")
    body = workshop2.body
    alpha = ProjectFactory(
        body=body, title="Alpha Klinikverbund", lead_workshop=workshop2, state=ProjectState.APPROVED,
        municipality=cottbus, district=cottbus.district, latitude=OWN_POINT[0], longitude=OWN_POINT[1],
    )  # fmt: skip
    alpha.focus_areas.add(health)
    beta = ProjectFactory(
        body=body, title="Beta Lernort", lead_workshop=workshop4, instrument=FundingInstrument.STARK,
        state=ProjectState.QUALIFICATION, municipality=spremberg, district=spremberg.district,
    )  # fmt: skip
    gamma = ProjectFactory(
        body=body, title="Gamma Radweg", lead_workshop=workshop4, state=ProjectState.CONFIRMED,
        district=District.objects.get(ags="12062"),
    )  # fmt: skip
    gamma.other_workshops.add(workshop2)
    epsilon = ProjectFactory(
        body=body, title="Epsilon Wärmenetz", lead_workshop=workshop2, instrument=FundingInstrument.JTF,
        state=ProjectState.RECOMMENDED, municipality=cottbus, district=cottbus.district,
    )  # fmt: skip
    zeta = ProjectFactory(
        body=body, title="Zeta Dorfladen", lead_workshop=workshop4, state=ProjectState.DEFERRED,
        municipality=dahme, district=dahme.district,
    )  # fmt: skip
    eta = ProjectFactory(body=body, title="Eta Ideenwerkstatt", lead_workshop=workshop2, state=ProjectState.IDEA)
    delta = ProjectFactory(
        body=body, title="Delta Vertraulich", lead_workshop=workshop4, public=False,
        latitude=SECRET_POINT[0], longitude=SECRET_POINT[1],
    )  # fmt: skip
    return SimpleNamespace(
        alpha=alpha, beta=beta, gamma=gamma, delta=delta, epsilon=epsilon, zeta=zeta, eta=eta, health=health,
        cottbus=cottbus, spremberg=spremberg, dahme=dahme,
    )  # fmt: skip


def grow_map(workshop2: Any, workshop4: Any, count: int) -> None:
    """``count`` more projects over workshops, states, places (own points, municipalities, none) and visibility."""
    places = list(Municipality.objects.select_related("district").order_by("ags")[:9])
    states = [ProjectState.QUALIFICATION, ProjectState.CONFIRMED, ProjectState.APPROVED, ProjectState.REJECTED]
    extra_workshop = WorkshopFactory(body=workshop4.body)
    area = FocusArea.objects.create(workshop=workshop4, title=f"Schwerpunkt {count}")
    for n in range(count):
        place = places[n % len(places)] if n % 5 else None
        point = {"latitude": f"51.{n % 90:02d}000", "longitude": f"14.{n % 70:02d}000"} if n % 3 == 0 else {}
        project = ProjectFactory(
            body=workshop4.body, lead_workshop=workshop4 if n % 2 else workshop2, state=states[n % 4],
            municipality=place, district=place.district if place else None, public=n % 7 != 3,
            confirmed_on=dt.date(2024, 1, 1) + dt.timedelta(days=n), **point,
        )  # fmt: skip
        project.other_workshops.add(extra_workshop)
        project.focus_areas.add(area)
