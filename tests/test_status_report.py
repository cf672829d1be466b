"""The status report "Aktueller Sachstand der Projekte": figures from a factory-built portfolio compared
with hand counts, its German sentences, who may read it, the PDF, and the report attached to a session."""

import datetime as dt
from io import BytesIO
from typing import Any

import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MilestoneFactory,
    ProjectFactory,
    ProjectStatusChangeFactory,
)
from tests.pages import count_queries, visible_text
from tests.test_role_matrix import world  # noqa: F401 - the role matrix's people, as a fixture
from werkstatt.accounts import rules
from werkstatt.documents.models import File
from werkstatt.exports.status_report import status_report_pdf
from werkstatt.meetings.models import AgendaItemKind, Meeting
from werkstatt.meetings.services import meeting_plan
from werkstatt.meetings.workflow import MeetingState
from werkstatt.organizations.models import Workshop
from werkstatt.projects.models import MilestoneKind
from werkstatt.projects.report import (
    DEFAULT_SINCE,
    StatusReport,
    count_phrase,
    milestones_done_sentence,
    milestones_due_sentence,
    since_label,
    status_report,
    status_report_build,
)
from werkstatt.projects.report_services import REPORT_NAME_PREFIX, report_files_of, status_report_attach
from werkstatt.projects.workflow import PIPELINE_ORDER, SIDE_EXITS, ProjectState

pytestmark = pytest.mark.django_db

SEED_CONFIRMED = "Insgesamt 72 Projekte wurden seit März 2021 durch die IMAG bestätigt."
SEED_MILESTONES = "2024 stehen vier Inbetriebnahmen und drei Grundsteinlegungen an."


