"""Ideas from the public: submitting (also the young people's form), the double opt-in by mail, the public list and
page, and every kind of bad input with its German message and nothing stored."""

import datetime as dt
import time
from typing import Any

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgendaItemFactory, MeetingFactory, ProjectFactory, WorkshopFactory
from tests.ideas_support import confirm_link, parse, parts
from tests.pages import count_queries, visible_text
from werkstatt.meetings.workflow import MeetingState
from werkstatt.participation import tokens
from werkstatt.participation.models import Idea, IdeaStatus, Participant, RateLimitHit
from werkstatt.participation.selectors_ideas import ideas_visible_to

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form_data(workshop: Any, /, **changes: Any) -> dict[str, Any]:
    data = {
        "workshop": str(workshop.pk),
        "title": "Radweg zwischen Cottbus und Peitz",
        "description": "Ein sicherer Radweg für Schulkinder und Pendler.\n\nEr fehlt seit Jahren.",
        "municipality": "",
        "latitude": "",
        "longitude": "",
        "email": "Anna.Anwohnerin@example.org",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def submit(client: Client, capture: Any, data: dict[str, Any], *, young: bool = False) -> Any:
    url = reverse("participation:idea-create-young" if young else "participation:idea-create")
    with capture(execute=True):
        return client.post(url, data)


def confirmed_idea(workshop: Any, *, status: str = IdeaStatus.NEW, **values: Any) -> Idea:
    participant, _created = Participant.objects.get_or_create(email="ideen@example.org")
    return Idea.objects.create(
        workshop=workshop,
        title=values.pop("title", "Eine Idee"),
        description=values.pop("description", "Beschreibung"),
        participant=participant,
        confirmed_at=timezone.now(),
        status=status,
        **values,
    )


# --- the lifecycle up to the confirmation ------------------------------------------------------------------


def test_a_resident_submits_an_idea_and_confirms_it_by_the_link_in_the_mail(
    client, workshop4, places, django_capture_on_commit_callbacks, run_jobs, mailoutbox
):
    page = client.get(reverse("participation:idea-create") + f"?werkstatt={workshop4.number}")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{workshop4.pk}" selected>' in html
    assert "Cottbus/Chóśebuz" in html  # municipalities with their Sorbian names, as stored
    assert 'name="website"' in html  # the honeypot
    # The map's box for the script, in figures JavaScript reads (no German decimal comma).
    assert 'data-south="51.30" data-west="13.00" data-north="52.50" data-east="14.85"' in html

    data = form_data(workshop4, municipality=str(places["cottbus"].pk), latitude="51.75000", longitude="14.33000")
    response = submit(client, django_capture_on_commit_callbacks, data)
    assert response.status_code == 302
    assert response.url == reverse("participation:idea-submitted")
    text = visible_text(client.get(response.url).content.decode())
    assert "Fast geschafft – bitte bestätigen Sie Ihre E-Mail-Adresse" in text

    idea = Idea.objects.get()
    assert idea.confirmed_at is None and idea.status == IdeaStatus.NEW and not idea.by_young_person
    assert idea.participant is not None and idea.participant.email == "anna.anwohnerin@example.org"
    assert idea.municipality == places["cottbus"] and str(idea.latitude) == "51.75000"
    # Unconfirmed: not public, not in the office's list.
    assert client.get(reverse("participation:idea-detail", args=[idea.pk])).status_code == 404
    assert not ideas_visible_to(None).exists()

    assert run_jobs() == 1
    (message,) = mailoutbox
    parsed = parse(message)
    assert parsed["To"] == "anna.anwohnerin@example.org"
    assert str(parsed["Subject"]).strip() == "Bitte bestätigen Sie Ihre Idee „Radweg zwischen Cottbus und Peitz“"
    plain, _html = parts(message)
    assert "Sie haben der Werkstatt 4 die Idee „Radweg zwischen Cottbus und Peitz“ gesandt." in plain
    link = confirm_link(message)

    # GET only shows the button (link scanners must not confirm).
    shown = client.get(link)
    assert shown.status_code == 200
    assert "Jetzt bestätigen" in shown.content.decode()
    idea.refresh_from_db()
    assert idea.confirmed_at is None

    done = client.post(link)
    assert done.status_code == 200
    assert "Ihre Idee „Radweg zwischen Cottbus und Peitz“ ist bestätigt." in visible_text(done.content.decode())
    idea.refresh_from_db()
    assert idea.confirmed_at is not None
    assert idea.participant is not None and idea.participant.confirmed_at is not None

    # Confirmed but not triaged: the public page says only that it arrived, the list does not show it yet.
    detail = visible_text(client.get(reverse("participation:idea-detail", args=[idea.pk])).content.decode())
    assert "Eingegangen – die Geschäftsstelle sichtet Ihre Idee" in detail
    assert "Radweg zwischen Cottbus und Peitz" not in detail
    assert "sicherer Radweg" not in detail
    listing = visible_text(client.get(reverse("participation:idea-list")).content.decode())
    assert "0 Ideen" in listing

    # The link again: already confirmed, nothing changes.
    confirmed_at = idea.confirmed_at
    again = client.post(link)
    assert again.status_code == 200
    assert "Diese Idee ist bereits bestätigt." in visible_text(again.content.decode())
    idea.refresh_from_db()
    assert idea.confirmed_at == confirmed_at


def test_young_people_have_a_simpler_form_in_du_form(
    client, workshop4, places, django_capture_on_commit_callbacks, run_jobs, mailoutbox
):
    page = client.get(reverse("participation:idea-create-young"))
    text = visible_text(page.content.decode())
    assert "Was ist deine Idee?" in text and "Deine E-Mail-Adresse" in text
    html = page.content.decode()
    assert 'name="attachment"' not in html and 'name="latitude"' not in html and "data-idea-map" not in html

    data = form_data(workshop4, title="Skaterpark in Forst", municipality=str(places["spremberg"].pk))
    for name in ("latitude", "longitude"):
        data.pop(name)
    response = submit(client, django_capture_on_commit_callbacks, data, young=True)
    assert response.status_code == 302
    assert response.url == reverse("participation:idea-submitted") + "?jugend=1"
    text = visible_text(client.get(response.url).content.decode())
    assert "Fast geschafft – bitte bestätige deine E-Mail-Adresse" in text

    idea = Idea.objects.get()
    assert idea.by_young_person
    run_jobs()
    plain, _html = parts(mailoutbox[0])
    assert "Du hast der Werkstatt 4 die Idee „Skaterpark in Forst“ geschickt." in plain
    done = client.post(confirm_link(mailoutbox[0]))
    assert "Danke! Deine Idee „Skaterpark in Forst“ ist angekommen." in visible_text(done.content.decode())


def test_the_form_works_without_the_map_and_without_a_place(client, workshop4, django_capture_on_commit_callbacks):
    response = submit(client, django_capture_on_commit_callbacks, form_data(workshop4))
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.municipality is None and idea.latitude is None


def test_an_attachment_is_kept_for_the_office_under_a_name_nobody_can_guess(
    client, workshop4, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("Skizze Radweg.pdf", PDF, content_type="application/pdf")
    response = submit(client, django_capture_on_commit_callbacks, form_data(workshop4, attachment=upload))
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.attachment_name == "Skizze Radweg.pdf"
    assert "Skizze" not in idea.attachment.name and idea.attachment.name.endswith(".pdf")
    assert idea.attachment.read() == PDF


# --- bad input: a German message, nothing stored ---------------------------------------------------------------

BAD_INPUT = {
    "no workshop": ({"workshop": ""}, "Bitte wählen Sie eine Werkstatt."),
    "unknown workshop": ({"workshop": "999999"}, "Bitte wählen Sie eine Werkstatt aus der Liste."),
    "no title": ({"title": "   "}, "Bitte geben Sie einen Titel an."),
    "title too long": ({"title": "x" * 201}, "Der Titel ist zu lang: höchstens 200 Zeichen"),
    "no description": ({"description": ""}, "Bitte beschreiben Sie Ihre Idee."),
    "1 MB description": (
        {"description": "Lausitz " * 131072},
        "Die Beschreibung ist zu lang: höchstens 5.000 Zeichen, eingegeben wurden 1.048.575.",
    ),
    "point outside the Lausitz": (
        {"latitude": "52.52000", "longitude": "13.40500"},
        "Der gewählte Punkt liegt außerhalb der Lausitz.",
    ),
    "half a point": ({"latitude": "51.75000"}, "Der Punkt auf der Karte ist unvollständig."),
    "no address": ({"email": ""}, "Bitte geben Sie Ihre E-Mail-Adresse an."),
    "bad address": ({"email": "anna-at-example"}, "Bitte geben Sie eine gültige E-Mail-Adresse an"),
    "honeypot filled": (
        {"website": "http://spam.example"},
        "Ihre Einsendung konnte nicht angenommen werden. Bitte laden Sie die Seite neu.",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_is_refused_in_german_and_nothing_is_stored(
    client, workshop4, django_capture_on_commit_callbacks, run_jobs, mailoutbox, case
):
    changes, message = BAD_INPUT[case]
    response = submit(client, django_capture_on_commit_callbacks, form_data(workshop4, **changes))
    assert response.status_code == 200
    assert message in visible_text(response.content.decode())
    assert "Bitte prüfen Sie Ihre Eingaben" in response.content.decode()
    assert not Idea.objects.exists()
    assert not Participant.objects.exists()
    assert run_jobs() == 0 and not mailoutbox


BAD_ATTACHMENTS = {
    "wrong type": (
        SimpleUploadedFile("programm.exe", b"MZ\x90\x00", content_type="application/pdf"),
        "Als Anhang sind nur PDF-Dateien und Bilder (JPEG, PNG) erlaubt.",
    ),
    "text as PDF": (
        SimpleUploadedFile("brief.pdf", b"<script>alert(1)</script>", content_type="application/pdf"),
        "Die Datei ist kein PDF, obwohl sie so heißt.",
    ),
    "PNG named JPEG": (
        SimpleUploadedFile("foto.jpg", PNG, content_type="image/jpeg"),
        "Die Datei ist kein JPEG-Bild, obwohl sie so heißt.",
    ),
    "too large": (
        SimpleUploadedFile("gross.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf"),
        "Der Anhang ist zu groß: höchstens 1 MB sind erlaubt.",
    ),
}


@pytest.mark.parametrize("case", BAD_ATTACHMENTS, ids=list(BAD_ATTACHMENTS))
def test_bad_attachments_are_refused(client, workshop4, django_capture_on_commit_callbacks, settings, case):
    settings.PARTICIPATION_MAX_ATTACHMENT_MB = 1
    upload, message = BAD_ATTACHMENTS[case]
    response = submit(client, django_capture_on_commit_callbacks, form_data(workshop4, attachment=upload))
    assert response.status_code == 200
    assert message in visible_text(response.content.decode())
    assert not Idea.objects.exists() and not Participant.objects.exists()


def test_a_flood_from_one_address_is_stopped_by_the_rate_limit(
    client, workshop4, django_capture_on_commit_callbacks, settings, run_jobs, mailoutbox
):
    settings.PARTICIPATION_RATE_LIMITS = {**settings.PARTICIPATION_RATE_LIMITS, "idea": (2, 20)}
    for number in range(2):
        data = form_data(workshop4, title=f"Idee {number}")
        assert submit(client, django_capture_on_commit_callbacks, data).status_code == 302
    refused = submit(client, django_capture_on_commit_callbacks, form_data(workshop4, title="Idee 3"))
    assert refused.status_code == 200
    assert "Von dieser Adresse kamen in den letzten 60 Minuten zu viele Einsendungen." in visible_text(
        refused.content.decode()
    )
    assert sorted(Idea.objects.values_list("title", flat=True)) == ["Idee 0", "Idee 1"]
    assert run_jobs() == 2 and len(mailoutbox) == 2
    # Another address from the same IP gets through until the IP's own limit.
    other = form_data(workshop4, title="Idee 4", email="bert@example.org")
    assert submit(client, django_capture_on_commit_callbacks, other).status_code == 302
    assert RateLimitHit.objects.filter(scope="idea").count() == 6  # ip and address per accepted submission


def test_html_and_scripts_are_stored_as_typed_and_shown_escaped(
    client, workshop4, django_capture_on_commit_callbacks, office_user
):
    title = '<script>alert("titel")</script> Spielplatz'
    description = '<img src=x onerror="alert(1)"> <b>fett</b>\nzweite Zeile'
    submit(client, django_capture_on_commit_callbacks, form_data(workshop4, title=title, description=description))
    idea = Idea.objects.get()
    assert idea.title == title and idea.description == description
    Idea.objects.filter(pk=idea.pk).update(confirmed_at=timezone.now(), status=IdeaStatus.ANSWERED, answer="<i>ok</i>")
    html = client.get(reverse("participation:idea-detail", args=[idea.pk])).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<i>ok</i>" not in html
    assert "&lt;script&gt;alert(&quot;titel&quot;)&lt;/script&gt; Spielplatz" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &lt;b&gt;fett&lt;/b&gt;<br>zweite Zeile" in html
    listing = client.get(reverse("participation:idea-list")).content.decode()
    assert "<script>alert" not in listing and "&lt;script&gt;" in listing
    client.force_login(office_user)
    office = client.get(reverse("office:idea-detail", args=[idea.pk])).content.decode()
    assert "<script>alert" not in office and "&lt;script&gt;" in office


# --- confirmation links ------------------------------------------------------------------------------------------


class _OldSigner(signing.TimestampSigner):
    """Signs as if it were ten days ago."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 10 * 24 * 3600)


def test_an_expired_link_confirms_nothing(client, workshop4):
    idea = confirmed_idea(workshop4)
    Idea.objects.filter(pk=idea.pk).update(confirmed_at=None)
    token = _OldSigner(salt=tokens.CONFIRM).sign_object(["idea", idea.pk], compress=True)
    for method in (client.get, client.post):
        response = method(reverse("participation:confirm", args=[token]))
        assert response.status_code == 400
        assert "Dieser Bestätigungslink ist abgelaufen: Er gilt 7 Tage." in visible_text(response.content.decode())
    idea.refresh_from_db()
    assert idea.confirmed_at is None


def test_a_forged_or_damaged_link_confirms_nothing(client, workshop4):
    idea = confirmed_idea(workshop4)
    Idea.objects.filter(pk=idea.pk).update(confirmed_at=None)
    genuine = tokens.confirmation_token("idea", idea.pk)
    forged = signing.dumps(["idea", idea.pk], salt="werkstatt.participation.unsubscribe", compress=True)
    for token in (genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"), forged):
        response = client.post(reverse("participation:confirm", args=[token]))
        assert response.status_code == 400
        assert "Dieser Link ist ungültig." in visible_text(response.content.decode())
    idea.refresh_from_db()
    assert idea.confirmed_at is None


def test_the_link_of_a_deleted_idea_says_it_is_gone(client, workshop4):
    idea = confirmed_idea(workshop4)
    token = tokens.confirmation_token("idea", idea.pk)
    idea.delete()
    response = client.post(reverse("participation:confirm", args=[token]))
    assert response.status_code == 400
    assert "Zu diesem Link gibt es keine Einsendung mehr." in visible_text(response.content.decode())


# --- the public list and page ------------------------------------------------------------------------------------


def test_the_public_sees_only_confirmed_and_triaged_ideas(client, workshop4, workshop2):
    answered = confirmed_idea(workshop4, title="Beantwortete Idee", status=IdeaStatus.ANSWERED, answer="Danke!")
    declined = confirmed_idea(workshop2, title="Abgelehnte Idee", status=IdeaStatus.DECLINED, answer="Gibt es schon.")
    new = confirmed_idea(workshop4, title="Neue Idee")
    unconfirmed = confirmed_idea(workshop4, title="Unbestätigte Idee", status=IdeaStatus.ANSWERED)
    Idea.objects.filter(pk=unconfirmed.pk).update(confirmed_at=None)

    assert set(ideas_visible_to(None)) == {answered, declined}
    text = visible_text(client.get(reverse("participation:idea-list")).content.decode())
    assert "2 Ideen" in text and "Beantwortete Idee" in text and "Abgelehnte Idee" in text
    assert "Neue Idee" not in text and "Unbestätigte Idee" not in text

    by_workshop = visible_text(client.get(reverse("participation:idea-list") + "?werkstatt=2").content.decode())
    assert "1 Idee" in by_workshop and "Abgelehnte Idee" in by_workshop and "Beantwortete Idee" not in by_workshop
    by_status = visible_text(client.get(reverse("participation:idea-list") + "?stand=answered").content.decode())
    assert "Beantwortete Idee" in by_status and "Abgelehnte Idee" not in by_status
    # "new" is no filter of the public list; bad filters are ignored with a message.
    bad = visible_text(client.get(reverse("participation:idea-list") + "?stand=new&werkstatt=vier").content.decode())
    assert "Den Stand „new“ gibt es nicht; der Filter wurde ignoriert." in bad
    assert "Der Filter „Werkstatt“ erwartet eine Nummer; er wurde ignoriert." in bad
    assert "2 Ideen" in bad

    assert client.get(reverse("participation:idea-detail", args=[unconfirmed.pk])).status_code == 404
    assert client.get(reverse("participation:idea-detail", args=[999999])).status_code == 404
    new_page = visible_text(client.get(reverse("participation:idea-detail", args=[new.pk])).content.decode())
    assert "Eingegangen – die Geschäftsstelle sichtet Ihre Idee" in new_page and "Neue Idee" not in new_page


def test_the_idea_page_shows_status_answer_and_never_the_submitter_or_attachment(client, workshop4):
    idea = confirmed_idea(
        workshop4,
        title="Dorfladen",
        status=IdeaStatus.ANSWERED,
        answer="Vielen Dank für Ihre Idee.\nWir melden uns.",
        answered_at=dt.datetime(2025, 3, 4, 13, 10, tzinfo=dt.UTC),
        attachment_name="geheim.pdf",
        attachment="ideen/2025/abc.pdf",
    )
    html = client.get(reverse("participation:idea-detail", args=[idea.pk])).content.decode()
    text = visible_text(html)
    assert "Stand: beantwortet" in text
    assert "04.03.2025, 14:10 Uhr" in text and "Vielen Dank für Ihre Idee." in text
    assert "ideen@example.org" not in html
    assert "geheim.pdf" not in html and "abc.pdf" not in html and "/media/" not in html
    assert reverse("office:idea-attachment", args=[idea.pk]) not in html


def test_links_to_merged_idea_session_and_project_only_when_the_reader_may_see_them(client, workshop4, office_user):
    target = confirmed_idea(workshop4, title="Ziel-Idee", status=IdeaStatus.ANSWERED)
    hidden_target = confirmed_idea(workshop4, title="Ungesichtete Ziel-Idee")
    merged = confirmed_idea(workshop4, title="Doppelte Idee", status=IdeaStatus.MERGED, merged_into=target)
    merged_hidden = confirmed_idea(workshop4, title="Doppelt 2", status=IdeaStatus.MERGED, merged_into=hidden_target)
    meeting = MeetingFactory(workshop=workshop4, number=20, date=timezone.localdate() + dt.timedelta(days=20))
    item = AgendaItemFactory(meeting=meeting, number="5", title="Idee: Dorfladen")
    on_agenda = confirmed_idea(workshop4, title="Auf TO", status=IdeaStatus.ON_AGENDA, agenda_item=item)
    public_project = ProjectFactory(title="Öffentliches Projekt", lead_workshop=workshop4)
    secret_project = ProjectFactory(title="Internes Projekt", lead_workshop=workshop4, public=False)
    adopted = confirmed_idea(workshop4, title="Projekt 1", status=IdeaStatus.PROJECT, project=public_project)
    adopted_secret = confirmed_idea(workshop4, title="Projekt 2", status=IdeaStatus.PROJECT, project=secret_project)

    def page(idea: Idea) -> str:
        return client.get(reverse("participation:idea-detail", args=[idea.pk])).content.decode()

    assert reverse("participation:idea-detail", args=[target.pk]) in page(merged)
    assert reverse("participation:idea-detail", args=[hidden_target.pk]) not in page(merged_hidden)
    # A planned session's agenda is not public yet; once invited, the link appears.
    meeting_url = reverse("portal:meeting-detail", args=[meeting.pk])
    assert meeting_url not in page(on_agenda)
    meeting.state = MeetingState.INVITED
    meeting.save()
    text = visible_text(page(on_agenda))
    assert meeting_url in page(on_agenda) and "TOP 5 „Idee: Dorfladen“" in text
    assert reverse("portal:project-detail", args=[public_project.pk]) in page(adopted)
    assert reverse("portal:project-detail", args=[secret_project.pk]) not in page(adopted_secret)
    client.force_login(office_user)
    assert reverse("portal:project-detail", args=[secret_project.pk]) in page(adopted_secret)


def test_the_workshop_page_links_to_the_idea_form(client, demo):
    html = client.get(reverse("portal:workshop-detail", args=[4])).content.decode()
    assert f'href="{reverse("participation:idea-create")}?werkstatt=4"' in html


# --- query counts --------------------------------------------------------------------------------------------------


def _grow(workshop: Any, count: int) -> None:
    for number in range(count):
        other = WorkshopFactory(body=workshop.body)
        meeting = MeetingFactory(workshop=other, state=MeetingState.INVITED)
        confirmed_idea(
            other,
            title=f"Idee {number}",
            status=IdeaStatus.ON_AGENDA,
            agenda_item=AgendaItemFactory(meeting=meeting),
        )


def test_public_idea_pages_cost_a_fixed_number_of_queries(client, workshop4, places):
    meeting = MeetingFactory(workshop=workshop4, state=MeetingState.INVITED)
    project = ProjectFactory(lead_workshop=workshop4)
    target = confirmed_idea(workshop4, status=IdeaStatus.ANSWERED, municipality=places["cottbus"])
    full = confirmed_idea(
        workshop4,
        status=IdeaStatus.PROJECT,
        project=project,
        agenda_item=AgendaItemFactory(meeting=meeting),
        merged_into=target,
        municipality=places["cottbus"],
    )
    new = confirmed_idea(workshop4)
    urls = {
        "create": reverse("participation:idea-create"),
        "create-young": reverse("participation:idea-create-young"),
        "submitted": reverse("participation:idea-submitted"),
        "list": reverse("participation:idea-list"),
        "list-filtered": reverse("participation:idea-list") + f"?werkstatt={workshop4.number}&stand=project",
        "detail": reverse("participation:idea-detail", args=[full.pk]),
        "detail-new": reverse("participation:idea-detail", args=[new.pk]),
    }
    before = {name: count_queries(client, url) for name, url in urls.items()}
    _grow(workshop4, 30)
    after = {name: count_queries(client, url) for name, url in urls.items()}
    assert after == before
    assert before == {
        "create": 2,
        "create-young": 2,
        "submitted": 0,
        "list": 3,
        "list-filtered": 3,
        "detail": 3,
        "detail-new": 1,
    }
