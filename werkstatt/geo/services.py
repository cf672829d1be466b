"""Reference data: the districts and municipalities of the Lausitz from the BKG data in ``data/``, and the
districts' population (``data/lausitz-population.csv``, see ``data/SOURCE.md``)."""

import csv
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from werkstatt.core.bilingual import LOWER_SORBIAN_NAMES
from werkstatt.core.services import save_validated
from werkstatt.core.text import normalise_text
from werkstatt.geo.models import District, Location, Municipality

DATA_DIR = Path(__file__).resolve().parent / "data"
DISTRICTS_FILE = DATA_DIR / "lausitz-districts.geojson"
MUNICIPALITIES_FILE = DATA_DIR / "lausitz-municipalities.csv"
POPULATION_FILE = DATA_DIR / "lausitz-population.csv"


def _sync(model: type[District] | type[Municipality], ags: str, values: dict[str, Any]) -> Any:
    """Create or update one row by its key; an unchanged row is not saved (no history row)."""
    instance = model.objects.filter(ags=ags).first()
    if instance is None:
        return model.objects.create(ags=ags, **values)
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance._change_reason = "Referenzdaten aktualisiert"  # type: ignore[union-attr]
        instance.save()
    return instance


def _population() -> dict[str, tuple[int, dt.date]]:
    """Kreisschlüssel -> (inhabitants, the date the figure is for), from ``POPULATION_FILE``."""
    with POPULATION_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["ags"]: (int(row["population"]), dt.date.fromisoformat(row["date"])) for row in csv.DictReader(handle)
        }


def _population_values(ags: str, population: dict[str, tuple[int, dt.date]]) -> dict[str, Any]:
    """The population fields to write: the file's figure, unless the district already has one that is as recent
    or more recent (an operator's update in the admin is never replaced by the older figure of the file)."""
    if ags not in population:
        return {}
    inhabitants, date = population[ags]
    current = District.objects.filter(ags=ags).values_list("population", "population_date").first()
    if current is not None and current[0] is not None and current[1] is not None and current[1] >= date:
        return {}
    return {"population": inhabitants, "population_date": date}


@transaction.atomic
def geo_reference_data_load() -> tuple[int, int]:
    """Create or update all districts (with their population) and municipalities; returns how many of each exist."""
    features = json.loads(DISTRICTS_FILE.read_text(encoding="utf-8"))["features"]
    population = _population()
    districts: dict[str, District] = {}
    for feature in features:
        props = feature["properties"]
        districts[props["ags"]] = _sync(
            District,
            props["ags"],
            {
                "name": props["name"],
                "kind": props["kind"],
                "name_dsb": LOWER_SORBIAN_NAMES.get(props["name"], ""),
                **_population_values(props["ags"], population),
            },
        )
    with MUNICIPALITIES_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        _sync(
            Municipality,
            row["ags"],
            {
                "name": row["name"],
                "kind": row["kind"],
                "district_id": districts[row["district_ags"]].pk,
                "name_dsb": LOWER_SORBIAN_NAMES.get(row["name"], ""),
                "latitude": Decimal(row["lat"]),
                "longitude": Decimal(row["lon"]),
            },
        )
    return len(districts), len(rows)


@dataclass(frozen=True)
class LocationInput:
    """An address as entered, e.g. ``Bürgerzentrum, Uferstraße 6, 04916 Herzberg (Elster)``."""

    description: str = ""
    room: str = ""
    street_address: str = ""
    postal_code: str = ""
    locality: str = ""

    def is_empty(self) -> bool:
        return not any((self.description, self.room, self.street_address, self.postal_code, self.locality))


def location_get_or_create(*, actor: object | None, address: LocationInput) -> Location:
    """Reuse the identical address if it is known, else create it (linked to its municipality by name)."""
    values = {
        "description": normalise_text(address.description),
        "room": normalise_text(address.room),
        "street_address": normalise_text(address.street_address),
        "postal_code": address.postal_code.strip(),
        "locality": normalise_text(address.locality),
    }
    existing = Location.objects.filter(**values).first()
    if existing is not None:
        return existing
    municipality = Municipality.objects.filter(name=values["locality"]).first() if values["locality"] else None
    return location_create(actor=actor, municipality=municipality, **values)


def location_create(
    *,
    actor: object | None,
    description: str = "",
    room: str = "",
    street_address: str = "",
    postal_code: str = "",
    locality: str = "",
    municipality: Municipality | None = None,
) -> Location:
    location = Location(
        description=normalise_text(description),
        room=normalise_text(room),
        street_address=normalise_text(street_address),
        postal_code=postal_code.strip(),
        locality=normalise_text(locality),
        municipality=municipality,
    )
    if municipality is not None and municipality.latitude is not None:
        location.latitude, location.longitude = municipality.latitude, municipality.longitude
    return save_validated(location, actor=actor)