def _today() -> dt.date:
    return timezone.localdate()


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _pdf_text(content: bytes) -> str:
    with pdfplumber.open(BytesIO(content)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    return " ".join(text.split())


# --- the portfolio -----------------------------------------------------------------------------------


@pytest.fixture
def portfolio(workshop4, workshop2) -> dict[str, Any]:
    """Thirteen projects in two workshops and one without a workshop; counts by hand in the tests below."""
    w4, w2 = workshop4, workshop2

    def project(workshop: Any, title: str, state: str, confirmed: dt.date | None = None, **extra: Any) -> Any:
        return ProjectFactory(
            body=w4.body,
            lead_workshop=workshop,
            sponsor=None,
            title=title,
            state=state,
            confirmed_on=confirmed,
            **extra,
        )

    p = {
        # Werkstatt 4: nine projects, three of them confirmed since March 2021 (one on the very day).
        "aerztehaus": project(w4, "Ärztehaus Spremberg/Grodk", ProjectState.CONFIRMED, dt.date(2021, 3, 1)),
        "berufsschule": project(w4, "Berufsschule Finsterwalde", ProjectState.APPROVED, dt.date(2022, 5, 10)),
        "campus": project(w4, "Campus Gesundheit", ProjectState.IMPLEMENTATION, dt.date(2024, 3, 6)),
        "dorfladen": project(w4, "Dorfladen Neupetershain", ProjectState.APPLIED, dt.date(2021, 2, 28)),
        "erlebnis": project(w4, "Erlebnisbad Senftenberg", ProjectState.QUALIFICATION),
        "feuerwehr": project(w4, "Feuerwehrhaus Drebkau", ProjectState.QUALIFICATION),
        "gruender": project(w4, "Gründerzentrum Guben", ProjectState.PRESENTED),
        "hospiz": project(w4, "Hospiz Forst", ProjectState.DEFERRED),
        "waerme": project(w4, "Vertrauliches Wärmenetz", ProjectState.RECOMMENDED, public=False),
        # Werkstatt 2: three projects, two confirmed.
        "labor": project(w2, "Labor für Wasserstoff", ProjectState.APPROVED, dt.date(2023, 1, 1)),
        "netz": project(w2, "Netzknoten Cottbus", ProjectState.COMPLETED, dt.date(2023, 6, 30)),
        "idee": project(w2, "Idee Digitalwerkstatt", ProjectState.IDEA),
        # No lead workshop: counted among all projects only.
        "ohne": project(None, "Radweg ohne Werkstatt", ProjectState.COMPLETED, dt.date(2021, 6, 1)),
    }
    milestone = MilestoneFactory
    # Werkstatt 4 in 2024: four commissionings (one done in May) and three foundation stones planned ...
    milestone(project=p["aerztehaus"], kind=MilestoneKind.COMMISSIONING, planned_date=dt.date(2024, 1, 15))
    milestone(
        project=p["berufsschule"],
        kind=MilestoneKind.COMMISSIONING,
        planned_date=dt.date(2024, 4, 30),
        actual_date=dt.date(2024, 5, 2),
    )
    milestone(project=p["campus"], kind=MilestoneKind.COMMISSIONING, planned_date=dt.date(2024, 9, 1))
    milestone(project=p["campus"], kind=MilestoneKind.COMMISSIONING, planned_date=dt.date(2024, 12, 31))
    for key in ("erlebnis", "feuerwehr", "gruender"):
        milestone(project=p[key], kind=MilestoneKind.FOUNDATION_STONE, planned_date=dt.date(2024, 6, 1))
    # ... and around it: one in 2025, one planned for the last day of 2023, one planned for 2023 that
    # took place in February 2024.
    milestone(project=p["campus"], kind=MilestoneKind.COMMISSIONING, planned_date=dt.date(2025, 1, 1))
    milestone(project=p["aerztehaus"], kind=MilestoneKind.COMMISSIONING, planned_date=dt.date(2023, 12, 31))
    milestone(
        project=p["hospiz"],
        kind=MilestoneKind.GROUND_BREAKING,
        planned_date=dt.date(2023, 10, 1),
        actual_date=dt.date(2024, 2, 1),
    )
    # Werkstatt 2 opens something in 2024.
    milestone(project=p["labor"], kind=MilestoneKind.OPENING, planned_date=dt.date(2024, 9, 1))

    # Sessions of Werkstatt 4: held 100 and 30 days ago, one planned; Werkstatt 2 held five days ago.
    today = _today()
    p["w4_older"] = MeetingFactory(workshop=w4, number=14, state=MeetingState.HELD, date=today - dt.timedelta(100))
    p["w4_last"] = MeetingFactory(workshop=w4, number=15, state=MeetingState.HELD, date=today - dt.timedelta(30))
    p["w4_next"] = MeetingFactory(workshop=w4, number=16, state=MeetingState.PLANNED, date=today + dt.timedelta(10))
    p["w2_last"] = MeetingFactory(workshop=w2, number=7, state=MeetingState.HELD, date=today - dt.timedelta(5))
    session_day = p["w4_last"].date

    change = ProjectStatusChangeFactory
    # Since Werkstatt 4's last session: recorded ten days ago; decided six days ago (the non-public
    # project); recorded before the session but decided after it.
    change(
        project=p["erlebnis"],
        from_state=ProjectState.SUBMITTED,
        to_state=ProjectState.QUALIFICATION,
        created=_at(today - dt.timedelta(10)),
        note="Steckbrief vollständig",
    )
    change(
        project=p["waerme"],
        from_state=ProjectState.PRESENTED,
        to_state=ProjectState.RECOMMENDED,
        created=_at(today - dt.timedelta(5)),
        decision_date=today - dt.timedelta(6),
    )
    change(
        project=p["berufsschule"],
        from_state=ProjectState.APPLIED,
        to_state=ProjectState.APPROVED,
        created=_at(today - dt.timedelta(60)),
        decision_date=today - dt.timedelta(20),
    )
    # Not since then: recorded 45 days ago; recorded and decided on the session's own day.
    change(
        project=p["gruender"],
        from_state=ProjectState.QUALIFICATION,
        to_state=ProjectState.PRESENTED,
        created=_at(today - dt.timedelta(45)),
    )
    change(
        project=p["campus"],
        from_state=ProjectState.APPROVED,
        to_state=ProjectState.IMPLEMENTATION,
        created=_at(session_day, 18),
        decision_date=session_day,
    )
    # Werkstatt 2, two days ago.
    change(
        project=p["idee"],
        from_state="",
        to_state=ProjectState.IDEA,
        created=_at(today - dt.timedelta(2)),
    )
    return p


def _w4(portfolio: dict[str, Any], **kwargs: Any) -> StatusReport:
    kwargs.setdefault("since", DEFAULT_SINCE)
    kwargs.setdefault("year", 2024)
    return status_report_build(workshop=portfolio["aerztehaus"].lead_workshop, **kwargs)


# --- confirmed since a date -----------------------------------------------------------------------------


def test_confirmed_projects_are_counted_from_the_day_given(portfolio):
    report = _w4(portfolio)
    assert (report.confirmed_total, report.confirmed_in_workshop) == (6, 3)
    assert report.confirmed_sentence == "Insgesamt 6 Projekte wurden seit März 2021 durch die IMAG bestätigt."
    assert report.confirmed_in_workshop_sentence == "Davon liegen 3 in der Federführung der Werkstatt 4."
    # The boundary is inclusive: the Ärztehaus (01.03.2021) counts from the 1st, not from the 2nd.
    assert _w4(portfolio, since=dt.date(2021, 3, 2)).confirmed_total == 5
    assert _w4(portfolio, since=dt.date(2021, 2, 28)).confirmed_total == 7
    later = _w4(portfolio, since=dt.date(2021, 3, 2))
    assert later.confirmed_sentence == "Insgesamt 5 Projekte wurden seit dem 02.03.2021 durch die IMAG bestätigt."


def test_all_workshops_count_every_confirmed_project(portfolio):
    report = status_report_build(workshop=None, since=DEFAULT_SINCE, year=2024)
    assert (report.confirmed_total, report.confirmed_in_workshop) == (6, None)
    assert report.confirmed_in_workshop_sentence == ""
    assert report.scope_label == "Alle Werkstätten"


def test_the_seed_sentence_on_72_confirmed_projects_comes_from_data(workshop4):
    ProjectFactory.create_batch(
        72, body=workshop4.body, lead_workshop=workshop4, sponsor=None, confirmed_on=dt.date(2023, 5, 1)
    )
    ProjectFactory(body=workshop4.body, lead_workshop=workshop4, sponsor=None, confirmed_on=dt.date(2021, 2, 1))
    report = status_report_build(workshop=None, since=dt.date(2021, 3, 1), year=2024)
    assert report.confirmed_sentence == SEED_CONFIRMED


def test_the_confirmed_sentence_in_singular_and_for_none():
    from werkstatt.projects.report import confirmed_sentence

    assert (
        confirmed_sentence(1, DEFAULT_SINCE) == "Insgesamt ein Projekt wurde seit März 2021 durch die IMAG bestätigt."
    )
    assert confirmed_sentence(0, DEFAULT_SINCE) == "Seit März 2021 wurde kein Projekt durch die IMAG bestätigt."
    assert confirmed_sentence(1234, DEFAULT_SINCE).startswith("Insgesamt 1.234 Projekte wurden")
    assert since_label(dt.date(2021, 12, 1)) == "seit Dezember 2021"
    assert since_label(dt.date(2021, 12, 24)) == "seit dem 24.12.2021"


# --- per state ------------------------------------------------------------------------------------------


def test_projects_are_counted_per_state_in_pipeline_order(portfolio):
    report = _w4(portfolio)
    assert [row.state for row in report.state_counts] == [*PIPELINE_ORDER, *SIDE_EXITS]
    counts = {row.state: row.count for row in report.state_counts}
    assert counts == {
        ProjectState.IDEA: 0,
        ProjectState.SUBMITTED: 0,
        ProjectState.QUALIFICATION: 2,
        ProjectState.PRESENTED: 1,
        ProjectState.RECOMMENDED: 1,  # the non-public one: the report is internal
        ProjectState.FORWARDED: 0,
        ProjectState.CONFIRMED: 1,
        ProjectState.APPLIED: 1,
        ProjectState.APPROVED: 1,
        ProjectState.IMPLEMENTATION: 1,
        ProjectState.COMPLETED: 0,
        ProjectState.DEFERRED: 1,
        ProjectState.WITHDRAWN: 0,
        ProjectState.REJECTED: 0,
    }
    assert report.project_total == 9
    labels = {row.state: row.label for row in report.state_counts}
    assert labels[ProjectState.CONFIRMED] == "durch die IMAG bestätigt"
    assert [row.side_exit for row in report.state_counts].count(True) == 3


def test_all_workshops_count_every_project(portfolio):
    report = status_report_build(workshop=None, since=DEFAULT_SINCE, year=2024)
    counts = {row.state: row.count for row in report.state_counts if row.count}
    assert counts == {
        ProjectState.IDEA: 1,
        ProjectState.QUALIFICATION: 2,
        ProjectState.PRESENTED: 1,
        ProjectState.RECOMMENDED: 1,
        ProjectState.CONFIRMED: 1,
        ProjectState.APPLIED: 1,
        ProjectState.APPROVED: 2,
        ProjectState.IMPLEMENTATION: 1,
        ProjectState.COMPLETED: 2,
        ProjectState.DEFERRED: 1,
    }
    assert report.project_total == 13


# --- changes since the previous session -------------------------------------------------------------------


def test_changes_since_the_workshops_last_held_session(portfolio):
    report = _w4(portfolio)
    assert report.previous_meeting == portfolio["w4_last"]
    assert report.changes_since == portfolio["w4_last"].date
    assert report.changes_since_label == (
        f"seit der 15. Sitzung der Werkstatt 4 am {portfolio['w4_last'].date:%d.%m.%Y}"
    )
    assert report.changes_total == 3
    assert [group.project.title for group in report.changes] == [
        "Berufsschule Finsterwalde",
        "Erlebnisbad Senftenberg",
        "Vertrauliches Wärmenetz",
    ]
    (approval,) = report.changes[0].entries
    assert (approval.from_label, approval.to_label) == ("im Antragsverfahren", "bewilligt (Zuwendungsbescheid)")
    assert approval.date == _today() - dt.timedelta(20)  # the decision date, not the day it was recorded
    (qualification,) = report.changes[1].entries
    assert qualification.date == _today() - dt.timedelta(10)
    assert qualification.note == "Steckbrief vollständig"


def test_changes_since_a_date_given(portfolio):
    report = _w4(portfolio, changes_since=_today() - dt.timedelta(50))
    assert report.previous_meeting is None
    assert report.changes_since_label == f"seit dem {_today() - dt.timedelta(50):%d.%m.%Y}"
    # Now also the presentation recorded 45 days ago and the step decided on the session's day.
    assert report.changes_total == 5
    assert "Gründerzentrum Guben" in [group.project.title for group in report.changes]


def test_changes_of_all_workshops_since_the_last_session_of_any(portfolio):
    report = status_report_build(workshop=None, since=DEFAULT_SINCE, year=2024)
    assert report.previous_meeting == portfolio["w2_last"]
    assert [group.project.title for group in report.changes] == ["Idee Digitalwerkstatt"]
    (entry,) = report.changes[0].entries
    assert (entry.from_label, entry.to_label) == ("", "Projektidee")


def test_without_a_held_session_the_changes_since_the_confirmation_date_are_listed(workshop4):
    project = ProjectFactory(lead_workshop=workshop4, body=workshop4.body, sponsor=None)
    ProjectStatusChangeFactory(project=project, created=_at(dt.date(2021, 1, 1)), decision_date=dt.date(2021, 1, 1))
    ProjectStatusChangeFactory(project=project, created=_at(dt.date(2022, 1, 1)))
    report = status_report_build(workshop=workshop4, since=DEFAULT_SINCE, year=2024)
    assert (report.previous_meeting, report.changes_since, report.changes_total) == (None, DEFAULT_SINCE, 1)


# --- milestones -----------------------------------------------------------------------------------------


def test_milestones_of_the_year_per_kind_and_the_seed_sentence(portfolio):
    report = _w4(portfolio)
    planned = {row.kind: row.planned for row in report.milestone_counts}
    done = {row.kind: row.done for row in report.milestone_counts}
    assert planned == {
        MilestoneKind.COMMISSIONING: 4,
        MilestoneKind.OPENING: 0,
        MilestoneKind.TOPPING_OUT: 0,
        MilestoneKind.FOUNDATION_STONE: 3,
        MilestoneKind.GROUND_BREAKING: 0,
        MilestoneKind.OTHER: 0,
    }
    assert report.milestone_sentence == SEED_MILESTONES
    # Taken place in 2024: the commissioning in May and the ground-breaking planned for 2023.
    assert done == {**dict.fromkeys(planned, 0), MilestoneKind.COMMISSIONING: 1, MilestoneKind.GROUND_BREAKING: 1}
    assert report.milestones_done_sentence == (
        "2024 haben bereits eine Inbetriebnahme und ein Spatenstich stattgefunden."
    )
    assert [(m.kind, m.actual_date) for m in report.milestones_done] == [
        (MilestoneKind.GROUND_BREAKING, dt.date(2024, 2, 1)),
        (MilestoneKind.COMMISSIONING, dt.date(2024, 5, 2)),
    ]


def test_milestones_of_all_workshops_and_of_other_years(portfolio):
    everything = status_report_build(workshop=None, since=DEFAULT_SINCE, year=2024)
    assert (
        everything.milestone_sentence
        == "2024 stehen vier Inbetriebnahmen, eine Eröffnung und drei Grundsteinlegungen an."
    )
    assert _w4(portfolio, year=2025).milestone_sentence == "2025 steht eine Inbetriebnahme an."
    assert _w4(portfolio, year=2023).milestone_sentence == "2023 stehen eine Inbetriebnahme und ein Spatenstich an."
    none = _w4(portfolio, year=2030)
    assert none.milestone_sentence == "Für 2030 sind keine Meilensteine geplant."
    assert none.milestones_done_sentence == "2030 hat noch kein Meilenstein stattgefunden."
    assert (none.milestones_planned_total, none.milestones_done_total, none.milestones_done) == (0, 0, [])


@pytest.mark.parametrize(
    ("kind", "one", "three", "thirteen"),
    [
        (MilestoneKind.COMMISSIONING, "eine Inbetriebnahme", "drei Inbetriebnahmen", "13 Inbetriebnahmen"),
        (MilestoneKind.OPENING, "eine Eröffnung", "drei Eröffnungen", "13 Eröffnungen"),
        (MilestoneKind.TOPPING_OUT, "ein Richtfest", "drei Richtfeste", "13 Richtfeste"),
        (MilestoneKind.FOUNDATION_STONE, "eine Grundsteinlegung", "drei Grundsteinlegungen", "13 Grundsteinlegungen"),
        (MilestoneKind.GROUND_BREAKING, "ein Spatenstich", "drei Spatenstiche", "13 Spatenstiche"),
        (MilestoneKind.OTHER, "ein sonstiger Meilenstein", "drei sonstige Meilensteine", "13 sonstige Meilensteine"),
    ],
)
def test_milestone_counts_in_words(kind, one, three, thirteen):
    assert count_phrase(kind, 1) == one
    assert count_phrase(kind, 3) == three
    assert count_phrase(kind, 13) == thirteen
    assert milestones_due_sentence(2024, {kind: 1}) == f"2024 steht {one} an."


def test_number_words_up_to_twelve_then_digits():
    words = [count_phrase(MilestoneKind.OPENING, n).split()[0] for n in range(2, 14)]
    assert words == ["zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf", "13"]
    assert count_phrase(MilestoneKind.OPENING, 2500) == "2.500 Eröffnungen"
    sentence = milestones_due_sentence(
        2024,
        {
            MilestoneKind.GROUND_BREAKING: 2,
            MilestoneKind.OTHER: 1,
            MilestoneKind.TOPPING_OUT: 12,
            MilestoneKind.COMMISSIONING: 1,
        },
    )
    # The kinds in a fixed order, whatever the order given: furthest along first, free ones last.
    assert sentence == (
        "2024 stehen eine Inbetriebnahme, zwölf Richtfeste, zwei Spatenstiche und ein sonstiger Meilenstein an."
    )
    assert milestones_due_sentence(2024, {}) == "Für 2024 sind keine Meilensteine geplant."
    assert milestones_done_sentence(2024, {MilestoneKind.OPENING: 1}) == (
        "2024 hat bereits eine Eröffnung stattgefunden."
    )


# --- a fixed number of queries ----------------------------------------------------------------------------


def _grow(workshop: Any, n: int) -> None:
    projects = ProjectFactory.create_batch(
        n, body=workshop.body, lead_workshop=workshop, sponsor=None, confirmed_on=dt.date(2022, 1, 1)
    )
    for project in projects:
        MilestoneFactory(project=project, kind=MilestoneKind.COMMISSIONING, planned_date=dt.date(2024, 3, 1))
        MilestoneFactory(
            project=project,
            kind=MilestoneKind.OPENING,
            planned_date=dt.date(2023, 3, 1),
            actual_date=dt.date(2024, 3, 1),
        )
        ProjectStatusChangeFactory(project=project, created=_at(_today() - dt.timedelta(3)))


def _queries(user: Any, workshop: Any, **kwargs: Any) -> int:
    user = type(user).objects.get(pk=user.pk)  # a fresh login: its workshop roles are loaded inside
    with CaptureQueriesContext(connection) as ctx:
        report = status_report(user=user, workshop=workshop, since=DEFAULT_SINCE, year=2024, **kwargs)
    assert report.project_total > 0
    return len(ctx.captured_queries)


def test_the_report_costs_the_same_queries_for_10_and_200_projects(workshop4, office_user, speaker_w4):
    _grow(workshop4, 10)
    every = {"changes_since": dt.date(2020, 1, 1)}
    small = _queries(office_user, workshop4), _queries(speaker_w4, workshop4), _queries(office_user, None, **every)
    client = _client(office_user)
    url = reverse("office:status-report") + "?werkstatt=4"
    page_small = count_queries(client, url)
    _grow(workshop4, 190)
    big = _queries(office_user, workshop4), _queries(speaker_w4, workshop4), _queries(office_user, None, **every)
    assert big == small
    # Seven aggregate or capped queries; one more to load a member's workshop roles; one fewer with
    # a date given for the changes (no previous session to look up).
    assert small == (7, 8, 6), small
    assert count_queries(client, url) == page_small
    assert page_small <= 15, page_small


# --- who may read it --------------------------------------------------------------------------------------


def test_the_rule_lets_in_those_who_read_everything_and_the_workshops_members(
    workshop4, workshop2, office_user, bank_user, chancellery_user, speaker_w4, delegate_w2, anonymous
):
    for user in (office_user, bank_user, chancellery_user):
        assert rules.can_view_status_report(user, workshop4)
        assert rules.can_view_status_report(user, None)
    assert rules.can_view_status_report(speaker_w4, workshop4)
    assert not rules.can_view_status_report(speaker_w4, workshop2)
    assert not rules.can_view_status_report(speaker_w4, None)
    assert rules.can_view_status_report(delegate_w2, workshop2)
    assert not rules.can_view_status_report(delegate_w2, workshop4)
    assert not rules.can_view_status_report(anonymous, workshop4)
    with pytest.raises(PermissionDenied):
        status_report(user=delegate_w2, workshop=workshop4, since=DEFAULT_SINCE, year=2024)
    with pytest.raises(PermissionDenied):
        status_report(user=anonymous, workshop=None, since=DEFAULT_SINCE, year=2024)


# The status report's questions for the people of the role matrix (tests/test_role_matrix.py):
# read the report of Werkstatt 4, of Werkstatt 2, of all workshops; attach it to a planned session of
# Werkstatt 4 (those who edit the session and may read its report); see it offered in the office.
# fmt: off
#                         w4  w2  all attach offered
REPORT_MATRIX = {
    "anonymous":         (0,  0,  0,  0,     0),
    "member_elsewhere":  (0,  0,  0,  0,     0),
    "delegate_w4":       (1,  0,  0,  0,     1),
    "speaker_w4":        (1,  0,  0,  1,     1),
    "deputy_w4":         (1,  0,  0,  1,     1),
    "minute_taker":      (0,  0,  0,  0,     0),
    "speaker_w2":        (0,  1,  0,  0,     1),
    "bank":              (1,  1,  1,  0,     1),
    "chancellery":       (1,  1,  1,  0,     1),
    "office":            (1,  1,  1,  1,     1),
    "admin":             (1,  1,  1,  1,     1),
}
# fmt: on


@pytest.mark.parametrize("person", list(REPORT_MATRIX))
def test_report_role_matrix(world, person):  # noqa: F811 - the fixture imported above
    workshop4, taker_person, people = world
    workshop2 = Workshop.objects.get(number=2)
    user = people[person]
    planned = MeetingFactory(workshop=workshop4, state=MeetingState.PLANNED, minute_taker=taker_person)
    answers = (
        rules.can_view_status_report(user, workshop4),
        rules.can_view_status_report(user, workshop2),
        rules.can_view_status_report(user, None),
        rules.can_attach_status_report(user, planned),
        rules.can_view_any_status_report(user),
    )
    assert tuple(int(a) for a in answers) == REPORT_MATRIX[person]


def test_anonymous_visitors_are_sent_to_the_login(client, portfolio):
    for url in (reverse("office:status-report"), reverse("office:status-report-pdf")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_a_delegate_of_another_workshop_is_refused(portfolio, delegate_w2):
    client = _client(delegate_w2)
    for url in (reverse("office:status-report"), reverse("office:status-report-pdf")):
        assert client.get(url + "?werkstatt=4").status_code == 403
        assert client.get(url + "?werkstatt=alle").status_code == 403
    # Their own workshop is what they get by default, and the only one offered.
    response = client.get(reverse("office:status-report"))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Werkstatt 2: Innovation und Digitalisierung" in text
    assert "Insgesamt 6 Projekte wurden seit März 2021 durch die IMAG bestätigt." in text
    assert "Davon liegen 2 in der Federführung der Werkstatt 2." in text
    assert "Alle Werkstätten" not in text
    assert "Vertrauliches Wärmenetz" not in text


def test_the_bank_sees_all_workshops_with_the_non_public_projects(portfolio, bank_user):
    response = _client(bank_user).get(reverse("office:status-report") + "?werkstatt=4&jahr=2024")
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Aktueller Sachstand der Projekte" in text
    assert "Werkstatt 4: Daseinsvorsorge" in text
    assert "Insgesamt 6 Projekte wurden seit März 2021 durch die IMAG bestätigt." in text
    assert SEED_MILESTONES in text
    assert "Vertrauliches Wärmenetz (nicht öffentlich)" in text
    assert "von „in der federführenden Werkstatt vorgestellt“ nach „zur Weiterleitung empfohlen“" in text
    default = visible_text(_client(bank_user).get(reverse("office:status-report")).content.decode())
    assert "Alle Werkstätten" in default


def test_bad_input_gets_german_messages_and_the_defaults(portfolio, office_user, row_counts):
    before = row_counts()
    client = _client(office_user)
    response = client.get(
        reverse("office:status-report") + "?werkstatt=99&bestaetigt_seit=31.02.2021&jahr=zwanzig&aenderungen_seit=x"
    )
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Bitte prüfen Sie Ihre Eingaben" in text
    assert "Werkstatt: Diese Werkstatt gibt es nicht." in text
    assert "Bestätigt seit: Bitte geben Sie ein Datum wie 01.03.2021 an." in text
    assert "Jahr der Meilensteine: Bitte geben Sie ein Jahr wie 2024 an." in text
    # The report below uses the defaults: all workshops, since March 2021, this year.
    assert "Insgesamt 6 Projekte wurden seit März 2021 durch die IMAG bestätigt." in text
    assert f"Meilensteine {_today().year}" in text
    assert "Jahr der Meilensteine: Bitte geben Sie ein Jahr ab 2000 an." in visible_text(
        client.get(reverse("office:status-report") + "?jahr=1999").content.decode()
    )
    # The PDF is not made from replaced values: back to the page, which says what is wrong.
    response = client.get(reverse("office:status-report-pdf") + "?jahr=zwanzig")
    assert response.status_code == 302
    assert response.url == reverse("office:status-report") + "?jahr=zwanzig"
    assert row_counts() == before


def test_the_form_takes_german_and_iso_dates(portfolio, office_user):
    client = _client(office_user)
    for value in ("02.03.2021", "2021-03-02"):
        text = visible_text(client.get(reverse("office:status-report") + f"?bestaetigt_seit={value}").content.decode())
        assert "Insgesamt 5 Projekte wurden seit dem 02.03.2021 durch die IMAG bestätigt." in text


# --- the PDF ----------------------------------------------------------------------------------------------


def test_the_pdf_says_what_the_page_says(portfolio, office_user):
    response = _client(office_user).get(
        reverse("office:status-report-pdf") + "?werkstatt=4&bestaetigt_seit=2021-03-01&jahr=2024"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{_today().isoformat()}_Sachstand-der-Projekte_Werkstatt-4.pdf"'
    )
    assert "private" in response["Cache-Control"]
    text = _pdf_text(response.content)
    assert "AKTUELLER SACHSTAND DER PROJEKTE" in text
    assert "Insgesamt 6 Projekte wurden seit März 2021 durch die IMAG bestätigt." in text
    assert SEED_MILESTONES in text
    assert "Vertrauliches Wärmenetz (nicht öffentlich)" in text
    assert "Nur für den internen Gebrauch." in text


def _struct_types(node: Any, found: set[str]) -> set[str]:
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _struct_types(child, found)
    elif isinstance(node, dict):
        if "/S" in node:
            found.add(str(node["/S"]))
        if "/K" in node:
            _struct_types(node["/K"], found)
    return found


def test_the_pdf_is_tagged_pdf_ua_with_german_metadata(portfolio):
    import pypdf

    reader = pypdf.PdfReader(BytesIO(status_report_pdf(_w4(portfolio))))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert catalog["/Lang"] == "de"
    assert 'pdfuaid:part="1"' in catalog["/Metadata"].get_object().get_data().decode()
    assert reader.metadata is not None
    assert reader.metadata.title == "Aktueller Sachstand der Projekte – Werkstatt 4: " + (
        portfolio["aerztehaus"].lead_workshop.title
    )
    # Headings, the two tables with header cells, the change lists as real lists.
    types = _struct_types(catalog["/StructTreeRoot"], set())
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/L", "/LI"} <= types


# --- attached to a session --------------------------------------------------------------------------------


def _report_item(meeting: Meeting) -> Any:
    return meeting.agenda_items.get(kind=AgendaItemKind.PROJECT_REPORT)


def test_attaching_replaces_the_earlier_report_and_keeps_it(portfolio, office_user):
    meeting = meeting_plan(actor=office_user, workshop=portfolio["w4_next"].workshop, date=dt.date(2024, 2, 14))
    item = _report_item(meeting)
    by_hand = File.objects.create(name="Präsentation der ILB", public=False)
    item.files.add(by_hand)
    first = status_report_attach(actor=office_user, item=item)
    second = status_report_attach(actor=office_user, item=item)
    assert set(item.files.all()) == {second, by_hand}
    assert report_files_of(item) == [second]
    assert second.name == f"{REPORT_NAME_PREFIX}{_today():%d.%m.%Y}"
    assert second.name.startswith("Aktueller Sachstand der Projekte – Stand ")
    assert second.file_name == "2024-02-14_Werkstatt-4_17-Sitzung_Sachstand-der-Projekte.pdf"
    assert (second.public, second.mime_type, second.size) == (False, "application/pdf", second.file.size)
    # The earlier report stays, taken off the item, with a history row that says why.
    first.refresh_from_db()
    assert not first.agenda_items.exists()
    assert first.history.first().history_change_reason == "Durch einen neueren Sachstand ersetzt"
    assert first.history.first().history_user == office_user
    # The stored file's address cannot be guessed: a random folder.
    assert second.file.name.split("/")[-2] not in ("", "files") and len(second.file.name.split("/")[-2]) >= 12
    text = _pdf_text(second.file.read())
    assert "Für die 17. Sitzung der Werkstatt 4 am 14.02.2024" in text
    assert SEED_MILESTONES in text
    assert "Insgesamt 6 Projekte wurden seit März 2021 durch die IMAG bestätigt." in text


def test_planning_a_session_attaches_the_report_after_the_commit(
    portfolio, office_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        meeting = meeting_plan(actor=office_user, workshop=portfolio["w4_next"].workshop, date=dt.date(2024, 2, 14))
    assert len(callbacks) == 1
    (document,) = _report_item(meeting).files.all()
    assert document.public is False
    assert document.name.startswith("Aktueller Sachstand der Projekte – Stand ")
    assert SEED_MILESTONES in _pdf_text(document.file.read())
    # No other item gets it.
    assert not File.objects.filter(agenda_items__meeting=meeting).exclude(pk=document.pk).exists()


def test_planning_without_the_commit_attaches_nothing_yet(portfolio):
    meeting = meeting_plan(actor=None, workshop=portfolio["w4_next"].workshop, date=_today() + dt.timedelta(40))
    assert not _report_item(meeting).files.exists()


def test_a_held_session_or_another_item_gets_no_report(portfolio, office_user, row_counts):
    held = portfolio["w4_last"]
    status_item = AgendaItemFactory(meeting=held, kind=AgendaItemKind.PROJECT_REPORT, title="Sachstand")
    planned = meeting_plan(actor=office_user, workshop=held.workshop, date=_today() + dt.timedelta(40))
    other = planned.agenda_items.get(number="1")
    before = row_counts()
    with pytest.raises(ValidationError) as error:
        status_report_attach(actor=office_user, item=status_item)
    assert "nur für geplante oder eingeladene Sitzungen" in str(error.value)
    with pytest.raises(ValidationError) as error:
        status_report_attach(actor=office_user, item=other)
    assert "nur an den TOP „Aktueller Sachstand der Projekte“" in str(error.value)
    assert row_counts() == before


def test_the_button_on_the_session_page(portfolio, office_user, speaker_w4, delegate_w2, bank_user):
    meeting = meeting_plan(actor=None, workshop=portfolio["w4_next"].workshop, date=_today() + dt.timedelta(40))
    url = reverse("office:meeting-detail", args=[meeting.pk])
    attach = reverse("office:status-report-attach", args=[meeting.pk])
    office = _client(office_user)
    text = visible_text(office.get(url).content.decode())
    assert "Sachstand für diese Sitzung erzeugen" in text
    assert "Zuletzt erzeugt" not in text
    response = office.post(attach, follow=True)
    text = visible_text(response.content.decode())
    assert f"Der Sachstand vom {_today():%d.%m.%Y} ist an TOP 3 angehängt (nur intern sichtbar)." in text
    assert f"Zuletzt erzeugt: Aktueller Sachstand der Projekte – Stand {_today():%d.%m.%Y}" in text
    assert _client(speaker_w4).post(attach).status_code == 302
    assert len(report_files_of(_report_item(meeting))) == 1
    # Readers who do not plan this session neither see the button nor may press it.
    for user in (delegate_w2, bank_user):
        assert _client(user).post(attach).status_code == 403
    assert "Sachstand für diese Sitzung erzeugen" not in visible_text(_client(bank_user).get(url).content.decode())
    # A held session keeps its report: no button.
    held = visible_text(office.get(reverse("office:meeting-detail", args=[portfolio["w4_last"].pk])).content.decode())
    assert "Sachstand für diese Sitzung erzeugen" not in held


def test_the_dashboard_links_the_report_for_those_who_may_read_it(portfolio, office_user, delegate_w2):
    assert "Aktueller Sachstand der Projekte" in visible_text(
        _client(office_user).get(reverse("office:dashboard")).content.decode()
    )
    assert "Aktueller Sachstand der Projekte" in visible_text(
        _client(delegate_w2).get(reverse("office:dashboard")).content.decode()
    )
