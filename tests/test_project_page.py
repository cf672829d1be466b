"""The public project page /projekte/<pk>/: the demo's telemedicine project from recommendation to
approval on one page, who sees what, a fixed number of queries; and the links to it from sessions,
workshops and the home page."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    AgendaItemFactory,
    ConsultationFactory,
    MeetingFactory,
    MilestoneFactory,
    PersonFactory,
    ProjectFactory,
    ProjectStatusChangeFactory,
    WorkshopFactory,
)
from tests.pages import count_queries, demo_page_urls, visible_text
from werkstatt.documents.services import file_create
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.organizations.models import FocusArea, Workshop
from werkstatt.projects.models import ConsultationOutcome, MilestoneKind, Project
from werkstatt.projects.services import milestone_save
from werkstatt.projects.workflow import FundingInstrument, ProjectState

pytestmark = pytest.mark.django_db

TELEMEDICINE = "Telemedizinische Einbindung von Notärzten im Regionalleitstellenbereich Lausitz"


def page_url(project: Project) -> str:
    return reverse("portal:project-detail", args=[project.pk])


def page_text(client: Client, project: Project) -> str:
    response = client.get(page_url(project))
    assert response.status_code == 200
    return visible_text(response.content.decode())


def in_order(text: str, *parts: str) -> None:
    """Every part occurs in ``text``, each after the one before."""
    position = -1
    for part in parts:
        found = text.find(part, position + 1)
        assert found > position, f"„{part}“ fehlt oder steht nicht nach dem vorigen Teil"
        position = found


# --- the demo: recommendation to approval on one page ----------------------------------------


def test_a_visitor_follows_the_telemedicine_project_from_recommendation_to_approval(demo, client):
    project = Project.objects.get(title=TELEMEDICINE)
    text = page_text(client, project)
    in_order(
        text,
        "Investitionsprojekt",
        TELEMEDICINE,
        "Stand: bewilligt (Zuwendungsbescheid)",
        "Projektträger Stadt Cottbus/Chóśebuz",
        "Federführende Werkstatt Werkstatt 2: Innovation und Digitalisierung",
        "Weitere Werkstätten Werkstatt 4",
        "Förderinstrument InvKG Arm 1 (Land, über die ILB)",
        "Ort Cottbus/Chóśebuz",
        "Schwerpunkte IUC-Modellregion Gesundheit (Werkstatt 4)",
        "Gesamtkosten 716.000 €",
        "Förderfähige Kosten 716.000 €",
        "Zuwendung 644.400 €",
        "Förderquote 90,0 %",
        "Werdegang",
        "16.01.2024 in der federführenden Werkstatt vorgestellt "
        "Vorgestellt in der Sitzung der Werkstatt 2 vom 16.01.2024",
        "16.01.2024 zur Weiterleitung empfohlen konsensuale Empfehlung in der Sitzung der Werkstatt 2 vom 16.01.2024",
        "Datum nicht veröffentlicht an die Staatskanzlei weitergeleitet",
        "06.03.2024 durch die IMAG bestätigt",
        "Datum nicht veröffentlicht im Antragsverfahren",
        "15.07.2024 bewilligt (Zuwendungsbescheid)",
        "Beratungen in den Werkstätten",
        "16.01.2024 Sitzung der Werkstatt 2 vom 16.01.2024",
        "Werkstatt 2 federführend Votum: konsensuale Empfehlung",
        "24.01.2024 16. Sitzung der Werkstatt 4, TOP 6 Werkstatt 4 Vorstellung",
    )
    # No contact person: the demo does not release it.
    assert "Zellmann" not in text
    assert "Ansprechperson" not in text


def test_the_timeline_is_an_ordered_list_with_machine_readable_dates(demo, client):
    project = Project.objects.get(title=TELEMEDICINE)
    html = client.get(page_url(project)).content.decode()
    timeline = html[html.index('<ol class="timeline"') : html.index("</ol>", html.index('<ol class="timeline"'))]
    assert timeline.count("<li ") == project.status_changes.count() == 8
    assert '<time datetime="2024-07-15">15.07.2024</time>' in timeline
    assert '<time datetime="2024-03-06">06.03.2024</time>' in timeline


def test_sessions_link_to_their_minutes_only_when_published(demo, client):
    project = Project.objects.get(title=TELEMEDICINE)
    session_16 = Meeting.objects.get(workshop__number=4, number=16)
    w2_session = Meeting.objects.get(workshop__number=2)
    assert session_16.minutes_are_public and not w2_session.minutes_are_public
    html = client.get(page_url(project)).content.decode()
    assert f'href="/sitzungen/{session_16.pk}/">16. Sitzung der Werkstatt 4</a>' in html
    assert f'href="/sitzungen/{w2_session.pk}/"' not in html
    assert "Sitzung der Werkstatt 2 vom 16.01.2024 (Protokoll noch nicht veröffentlicht)" in visible_text(html)


def test_sponsor_and_workshops_link_to_their_pages_and_sorbian_is_marked(demo, client):
    project = Project.objects.get(title=TELEMEDICINE)
    html = client.get(page_url(project)).content.decode()
    assert f'href="/organisationen/{project.sponsor_id}/">Stadt Cottbus/<span lang="dsb">Chóśebuz</span></a>' in html
    assert 'href="/werkstaetten/2/">Werkstatt 2</a>' in html
    assert 'href="/werkstaetten/4/">Werkstatt 4</a>' in html
    assert 'Cottbus/<span lang="dsb">Chóśebuz</span></dd>' in html


def test_stark_project_is_named_as_the_minutes_name_it(demo, client):
    text = page_text(client, Project.objects.get(title="WerteGesellschaft Lausitz"))
    in_order(text, "STARK-Projekt", "WerteGesellschaft Lausitz", "Stand: in der federführenden Werkstatt vorgestellt")
    assert "Kosten und Zuwendung werden erst nach der Bewilligung veröffentlicht" in text


def test_milestones_join_the_timeline_by_date(demo, client, office_user):
    project = Project.objects.get(title=TELEMEDICINE)
    milestone_save(
        actor=office_user, project=project, kind=MilestoneKind.GROUND_BREAKING, actual_date=dt.date(2024, 5, 2),
        note="Mit dem Oberbürgermeister",
    )  # fmt: skip
    milestone_save(
        actor=office_user, project=project, kind=MilestoneKind.COMMISSIONING, planned_date=dt.date(2030, 1, 1)
    )
    text = page_text(client, project)
    in_order(
        text,
        "06.03.2024 durch die IMAG bestätigt",
        "Datum nicht veröffentlicht im Antragsverfahren",
        "02.05.2024 Meilenstein: Spatenstich Mit dem Oberbürgermeister",
        "15.07.2024 bewilligt (Zuwendungsbescheid)",
        "geplant für 01.01.2030 Meilenstein: Inbetriebnahme (geplant)",
        "Beratungen in den Werkstätten",
    )


# --- who sees what ---------------------------------------------------------------------------


@pytest.fixture
def hidden_project(workshop4: Any) -> Project:
    return ProjectFactory(body=workshop4.body, title="Vertrauliches Vorhaben", lead_workshop=workshop4, public=False)


def test_a_non_public_project_is_not_found_by_the_public_or_other_workshops(hidden_project, client, delegate_w2):
    response = client.get(page_url(hidden_project))
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
    client.force_login(delegate_w2)
    assert client.get(page_url(hidden_project)).status_code == 404


@pytest.mark.parametrize("persona", ["office_user", "bank_user", "chancellery_user", "speaker_w4"])
def test_a_non_public_project_is_shown_to_those_who_may_see_it(hidden_project, client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    text = page_text(client, hidden_project)
    assert "Vertrauliches Vorhaben" in text
    assert "Dieses Projekt steht nicht im öffentlichen Projektregister" in text


def test_an_unknown_project_answers_404_in_german(db, client):
    response = client.get(reverse("portal:project-detail", args=[999999]))
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


FIGURES = {"total_cost": Decimal(900000), "eligible_cost": Decimal(800000), "grant": Decimal(640000)}


@pytest.mark.parametrize(
    ("state", "approved_on", "public_finances", "shown"),
    [
        # Figures recorded before the approval, even marked public by a direct write: hidden.
        (ProjectState.CONFIRMED, None, True, False),
        (ProjectState.APPLIED, None, False, False),
        # Approved, but not released.
        (ProjectState.APPROVED, dt.date(2024, 7, 1), False, False),
        # Approved and released.
        (ProjectState.APPROVED, dt.date(2024, 7, 1), True, True),
        (ProjectState.IMPLEMENTATION, dt.date(2024, 7, 1), True, True),
    ],
)
def test_money_only_after_approval_and_release(
    workshop4, client, office_user, state, approved_on, public_finances, shown
):
    project = ProjectFactory(
        body=workshop4.body, lead_workshop=workshop4, state=state, approved_on=approved_on,
        public_finances=public_finances, **FIGURES,
    )  # fmt: skip
    text = page_text(client, project)
    figures = ("Gesamtkosten 900.000 €", "Förderfähige Kosten 800.000 €", "Zuwendung 640.000 €", "Förderquote 80,0 %")
    for figure in figures:
        assert (figure in text) == shown
    if not shown:
        assert "640.000" not in text and "900.000" not in text
        assert "Kosten und Zuwendung werden erst nach der Bewilligung veröffentlicht" in text
    client.force_login(office_user)
    internal = page_text(client, project)
    assert "Zuwendung 640.000 €" in internal
    assert ("Diese Zahlen sind nicht öffentlich" in internal) == (not shown)


def test_contact_only_when_released(workshop4, client, office_user):
    person = PersonFactory(
        body=workshop4.body, given_name="Ines", family_name="Kontakt", function="Projektleiterin",
        email="ines.kontakt@example.org",
    )  # fmt: skip
    project = ProjectFactory(body=workshop4.body, lead_workshop=workshop4, contact=person, public_contact=False)
    assert "Kontakt" not in page_text(client, project)
    assert "ines.kontakt@example.org" not in client.get(page_url(project)).content.decode()
    client.force_login(office_user)
    assert "Ansprechperson Ines Kontakt, Projektleiterin" in page_text(client, project)
    client.logout()
    project.public_contact = True
    project.save()
    text = page_text(client, project)
    assert "Ansprechperson Ines Kontakt, Projektleiterin, ines.kontakt@example.org" in text


def test_only_public_documents_are_listed(workshop4, client, office_user):
    project = ProjectFactory(body=workshop4.body, lead_workshop=workshop4)
    project.files.add(
        file_create(actor=None, name="Projektsteckbrief (Kurzfassung)"),
        file_create(actor=None, name="Interne Kostenschätzung", public=False),
    )
    for login in (None, office_user):
        if login:
            client.force_login(login)
        text = page_text(client, project)
        assert "Dokumente Projektsteckbrief (Kurzfassung)" in text
        assert "Interne Kostenschätzung" not in text


# --- fixed number of queries -----------------------------------------------------------------


def _rich_project(workshop: Workshop, size: int) -> Project:
    """A project with ``size`` status changes, milestones, consultations (half with published
    minutes), other workshops, focus areas and public files."""
    project = ProjectFactory(
        body=workshop.body, lead_workshop=workshop, state=ProjectState.APPROVED, approved_on=dt.date(2024, 7, 1),
        public_finances=True, contact=PersonFactory(body=workshop.body), public_contact=True, **FIGURES,
    )  # fmt: skip
    for n in range(size):
        ProjectStatusChangeFactory(project=project, decision_date=dt.date(2024, 1, 1) + dt.timedelta(days=n))
        MilestoneFactory(project=project, planned_date=dt.date(2025, 1, 1) + dt.timedelta(days=n))
        published = n % 2 == 0
        meeting = MeetingFactory(
            workshop=WorkshopFactory(body=workshop.body),
            state=MeetingState.HELD,
            minutes_state=MinutesState.PUBLISHED if published else MinutesState.DRAFT,
        )
        ConsultationFactory(
            project=project, meeting=meeting, agenda_item=AgendaItemFactory(meeting=meeting),
            authoritative=False, outcome=ConsultationOutcome.NOTICE,
        )  # fmt: skip
        project.other_workshops.add(meeting.workshop)
        project.focus_areas.add(FocusArea.objects.create(workshop=meeting.workshop, title=f"Schwerpunkt {n}"))
        project.files.add(file_create(actor=None, name=f"Dokument {n}"))
    return project


@pytest.mark.parametrize("persona", [None, "office_user", "speaker_w4"])
def test_project_page_query_count_does_not_depend_on_its_history(workshop4, request, persona):
    client = Client()
    if persona:
        client.force_login(request.getfixturevalue(persona))
    small = _rich_project(workshop4, 2)
    large = _rich_project(workshop4, 10)
    counts = [count_queries(client, page_url(small)), count_queries(client, page_url(large))]
    assert counts[0] == counts[1]
    # 11 with the section "Kommentare" of a public project: one query for its comments.
    assert counts[0] <= 11, counts
    assert page_text(client, large).count("Dokument ") == 10


# --- links from other pages ------------------------------------------------------------------


def test_session_page_links_agenda_items_to_their_projects(demo, client):
    html = client.get(demo_page_urls()["meeting-detail"]).content.decode()
    for title in (TELEMEDICINE, "WerteGesellschaft Lausitz"):
        project = Project.objects.get(title=title)
        assert f'Im Projektregister: <a class="kern-link" href="/projekte/{project.pk}/">{title}</a>' in html


def test_session_page_links_a_non_public_project_only_for_those_who_may_see_it(demo, client, office_user):
    session_16 = Meeting.objects.get(workshop__number=4, number=16)
    project = Project.objects.get(title="WerteGesellschaft Lausitz")
    project.public = False
    project.save()
    link = f'href="/projekte/{project.pk}/"'
    assert link not in client.get(demo_page_urls()["meeting-detail"]).content.decode()
    client.force_login(office_user)
    assert link in client.get(reverse("portal:meeting-detail", args=[session_16.pk])).content.decode()


def test_session_page_query_count_does_not_depend_on_the_projects_heard(workshop4, client):
    counts = []
    for size in (1, 6):
        meeting = MeetingFactory(workshop=workshop4, state=MeetingState.HELD, minutes_state=MinutesState.PUBLISHED)
        for _n in range(size):
            project = ProjectFactory(body=workshop4.body, lead_workshop=workshop4)
            ConsultationFactory(project=project, meeting=meeting, agenda_item=AgendaItemFactory(meeting=meeting))
        html = client.get(reverse("portal:meeting-detail", args=[meeting.pk])).content.decode()
        assert html.count("Im Projektregister: <a") == size
        counts.append(count_queries(client, reverse("portal:meeting-detail", args=[meeting.pk])))
    assert counts[0] == counts[1]


def test_workshop_page_lists_its_projects_and_links_to_the_register(demo, client):
    html = client.get(reverse("portal:workshop-detail", args=[4])).content.decode()
    text = visible_text(html)
    assert "Im Projektregister stehen 2 Projekte, die die Werkstatt 4 federführend oder mitberaten hat." in text
    assert 'href="/projekte/?werkstatt=4">Alle 2 Projekte der Werkstatt 4 im Projektregister</a>' in html
    stark = Project.objects.get(title="WerteGesellschaft Lausitz")
    assert f'href="/projekte/{stark.pk}/">WerteGesellschaft Lausitz</a>' in html


def test_workshop_page_query_count_does_not_depend_on_its_projects(demo, client):
    url = reverse("portal:workshop-detail", args=[4])
    before = count_queries(client, url)
    workshop = Workshop.objects.get(number=4)
    for _n in range(12):
        ProjectFactory(body=workshop.body, lead_workshop=workshop)
    assert count_queries(client, url) == before
    text = visible_text(client.get(url).content.decode())
    assert "Alle 14 Projekte der Werkstatt 4 im Projektregister" in text


def test_home_shows_the_projects_in_figures(demo, client):
    html = client.get(reverse("portal:home")).content.decode()
    text = visible_text(html)
    in_order(
        text,
        "Projekte in Zahlen",
        "Projekte im öffentlichen Register 2",
        "davon durch die IMAG bestätigt 1",
        "davon bewilligt 1",
        "veröffentlichte Zuwendungen 644.400 €",
        "Zum Projektregister",
    )
    assert 'href="/projekte/">Zum Projektregister</a>' in html


def test_home_figures_count_only_public_projects_and_released_money(demo, client):
    workshop = Workshop.objects.get(number=4)
    url = reverse("portal:home")
    before = count_queries(client, url)
    approved = {"state": ProjectState.APPROVED, "approved_on": dt.date(2024, 8, 1), "confirmed_on": dt.date(2024, 2, 1)}
    for _n in range(3):  # public, approved, money released
        ProjectFactory(body=workshop.body, lead_workshop=workshop, public_finances=True, **approved, **FIGURES)
    base = {"body": workshop.body, "lead_workshop": workshop}
    ProjectFactory(**base, public_finances=False, **approved, **FIGURES)
    ProjectFactory(**base, public=False, public_finances=True, **approved, **FIGURES)
    ProjectFactory(
        body=workshop.body, lead_workshop=workshop, state=ProjectState.CONFIRMED, confirmed_on=dt.date(2024, 3, 1),
        instrument=FundingInstrument.JTF,
    )  # fmt: skip
    assert count_queries(client, url) == before
    text = visible_text(client.get(url).content.decode())
    # 2 demo projects + 3 + 1 + 1 public; confirmed 1 + 4 + 1; approved 1 + 4; money 644.400 + 3 × 640.000.
    assert "Projekte im öffentlichen Register 7" in text
    assert "davon durch die IMAG bestätigt 6" in text
    assert "davon bewilligt 5" in text
    assert "veröffentlichte Zuwendungen 2.564.400 €" in text


def test_main_navigation_leads_to_the_register(db, client):
    html = client.get(reverse("portal:project-list")).content.decode()
    assert '<a class="kern-link" href="/projekte/" aria-current="page">Projekte</a>' in html
    assert '<a class="kern-link" href="/projekte/">Projekte</a>' in client.get(reverse("portal:home")).content.decode()
