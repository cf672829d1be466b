"""Every project action of the back office × every kind of person, over HTTP.

The table is the specification: 1 = the action succeeds (a page, or a write followed by a redirect
to the project's pages), 0 = refused (anonymous visitors are sent to the login page, everybody else
gets 403) and nothing in the database changed.
"""

import datetime as dt
import decimal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import MeetingFactory, MilestoneFactory, ProjectFactory, UserFactory
from werkstatt.accounts.models import Role
from werkstatt.meetings.workflow import MeetingState
from werkstatt.projects.models import Milestone, Project
from werkstatt.projects.services import project_put_on_agenda
from werkstatt.projects.workflow import FundingInstrument, ProjectState

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "delegate", "speaker", "office", "bank", "chancellery", "admin")

# fmt: off
#                              anon  deleg  speak  office bank  chanc  admin
MATRIX = {
    "list":                    (0,    0,     0,     1,     1,    1,     1),
    "detail":                  (0,    0,     0,     1,     1,    1,     1),
    "create-form":             (0,    0,     0,     1,     0,    0,     1),
    "create":                  (0,    0,     0,     1,     0,    0,     1),
    "edit":                    (0,    0,     0,     1,     0,    0,     1),
    "office-step":             (0,    0,     0,     1,     0,    0,     1),
    "office-stark-step":       (0,    0,     0,     1,     0,    0,     1),
    "office-rejection":        (0,    0,     0,     1,     0,    0,     1),
    "withdrawal":              (0,    0,     0,     1,     0,    0,     1),
    "chancellery-forwarding":  (0,    0,     0,     0,     0,    1,     1),
    "chancellery-confirmation":(0,    0,     0,     0,     0,    1,     1),
    "bank-application":        (0,    0,     0,     0,     1,    0,     1),
    "bank-approval":           (0,    0,     0,     0,     1,    0,     1),
    "bank-implementation":     (0,    0,     0,     0,     1,    0,     1),
    "bank-completion":         (0,    0,     0,     0,     1,    0,     1),
    "milestone-add":           (0,    0,     0,     1,     1,    0,     1),
    "milestone-edit":          (0,    0,     0,     1,     1,    0,     1),
    "milestone-delete":        (0,    0,     0,     1,     1,    0,     1),
    "put-on-agenda":           (0,    0,     0,     1,     0,    0,     1),
    "record-outcome":          (0,    0,     0,     1,     0,    0,     1),
    "record-presentation":     (0,    0,     0,     1,     0,    0,     1),
    "consultation-page":       (0,    0,     0,     1,     1,    1,     1),
    "upload":                  (0,    0,     0,     1,     0,    0,     1),
}
# fmt: on

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/MediaBox[0 0 595 842]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class World:
    workshop4: Any
    project: Project  # the project the action is about
    extra: dict[str, Any]


@dataclass(frozen=True)
class Action:
    """How to set up the project, what to send, and how to tell that it happened."""

    state: str
    send: Callable[[Client, World], HttpResponse]
    done: Callable[[World], bool]
    instrument: str = FundingInstrument.INVKG_ARM1
    read_only: bool = False


def _state_is(state: str) -> Callable[[World], bool]:
    def check(world: World) -> bool:
        world.project.refresh_from_db()
        return world.project.state == state

    return check


def _step(target: str, **fields: str) -> Callable[[Client, World], HttpResponse]:
    def send(client: Client, world: World) -> HttpResponse:
        return client.post(
            reverse("office:project-step", args=[world.project.pk, target]),
            {f"schritt-{target}-{name}": value for name, value in fields.items()},
        )

    return send


def _get(url_name: str) -> Callable[[Client, World], HttpResponse]:
    def send(client: Client, world: World) -> HttpResponse:
        args = [] if url_name in ("office:project-list", "office:project-create") else [world.project.pk]
        return client.get(reverse(url_name, args=args))

    return send


def _create(client: Client, world: World) -> HttpResponse:
    return client.post(
        reverse("office:project-create"),
        {"state": "idea", "title": "Neues Projekt aus der Matrix", "instrument": "invkg_arm1", "public": "on"},
    )


def _edit(client: Client, world: World) -> HttpResponse:
    return client.post(
        reverse("office:project-edit", args=[world.project.pk]),
        {"title": "Geänderter Titel", "instrument": "invkg_arm1", "public": "on"},
    )


