"""Reference data: the districts and municipalities of the Lausitz from the BKG data in ``data/``."""

import csv
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from werkstatt.core.bilingual import LOWER_SORBIAN_NAMES
from werkstatt.core.services import save_validated
from werkstatt.core.text import normalise_text
from werkstatt.geo.models import District, Location, Municipality

DATA_DIR = Path(__file__).resolve().parent / "data"
DISTRICTS_FILE = DATA_DIR / "lausitz-districts.geojson"
MUNICIPALITIES_FILE = DATA_DIR / "lausitz-municipalities.csv"


@transaction.atomic
def geo_reference_data_load() -> tuple[int, int]:
    """Create or update all districts and municipalities; returns how many of each exist."""
    features = json.loads(DISTRICTS_FILE.read_text(encoding="utf-8"))["features"]
    districts: dict[str, District] = {}
    for feature in features:
        props = feature["properties"]
        district, _ = District.objects.update_or_create(
            ags=props["ags"],
            defaults={
                "name": props["name"],
                "kind": props["kind"],
                "name_dsb": LOWER_SORBIAN_NAMES.get(props["name"], ""),
            },
        )
        districts[district.ags] = district
    with MUNICIPALITIES_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        Municipality.objects.update_or_create(
            ags=row["ags"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "district": districts[row["district_ags"]],
                "name_dsb": LOWER_SORBIAN_NAMES.get(row["name"], ""),
                "latitude": Decimal(row["lat"]),
                "longitude": Decimal(row["lon"]),
            },
        )
    return len(districts), len(rows)


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
