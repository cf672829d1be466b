"""Under which licence the platform's open data is published, and how to name its source.

The platform's own data (register, sessions, minutes, calendars, feeds, the OParl API) comes under the
licence the settings name (``WERKSTATT_DATA_LICENCE_NAME``, ``WERKSTATT_DATA_LICENCE_URL``) with the
attribution ``WERKSTATT_DATA_ATTRIBUTION``; reference data of others keeps its own licence and source
note (the BKG geodata: ``geo.source``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from werkstatt.geo import source as geo_source


@dataclass(frozen=True)
class Licence:
    name: str
    url: str
    attribution: str  # the source note a re-user has to give
    attribution_url: str = ""  # where the source note links to, if the licensor asks for a link
    dataset: str = ""  # the dataset referred to, for data of others
    dataset_url: str = ""

    def as_json(self) -> dict[str, Any]:
        """For the head of the JSON exports."""
        return {"name": self.name, "url": self.url, "attribution": self.attribution}


def data_licence() -> Licence:
    """The licence of the platform's own data, from the settings (read on every call, so tests may change it)."""
    return Licence(
        name=settings.WERKSTATT_DATA_LICENCE_NAME,
        url=settings.WERKSTATT_DATA_LICENCE_URL,
        attribution=settings.WERKSTATT_DATA_ATTRIBUTION,
    )


GEODATA_LICENCE = Licence(
    name=geo_source.LICENCE_NAME,
    url=geo_source.LICENCE_URL,
    attribution=geo_source.ATTRIBUTION,
    attribution_url=geo_source.ATTRIBUTION_URL,
    dataset=geo_source.DATASET,
    dataset_url=geo_source.DATASET_URL,
)