def _milestone_add(client: Client, world: World) -> HttpResponse:
    return client.post(
        reverse("office:milestone-add", args=[world.project.pk]),
        {"meilenstein-kind": "opening", "meilenstein-planned_date": "2026-09-01"},
    )


def _milestone_edit(client: Client, world: World) -> HttpResponse:
    milestone = world.extra["milestone"]
    return client.post(
        reverse("office:milestone-edit", args=[world.project.pk, milestone.pk]),
        {"kind": "ground_breaking", "planned_date": "2024-06-01", "actual_date": "2024-06-03"},
    )


def _milestone_delete(client: Client, world: World) -> HttpResponse:
    milestone = world.extra["milestone"]
    return client.post(reverse("office:milestone-delete", args=[world.project.pk, milestone.pk]))


def _put_on_agenda(client: Client, world: World) -> HttpResponse:
    meeting = world.extra["planned_meeting"]
    return client.post(
        reverse("office:agenda-project-add", args=[meeting.pk]),
        {"projekt-project": str(world.project.pk), "projekt-number": "5"},
    )


def _consultation_post(data: dict[str, str]) -> Callable[[Client, World], HttpResponse]:
    def send(client: Client, world: World) -> HttpResponse:
        consultation = world.extra["consultation"]
        fields = {key.replace("PREFIX", f"ergebnis-{consultation.pk}"): value for key, value in data.items()}
        return client.post(reverse("office:consultation", args=[consultation.meeting_id, consultation.pk]), fields)

    return send


def _consultation_page(client: Client, world: World) -> HttpResponse:
    consultation = world.extra["consultation"]
    return client.get(reverse("office:consultation", args=[consultation.meeting_id, consultation.pk]))


def _upload(client: Client, world: World) -> HttpResponse:
    return client.post(
        reverse("office:project-file-upload", args=[world.project.pk]),
        {"dokument-file": SimpleUploadedFile("Steckbrief.pdf", MINIMAL_PDF, "application/pdf")},
    )


def _title_is(title: str) -> Callable[[World], bool]:
    def check(world: World) -> bool:
        world.project.refresh_from_db()
        return world.project.title == title

    return check


ACTIONS: dict[str, Action] = {
    "list": Action(ProjectState.QUALIFICATION, _get("office:project-list"), lambda w: True, read_only=True),
    "detail": Action(ProjectState.QUALIFICATION, _get("office:project-detail"), lambda w: True, read_only=True),
    "create-form": Action(ProjectState.IDEA, _get("office:project-create"), lambda w: True, read_only=True),
    "create": Action(
        ProjectState.IDEA, _create, lambda w: Project.objects.filter(title="Neues Projekt aus der Matrix").exists()
    ),
    "edit": Action(ProjectState.QUALIFICATION, _edit, _title_is("Geänderter Titel")),
    "office-step": Action(ProjectState.SUBMITTED, _step("qualification"), _state_is(ProjectState.QUALIFICATION)),
    "office-stark-step": Action(
        ProjectState.RECOMMENDED,
        _step("forwarded"),
        _state_is(ProjectState.FORWARDED),
        instrument=FundingInstrument.STARK,
    ),
    "office-rejection": Action(
        ProjectState.QUALIFICATION, _step("rejected", note="Kein Bezug zum Strukturwandel"), _state_is("rejected")
    ),
    "withdrawal": Action(
        ProjectState.APPLIED, _step("withdrawn", note="Träger verzichtet"), _state_is(ProjectState.WITHDRAWN)
    ),
    "chancellery-forwarding": Action(ProjectState.RECOMMENDED, _step("forwarded"), _state_is(ProjectState.FORWARDED)),
    "chancellery-confirmation": Action(
        ProjectState.FORWARDED, _step("confirmed", decision_date="2024-03-06"), _state_is(ProjectState.CONFIRMED)
    ),
    "bank-application": Action(ProjectState.CONFIRMED, _step("applied"), _state_is(ProjectState.APPLIED)),
    "bank-approval": Action(
        ProjectState.APPLIED,
        _step(
            "approved",
            decision_date="2024-07-15",
            total_cost="716.000,00",
            eligible_cost="716.000,00",
            grant="644.400,00",
        ),
        _state_is(ProjectState.APPROVED),
    ),
    "bank-implementation": Action(
        ProjectState.APPROVED, _step("implementation"), _state_is(ProjectState.IMPLEMENTATION)
    ),
    "bank-completion": Action(ProjectState.IMPLEMENTATION, _step("completed"), _state_is(ProjectState.COMPLETED)),
    "milestone-add": Action(
        ProjectState.IMPLEMENTATION, _milestone_add, lambda w: w.project.milestones.filter(kind="opening").exists()
    ),
    "milestone-edit": Action(
        ProjectState.IMPLEMENTATION,
        _milestone_edit,
        lambda w: Milestone.objects.get(pk=w.extra["milestone"].pk).actual_date == dt.date(2024, 6, 3),
    ),
    "milestone-delete": Action(
        ProjectState.IMPLEMENTATION,
        _milestone_delete,
        lambda w: not Milestone.objects.filter(pk=w.extra["milestone"].pk).exists(),
    ),
    "put-on-agenda": Action(
        ProjectState.QUALIFICATION,
        _put_on_agenda,
        lambda w: w.project.consultations.filter(meeting=w.extra["planned_meeting"]).exists(),
    ),
    "record-outcome": Action(
        ProjectState.QUALIFICATION,
        _consultation_post({"aktion": "ergebnis", "PREFIX-outcome": "recommendation"}),
        _state_is(ProjectState.RECOMMENDED),
    ),
    "record-presentation": Action(
        ProjectState.QUALIFICATION, _consultation_post({"aktion": "vorstellung"}), _state_is(ProjectState.PRESENTED)
    ),
    "consultation-page": Action(ProjectState.QUALIFICATION, _consultation_page, lambda w: True, read_only=True),
    "upload": Action(ProjectState.QUALIFICATION, _upload, lambda w: w.project.files.exists()),
}


