"""The office's triage of ideas: who may, the list and the page, each step with its mail to the submitter and the
public page afterwards, the refusals (German, nothing changed), and fixed query counts."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import MeetingFactory, UserFactory, WorkshopFactory
from tests.ideas_support import parse, parts
from tests.pages import count_queries, visible_text
from werkstatt.meetings.models import AgendaItem
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.participation.models import Idea, IdeaStatus, Participant
from werkstatt.participation.services.ideas import idea_answer, idea_merge
from werkstatt.projects.models import Project, ProjectStatusChange
from werkstatt.projects.workflow import ProjectState

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def make_idea(workshop: Any, *, title: str = "Dorfladen in Schlepzig", young: bool = False, **values: Any) -> Idea:
    participant, _created = Participant.objects.get_or_create(email=values.pop("email", "anna@example.org"))
    values.setdefault("confirmed_at", timezone.now())
    return Idea.objects.create(
        workshop=workshop,
        title=title,
        description=values.pop("description", "Ein Laden mit regionalen Produkten."),
        participant=participant,
        by_young_person=young,
        **values,
    )


def future(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def office(client: Client, office_user: Any) -> Client:
    client.force_login(office_user)
    return client


def act(client: Client, capture: Any, idea: Idea, action: str, **data: Any) -> Any:
    with capture(execute=True):
        return client.post(
            reverse("office:idea-action", args=[idea.pk, action]), {f"{action}-{k}": v for k, v in data.items()}
        )


def the_mail(run_jobs: Any, mailoutbox: list[Any]) -> tuple[Any, str, str]:
    """The one mail to the submitter (a step may also record an event for subscribers, told to nobody here)."""
    assert run_jobs() >= 1
    (message,) = mailoutbox
    plain, html = parts(message)
    mailoutbox.clear()
    return parse(message), plain, html


# --- who may ------------------------------------------------------------------------------------------------------


def test_only_the_office_triages_ideas(client, workshop4, speaker_w4, bank_user, django_capture_on_commit_callbacks):
    idea = make_idea(workshop4)
    urls = [
        reverse("office:idea-list"),
        reverse("office:idea-detail", args=[idea.pk]),
        reverse("office:idea-attachment", args=[idea.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for user in (UserFactory(), speaker_w4, bank_user):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        response = act(client, django_capture_on_commit_callbacks, idea, "antworten", answer="Danke")
        assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.NEW and idea.answer == ""


def test_services_refuse_others_than_the_office(workshop4, speaker_w4):
    idea = make_idea(workshop4)
    with pytest.raises(PermissionDenied, match="Nur die Geschäftsstelle bearbeitet Ideen"):
        idea_answer(actor=speaker_w4, idea=idea, answer="Danke")


# --- the list, the page, the dashboard ------------------------------------------------------------------------------


def test_the_list_shows_confirmed_ideas_only_with_the_count_of_new_ones(office, workshop4, workshop2):
    make_idea(workshop4, title="Neu in W4")
    make_idea(workshop2, title="Beantwortet in W2", status=IdeaStatus.ANSWERED, answer="Danke")
    make_idea(workshop4, title="Unbestätigt", confirmed_at=None)
    text = visible_text(office.get(reverse("office:idea-list")).content.decode())
    assert "1 neue Idee wartet auf Sichtung." in text and "2 Ideen" in text
    assert "Neu in W4" in text and "Beantwortet in W2" in text and "Unbestätigt" not in text
    new = visible_text(office.get(reverse("office:idea-list") + "?stand=new").content.decode())
    assert "Neu in W4" in new and "Beantwortet in W2" not in new
    w2 = visible_text(office.get(reverse("office:idea-list") + "?werkstatt=2").content.decode())
    assert "Beantwortet in W2" in w2 and "Neu in W4" not in w2
    dashboard = office.get(reverse("office:dashboard")).content.decode()
    assert "Ideen aus der Öffentlichkeit (1 neu)" in visible_text(dashboard)
    assert f'href="{reverse("office:idea-list")}?stand=new"' in dashboard


def test_the_dashboard_of_others_has_no_idea_link(client, speaker_w4):
    client.force_login(speaker_w4)
    assert "Ideen aus der Öffentlichkeit" not in client.get(reverse("office:dashboard")).content.decode()


def test_the_office_page_shows_the_address_and_the_attachment_the_public_never_sees(
    office, client, workshop4, django_capture_on_commit_callbacks
):
    anonymous = Client()
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(
            reverse("participation:idea-create"),
            {
                "workshop": workshop4.pk,
                "title": "Skizze",
                "description": "Siehe Anhang",
                "email": "zeichnerin@example.org",
                "attachment": SimpleUploadedFile("Mein Plan.pdf", PDF, content_type="application/pdf"),
            },
        )
    idea = Idea.objects.get()
    assert office.get(reverse("office:idea-detail", args=[idea.pk])).status_code == 404  # unconfirmed
    Idea.objects.filter(pk=idea.pk).update(confirmed_at=timezone.now(), status=IdeaStatus.ANSWERED)
    text = visible_text(office.get(reverse("office:idea-detail", args=[idea.pk])).content.decode())
    assert "zeichnerin@example.org" in text and "Mein Plan.pdf" in text
    download = office.get(reverse("office:idea-attachment", args=[idea.pk]))
    assert download.status_code == 200
    assert download.content == PDF and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;") and "Mein" in download["Content-Disposition"]
    public = anonymous.get(reverse("participation:idea-detail", args=[idea.pk])).content.decode()
    assert "zeichnerin@example.org" not in public and "Mein Plan.pdf" not in public
    assert anonymous.get(reverse("office:idea-attachment", args=[idea.pk])).status_code == 302


# --- each step ----------------------------------------------------------------------------------------------------


def test_answer(office, client, workshop4, django_capture_on_commit_callbacks, run_jobs, mailoutbox):
    idea = make_idea(workshop4)
    refused = act(office, django_capture_on_commit_callbacks, idea, "antworten", answer="  ")
    assert "Bitte schreiben Sie eine Antwort; sie wird mit der Idee veröffentlicht." in visible_text(
        refused.content.decode()
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.NEW and run_jobs() == 0

    response = act(
        office, django_capture_on_commit_callbacks, idea, "antworten", answer="Vielen Dank!\nWir prüfen das."
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ANSWERED and idea.answer == "Vielen Dank!\nWir prüfen das."
    assert idea.answered_at is not None and idea.answered_by is not None

    parsed, plain, html = the_mail(run_jobs, mailoutbox)
    assert parsed["To"] == "anna@example.org"
    assert str(parsed["Subject"]).strip() == "Neues zu Ihrer Idee „Dorfladen in Schlepzig“"
    assert "Die Geschäftsstelle hat Ihre Idee beantwortet." in plain
    assert "Stand: beantwortet" in plain and "Vielen Dank!\nWir prüfen das." in plain
    idea_url = "http://127.0.0.1:8000" + reverse("participation:idea-detail", args=[idea.pk])
    assert idea_url in plain and f'href="{idea_url}"' in html and "Vielen Dank!<br>Wir prüfen das." in html

    public = visible_text(Client().get(reverse("participation:idea-detail", args=[idea.pk])).content.decode())
    assert "Stand: beantwortet" in public and "Wir prüfen das." in public


def test_a_young_submitter_gets_the_answer_in_du_form(
    office, workshop4, django_capture_on_commit_callbacks, run_jobs, mailoutbox
):
    idea = make_idea(workshop4, title="Skaterpark", young=True)
    act(office, django_capture_on_commit_callbacks, idea, "antworten", answer="Coole Idee!")
    parsed, plain, _html = the_mail(run_jobs, mailoutbox)
    assert str(parsed["Subject"]).strip() == "Neues zu deiner Idee „Skaterpark“"
    assert plain.startswith("Hallo,") and "Die Geschäftsstelle hat dir geantwortet." in plain
    assert "Hier kannst du deine Idee ansehen:" in plain


def test_merge(office, workshop4, workshop2, django_capture_on_commit_callbacks, run_jobs, mailoutbox):
    target = make_idea(workshop4, title="Radweg A", status=IdeaStatus.ANSWERED)
    duplicate = make_idea(workshop4, title="Radweg B", email="bert@example.org")
    earlier = make_idea(workshop4, title="Radweg C", status=IdeaStatus.MERGED, merged_into=duplicate)
    other_workshop = make_idea(workshop2, title="Radweg W2")

    page = office.get(reverse("office:idea-detail", args=[duplicate.pk])).content.decode()
    assert f'<option value="{target.pk}">Nr. {target.pk}: Radweg A</option>' in page
    assert f'value="{earlier.pk}"' not in page and f'value="{other_workshop.pk}"' not in page

    refusals = {
        duplicate.pk: "Eine Idee kann nicht mit sich selbst zusammengeführt werden.",
        earlier.pk: "Diese Idee ist selbst schon zusammengeführt",
        other_workshop.pk: "Zusammengeführt werden nur Ideen derselben Werkstatt.",
    }
    for into, message in refusals.items():
        response = act(office, django_capture_on_commit_callbacks, duplicate, "zusammenfuehren", into=into)
        assert response.status_code == 200 and message in visible_text(response.content.decode())
    duplicate.refresh_from_db()
    assert duplicate.status == IdeaStatus.NEW and run_jobs() == 0

    response = act(office, django_capture_on_commit_callbacks, duplicate, "zusammenfuehren", into=target.pk, answer="")
    assert response.status_code == 302
    duplicate.refresh_from_db()
    earlier.refresh_from_db()
    assert duplicate.status == IdeaStatus.MERGED and duplicate.merged_into == target
    assert earlier.merged_into == target  # no chains
    parsed, plain, _html = the_mail(run_jobs, mailoutbox)
    assert parsed["To"] == "bert@example.org"
    assert "Ihre Idee wurde mit einer ähnlichen Idee zusammengeführt" in plain
    public = Client().get(reverse("participation:idea-detail", args=[duplicate.pk])).content.decode()
    assert reverse("participation:idea-detail", args=[target.pk]) in public
    # Merged is decided: no second merge, and a merged idea cannot merge the target back (no cycles).
    again = act(office, django_capture_on_commit_callbacks, duplicate, "zusammenfuehren", into=target.pk)
    assert again.status_code == 302
    assert "dieser Schritt ist nicht mehr möglich" in visible_text(office.get(again.url).content.decode())
    with pytest.raises(ValidationError, match="selbst schon zusammengeführt"):
        idea_merge(actor=office_user_of(office), idea=target, into=duplicate)


def office_user_of(client: Client) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_forward_to_a_coming_session(
    office, workshop4, workshop2, django_capture_on_commit_callbacks, run_jobs, mailoutbox
):
    idea = make_idea(workshop4, title="Bürgerbus")
    coming = MeetingFactory(workshop=workshop4, number=20, date=future(14))
    held = MeetingFactory(workshop=workshop4, number=18, date=future(-30), state=MeetingState.HELD)
    past = MeetingFactory(workshop=workshop4, number=19, date=future(-1))
    cancelled = MeetingFactory(workshop=workshop4, number=21, date=future(20), state=MeetingState.CANCELLED)
    locked = MeetingFactory(workshop=workshop4, number=22, date=future(30), minutes_state=MinutesState.APPROVED)
    foreign = MeetingFactory(workshop=workshop2, number=5, date=future(14))

    page = office.get(reverse("office:idea-detail", args=[idea.pk])).content.decode()
    assert f'<option value="{coming.pk}">' in page
    for meeting in (held, past, cancelled, locked, foreign):
        assert f'<option value="{meeting.pk}">' not in page

    for meeting in (held, past, cancelled, locked):
        response = act(office, django_capture_on_commit_callbacks, idea, "tagesordnung", meeting=meeting.pk, number="5")
        assert "Diese Sitzung ist schon vorbei, durchgeführt oder abgesagt." in visible_text(response.content.decode())
    response = act(office, django_capture_on_commit_callbacks, idea, "tagesordnung", meeting=foreign.pk, number="5")
    assert "Die Idee kann nur auf die Tagesordnung ihrer eigenen Werkstatt." in visible_text(response.content.decode())
    response = act(office, django_capture_on_commit_callbacks, idea, "tagesordnung", meeting=coming.pk, number="x!")
    assert response.status_code == 200 and "Bitte prüfen Sie Ihre Eingaben" in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.NEW and not AgendaItem.objects.exists() and run_jobs() == 0

    response = act(
        office,
        django_capture_on_commit_callbacks,
        idea,
        "tagesordnung",
        meeting=coming.pk,
        number="5",
        answer="Wir beraten sie.",
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    item = AgendaItem.objects.get()
    assert idea.status == IdeaStatus.ON_AGENDA and idea.agenda_item == item
    assert (item.meeting, item.number, item.title, item.note) == (
        coming,
        "5",
        "Bürgerbus",
        "Idee aus der Öffentlichkeit",
    )
    _parsed, plain, _html = the_mail(run_jobs, mailoutbox)
    assert "Ihre Idee steht auf der Tagesordnung einer kommenden Sitzung der Werkstatt." in plain

    # The public follows it to the agenda once the session is invited.
    anonymous = Client()
    meeting_url = reverse("portal:meeting-detail", args=[coming.pk])
    assert meeting_url not in anonymous.get(reverse("participation:idea-detail", args=[idea.pk])).content.decode()
    coming.state = MeetingState.INVITED
    coming.save()
    public = anonymous.get(reverse("participation:idea-detail", args=[idea.pk])).content.decode()
    assert meeting_url in public and "TOP 5 „Bürgerbus“" in visible_text(public)
    assert "Bürgerbus" in visible_text(anonymous.get(meeting_url).content.decode())


def test_adopt_as_project(office, workshop4, places, django_capture_on_commit_callbacks, run_jobs, mailoutbox):
    idea = make_idea(
        workshop4, title="Solardach Schule", municipality=places["cottbus"], latitude="51.76000", longitude="14.33000"
    )
    response = act(office, django_capture_on_commit_callbacks, idea, "projekt", answer="")
    assert response.status_code == 302
    idea.refresh_from_db()
    project = Project.objects.get()
    assert idea.status == IdeaStatus.PROJECT and idea.project == project
    assert project.state == ProjectState.IDEA and project.lead_workshop == workshop4
    assert (project.title, project.description) == (idea.title, idea.description)
    assert project.municipality == places["cottbus"] and project.district == places["cottbus"].district
    assert str(project.latitude) == "51.76000"
    change = ProjectStatusChange.objects.get(project=project)
    assert change.to_state == ProjectState.IDEA and f"Idee Nr. {idea.pk}" in change.note
    _parsed, plain, _html = the_mail(run_jobs, mailoutbox)
    assert "Ihre Idee wurde als Projektidee in das Projektregister aufgenommen." in plain
    public = Client().get(reverse("participation:idea-detail", args=[idea.pk])).content.decode()
    assert reverse("portal:project-detail", args=[project.pk]) in public


def test_decline_needs_a_public_reason(office, workshop4, django_capture_on_commit_callbacks, run_jobs, mailoutbox):
    idea = make_idea(workshop4)
    refused = act(office, django_capture_on_commit_callbacks, idea, "ablehnen", answer="")
    assert "Bitte begründen Sie die Ablehnung; die Begründung wird veröffentlicht." in visible_text(
        refused.content.decode()
    )
    assert run_jobs() == 0
    response = act(office, django_capture_on_commit_callbacks, idea, "ablehnen", answer="Das Vorhaben läuft schon.")
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.DECLINED and idea.answer == "Das Vorhaben läuft schon."
    _parsed, plain, _html = the_mail(run_jobs, mailoutbox)
    assert "Ihre Idee wird nicht weiterverfolgt." in plain and "Das Vorhaben läuft schon." in plain
    text = visible_text(Client().get(reverse("participation:idea-detail", args=[idea.pk])).content.decode())
    assert "Stand: nicht weiterverfolgt" in text and "Das Vorhaben läuft schon." in text
    page = visible_text(office.get(reverse("office:idea-detail", args=[idea.pk])).content.decode())
    assert "es gibt keinen weiteren Schritt" in page


def test_an_unknown_step_or_idea_is_not_found(office, workshop4):
    idea = make_idea(workshop4)
    assert office.post(reverse("office:idea-action", args=[idea.pk, "loeschen"])).status_code == 404
    assert office.post(reverse("office:idea-action", args=[999999, "antworten"])).status_code == 404
    unconfirmed = make_idea(workshop4, confirmed_at=None)
    assert (
        office.post(
            reverse("office:idea-action", args=[unconfirmed.pk, "antworten"]), {"antworten-answer": "x"}
        ).status_code
        == 404
    )
    assert office.get(reverse("office:idea-action", args=[idea.pk, "antworten"])).status_code == 405


# --- query counts -----------------------------------------------------------------------------------------------------


def test_office_idea_pages_cost_a_fixed_number_of_queries(office, workshop4, places):
    MeetingFactory(workshop=workshop4, date=future(10))
    idea = make_idea(workshop4, municipality=places["cottbus"])
    make_idea(workshop4, title="Kandidat")
    urls = {
        "list": reverse("office:idea-list"),
        "detail": reverse("office:idea-detail", args=[idea.pk]),
        "dashboard": reverse("office:dashboard"),
    }
    before = {name: count_queries(office, url) for name, url in urls.items()}
    for number in range(30):
        make_idea(workshop4, title=f"Idee {number}", email=f"p{number}@example.org", municipality=places["spremberg"])
        MeetingFactory(workshop=workshop4, date=future(20 + number))
        make_idea(WorkshopFactory(body=workshop4.body), title=f"Andere {number}")
    after = {name: count_queries(office, url) for name, url in urls.items()}
    assert after == before
    assert before == {"list": 6, "detail": 5, "dashboard": 8}, before


def test_the_office_list_pages_through_the_ideas_keeping_the_filter(office, workshop4):
    for number in range(55):  # 50 a page
        make_idea(workshop4, title=f"Idee {number:02d}", email=f"p{number}@example.org")
    url = reverse("office:idea-list") + f"?werkstatt={workshop4.number}"
    first = visible_text(office.get(url).content.decode())
    assert "Seite 1 von 2" in first and "vorherige Seite" not in first
    html = office.get(url).content.decode()
    assert f'href="?werkstatt={workshop4.number}&amp;seite=2"' in html
    second = visible_text(office.get(url + "&seite=2").content.decode())
    assert "Seite 2 von 2" in second and "vorherige Seite" in second and "nächste Seite" not in second
