"""The project map: the phases a marker's colour stands for, the GeoJSON of the markers, the shapes of the
districts and municipalities (the project's own copy of the BKG data), and the map's settings for the page.

Who may see which project is decided by ``projects.selectors.project_map`` (the register's selector); this
module only turns its entries into what the browser draws.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from werkstatt.geo import source as geo_source
from werkstatt.geo.services import DATA_DIR
from werkstatt.projects.selectors import MapEntry
from werkstatt.projects.workflow import ProjectState, state_label


@dataclass(frozen=True)
class Phase:
    """A group of states drawn in one colour and with one sign (colour is never the only carrier)."""

    key: str  # CSS modifier: map-marker--<key>
    sign: str  # shown in the marker and in the legend
    label: str | Promise
    states: tuple[str, ...]

    @property
    def state_labels(self) -> list[str]:
        return [state_label(state) for state in self.states]


PHASES: tuple[Phase, ...] = (
    Phase(
        "idea",
        "1",
        gettext_lazy("Idee und Qualifizierung"),
        (ProjectState.IDEA, ProjectState.SUBMITTED, ProjectState.QUALIFICATION),
    ),
    Phase(
        "workshop",
        "2",
        gettext_lazy("In der Werkstatt"),
        (ProjectState.PRESENTED, ProjectState.RECOMMENDED, ProjectState.FORWARDED),
    ),
    Phase("confirmed", "3", gettext_lazy("Bestätigt, im Antrag"), (ProjectState.CONFIRMED, ProjectState.APPLIED)),
    Phase(
        "funded",
        "4",
        gettext_lazy("Bewilligt, in Umsetzung, abgeschlossen"),
        (ProjectState.APPROVED, ProjectState.IMPLEMENTATION, ProjectState.COMPLETED),
    ),
    Phase(
        "stopped",
        "5",
        gettext_lazy("Zurückgestellt, zurückgezogen, abgelehnt"),
        (ProjectState.DEFERRED, ProjectState.WITHDRAWN, ProjectState.REJECTED),
    ),
)
PHASE_OF_STATE: dict[str, Phase] = {state: phase for phase in PHASES for state in phase.states}


def place_label(entry: MapEntry) -> str:
    """The place as the list shows it, in plain text (the map's popup escapes it)."""
    project = entry.project
    municipality, district = project.municipality, project.district
    if municipality is not None:
        if district is not None and district.display_name != municipality.display_name:
            return f"{municipality.display_name} ({district.display_name})"
        return municipality.display_name
    return district.display_name if district is not None else ""


def markers_geojson(
    entries: list[MapEntry], *, project_url: Callable[[int], str], messages: list[str]
) -> dict[str, Any]:
    """The markers as a GeoJSON FeatureCollection (RFC 7946: lon/lat). Projects without a place are not
    features; they come in the foreign member ``unlocated``, as the page lists them under "ohne Ortsangabe"."""
    features = []
    unlocated = []
    for entry in entries:
        project = entry.project
        phase = PHASE_OF_STATE[project.state]
        properties = {
            "id": project.pk,
            "title": project.title,
            "url": project_url(project.pk),
            "state": project.state,
            "state_label": state_label(project.state),
            "phase": phase.key,
            "sign": phase.sign,
            "place": place_label(entry),
            "located_by": entry.located_by,
        }
        if entry.latitude is None or entry.longitude is None:
            unlocated.append(properties)
            continue
        features.append(
            {
                "type": "Feature",
                "id": project.pk,
                "geometry": {"type": "Point", "coordinates": [float(entry.longitude), float(entry.latitude)]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features, "unlocated": unlocated, "messages": messages}


# --- the shapes (static reference data) -----------------------------------------------------------

SHAPE_FILES = {
    "districts": DATA_DIR / "lausitz-districts.geojson",
    "municipalities": DATA_DIR / "lausitz-municipalities.geojson",
}
# The shapes change only with a new release of the data: browsers and proxies may keep them a day.
SHAPES_MAX_AGE = 24 * 60 * 60


@dataclass(frozen=True)
class Shapes:
    content: bytes
    etag: str


@functools.cache
def shapes(kind: str) -> Shapes:
    """The GeoJSON file of ``kind`` ("districts" or "municipalities") as shipped, with its ETag."""
    content = SHAPE_FILES[kind].read_bytes()
    return Shapes(content, '"' + hashlib.sha256(content).hexdigest()[:32] + '"')


# --- what the page hands the script ---------------------------------------------------------------


def tile_layer() -> tuple[str, str]:
    """The background tiles from the settings (``MAP_TILE_URL``, ``MAP_TILE_ATTRIBUTION``); empty: none."""
    return settings.MAP_TILE_URL, settings.MAP_TILE_ATTRIBUTION


@dataclass(frozen=True)
class GeodataAttribution:
    text: str = geo_source.ATTRIBUTION
    url: str = geo_source.ATTRIBUTION_URL
    licence_name: str = geo_source.LICENCE_NAME
    licence_url: str = geo_source.LICENCE_URL
    dataset: str = geo_source.DATASET
    dataset_url: str = geo_source.DATASET_URL

    def html(self) -> str:
        """The source note as the map's attribution control shows it (links, escaped)."""
        return render_to_string("portal/_geodata_attribution.html", {"attribution": self, "short": True}).strip()


GEODATA = GeodataAttribution()