def test_the_matrix_covers_every_action_and_every_role():
    assert set(MATRIX) == set(ACTIONS)
    assert all(len(row) == len(ROLES) for row in MATRIX.values())


@pytest.fixture
def people(office_user, bank_user, chancellery_user, speaker_w4, delegate_w2) -> dict[str, Any]:
    return {
        "anonymous": None,
        "delegate": delegate_w2,
        "speaker": speaker_w4,
        "office": office_user,
        "bank": bank_user,
        "chancellery": chancellery_user,
        "admin": UserFactory(username="verwaltung", role=Role.ADMIN),
    }


def _world(action: Action, workshop4: Any) -> World:
    project = ProjectFactory(lead_workshop=workshop4, state=action.state, instrument=action.instrument)
    today = timezone.localdate()
    held = MeetingFactory(workshop=workshop4, state=MeetingState.HELD, date=today - dt.timedelta(days=3))
    extra = {
        "milestone": MilestoneFactory(project=project, kind="ground_breaking", planned_date=dt.date(2024, 6, 1)),
        "planned_meeting": MeetingFactory(workshop=workshop4, date=today + dt.timedelta(days=14)),
    }
    if action.state == ProjectState.QUALIFICATION:
        extra["consultation"] = project_put_on_agenda(actor=None, project=project, meeting=held, number="4")
    if action.state == ProjectState.APPLIED:
        project.total_cost = project.eligible_cost = decimal.Decimal("716000")
        project.save()
    return World(workshop4=workshop4, project=project, extra=extra)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(MATRIX))
def test_project_action(name, role, people, workshop4, row_counts, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    action = ACTIONS[name]
    allowed = bool(MATRIX[name][ROLES.index(role)])
    world = _world(action, workshop4)
    client = Client()
    user = people[role]
    if user is not None:
        client.force_login(user)
    before = row_counts()
    response = action.send(client, world)
    if allowed:
        if action.read_only:
            assert response.status_code == 200, (name, role, response.status_code)
        else:
            assert response.status_code == 302, (name, role, response.status_code, response.content[:3000])
            assert not response["Location"].startswith(reverse("login"))
            assert action.done(world), (name, role)
            assert row_counts() != before
        return
    if user is None:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), (name, role)
    else:
        assert response.status_code == 403, (name, role, response.status_code)
    assert row_counts() == before
    if not action.read_only:
        assert not action.done(world), (name, role)
