"""Golden files: one object of each OParl type from the demo, exactly as served.

Keys and time stamps differ between runs and databases, so both are replaced before the comparison: every
key in an address by a placeholder numbered in order of appearance (``/oparl/v1.1/meeting/{meeting:1}``), every
date-time (after its format was checked) by ``<Zeitpunkt>``, today's date by ``<heute>``. Everything else must
match the file in ``tests/oparl/golden/``. After an intended change: ``UPDATE_GOLDEN=1`` and read the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from werkstatt.meetings.models import AgendaItem, Meeting
from werkstatt.meetings.services.documents import documents_archive_missing
from werkstatt.organizations.models import Membership, Organization, Person
from werkstatt.projects.models import Consultation, Project

GOLDEN = Path(__file__).parent / "oparl" / "golden"
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$")
KEY = re.compile(r"/(?P<segment>[a-z-]+)/(?P<prefix>werkstatt-|projekt-)?(?P<pk>\d+)(?=/|$|#|\?)")
ANCHOR = re.compile(r"#(?P<name>[a-z]+)-(?P<pk>\d+)$")


def _objects() -> dict[str, str]:
    meeting = Meeting.objects.get(workshop__number=4, number=16)
    project = Project.objects.get(title__startswith="Telemedizinische Einbindung")
    item = AgendaItem.objects.filter(meeting=meeting, consultations__project=project).get()
    term = project.body.legislative_terms.order_by("start_date").first()
    assert term is not None
    return {
        "System": "/oparl/v1.1/",
        "Body": f"/oparl/v1.1/body/{project.body_id}",
        "Organization-Werkstatt": f"/oparl/v1.1/organization/werkstatt-{meeting.workshop_id}",
        "Organization-Institution": f"/oparl/v1.1/organization/{Organization.objects.get(short_name='IHK').pk}",
        "Person": f"/oparl/v1.1/person/{Person.objects.get(family_name='Guntermann').pk}",
        "Membership": f"/oparl/v1.1/membership/{Membership.objects.get(person__family_name='Guntermann').pk}",
        "Meeting": f"/oparl/v1.1/meeting/{meeting.pk}",
        "AgendaItem": f"/oparl/v1.1/agenda-item/{item.pk}",
        "Paper": f"/oparl/v1.1/paper/{project.pk}",
        "Consultation": f"/oparl/v1.1/consultation/{Consultation.objects.get(project=project, authoritative=True).pk}",
        "Location": f"/oparl/v1.1/location/{meeting.location_id}",
        "File": f"/oparl/v1.1/file/{meeting.minutes_document_id}",
        "Location-Projekt": f"/oparl/v1.1/location/projekt-{project.pk}",
        "LegislativeTerm": f"/oparl/v1.1/legislative-term/{term.pk}",
    }


def normalise(data: Any) -> Any:
    today = timezone.localdate().isoformat()
    keys: dict[tuple[str, str], str] = {}

    def key(match: re.Match[str]) -> str:
        segment, prefix, pk = match["segment"], match["prefix"] or "", match["pk"]
        kind = segment + ":" + prefix
        if (kind, pk) not in keys:
            keys[(kind, pk)] = f"{{{kind}{sum(1 for k in keys if k[0] == kind) + 1}}}"
        return f"/{segment}/{keys[(kind, pk)]}"

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str):
            if len(value) == 128 and re.fullmatch(r"[0-9a-f]+", value):
                return "<SHA-512>"  # of a PDF with its creation time inside
            if DATETIME.match(value):
                return "<Zeitpunkt>"
            if value == today:
                return "<heute>"
            if value.startswith("http"):
                value = ANCHOR.sub(lambda m: f"#{m['name']}-{{n}}", value)
                return KEY.sub(key, value)
        return value

    return walk(data)


@pytest.mark.parametrize("name", [
    "System", "Body", "Organization-Werkstatt", "Organization-Institution", "Person", "Membership", "Meeting",
    "AgendaItem", "Paper", "Consultation", "Location", "Location-Projekt", "LegislativeTerm", "File",
])  # fmt: skip
def test_object_matches_its_golden_file(demo, client, settings, name):
    settings.WERKSTATT_BASE_URL = "https://werkstatt.example"
    # The demo's published minutes are archived after commit; the test's transaction never commits.
    documents_archive_missing(actor=None)
    response = client.get(_objects()[name])
    assert response.status_code == 200
    served = normalise(json.loads(response.content))
    if "size" in served:
        served["size"] = "<Bytes>"  # the PDF's size depends on the fonts of the machine; the crawler checks it
    path = GOLDEN / f"{name}.json"
    text = json.dumps(served, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path.name} fehlt: mit UPDATE_GOLDEN=1 erzeugen und prüfen"
    assert json.loads(path.read_text(encoding="utf-8")) == served
