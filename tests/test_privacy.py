"""Privacy of the participation: the privacy page generated from what is stored, "Meine Daten" (request by mail,
view, JSON export, deletion after which nothing about the address remains in any table) and the retention run."""

import datetime as dt
import io
import json
import re
import time
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import MeetingFactory, ProjectFactory, UserFactory
from tests.mail_support import parsed, text_parts
from tests.pages import count_queries, demo_page_urls, visible_text
from werkstatt.geo.models import District
from werkstatt.organizations.models import Workshop
from werkstatt.participation import privacy
from werkstatt.participation.jobs.privacy import send_mydata_link
from werkstatt.participation.models import (
    Comment,
    CommentReport,
    CommentStatus,
    Idea,
    IdeaStatus,
    Participant,
    RateLimitHit,
    Subscription,
    SubscriptionTopic,
)
from werkstatt.participation.services import abuse
from werkstatt.participation.tokens import MYDATA, confirmation_token, mydata_token

ALICE = "Alice.Anders@Example.org"
BOB = "bob.bauer@example.net"

# --- test data ------------------------------------------------------------------------------------------


def _participant(address: str, *, confirmed: bool = True) -> Participant:
    now = timezone.now()
    return Participant.objects.create(email=address.lower(), confirmed_at=now if confirmed else None)


def _stored(address: str, workshop: Any, *, tag: str) -> dict[str, Any]:
    """An address with an idea (and its file), a published and a pending comment (one reported), two
    subscriptions and rate-limit entries: everything the participation can store about a person."""
    participant = _participant(address)
    now = timezone.now()
    project = ProjectFactory(lead_workshop=workshop, body=workshop.body, title=f"Projekt {tag}")
    meeting = MeetingFactory(workshop=workshop)
    idea = Idea.objects.create(
        workshop=workshop,
        title=f"Idee {tag}",
        description=f"Beschreibung {tag}, Kontakt {address}",
        participant=participant,
        confirmed_at=now,
        attachment_name=f"plan-{tag}.pdf",
    )
    idea.attachment.save(f"plan-{tag}.pdf", ContentFile(b"%PDF-1.4 " + tag.encode()), save=True)
    published = Comment.objects.create(
        project=project,
        participant=participant,
        author_name=f"Name {tag}",
        body=f"Kommentar {tag} zum Projekt",
        confirmed_at=now,
        status=CommentStatus.PUBLISHED,
        published_at=now,
    )
    pending = Comment.objects.create(
        meeting=meeting, participant=participant, body=f"Kommentar {tag} zum Protokoll", confirmed_at=now
    )
    CommentReport.objects.create(comment=published, reason=f"Meldung zu {tag}")
    district = District.objects.create(
        ags=f"{12000 + District.objects.count() + 1}", name=f"Landkreis {tag}", kind="Landkreis"
    )
    subscriptions = [
        Subscription.objects.create(
            participant=participant, topic=SubscriptionTopic.DISTRICT, district=district, confirmed_at=now
        ),
        Subscription.objects.create(participant=participant, topic=SubscriptionTopic.NEWS),
    ]
    abuse.rate_limit_hit(scope="idea", ip="192.0.2.10", email=address)
    return {
        "participant": participant,
        "idea": idea,
        "file": idea.attachment.name,
        "comments": [published, pending],
        "subscriptions": subscriptions,
    }


@pytest.fixture
def alice(workshop4: Any) -> dict[str, Any]:
    return _stored(ALICE, workshop4, tag="A")


@pytest.fixture
def bob(workshop4: Any) -> dict[str, Any]:
    return _stored(BOB, workshop4, tag="B")


def _mydata_url(participant: Participant, name: str = "participation:mydata") -> str:
    return reverse(name, args=[mydata_token(participant.pk)])


def _parse(message: Any) -> tuple[Any, str, str]:
    texts = text_parts(message)
    return parsed(message), texts["text/plain"], texts["text/html"]


MYDATA_LINK = re.compile(r"https?://[^\s\"<>]+/mitmachen/meine-daten/[^/\s\"<>]+/")


# --- the privacy page -------------------------------------------------------------------------------------


def test_every_participation_model_and_field_has_a_purpose():
    participation_models = set(apps.get_app_config("participation").get_models())
    assert participation_models == set(privacy.INVENTORY)
    assert privacy.missing_purposes() == []


def test_a_field_without_purpose_is_found(monkeypatch):
    purposes = dict(privacy.INVENTORY[Participant])
    del purposes["last_active_at"]
    monkeypatch.setitem(privacy.INVENTORY, Participant, purposes)
    assert privacy.missing_purposes() == ["participation.Participant.last_active_at"]


class _Tables(HTMLParser):
    """Visible text of each ``data-model`` block of the privacy page, and the text of its rows by field name."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.models: dict[str, list[str]] = {}
        self.rows: dict[tuple[str, str], list[str]] = {}
        self._model = ""
        self._field = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("data-model"):
            self._model = values["data-model"] or ""
            self.models[self._model] = []
        if tag == "tr" and values.get("data-field") and self._model:
            self._field = values["data-field"] or ""
            self.rows[(self._model, self._field)] = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._field = ""
        if tag == "table":
            self._model = ""

    def handle_data(self, data: str) -> None:
        if self._model:
            self.models[self._model].append(data)
        if self._field:
            self.rows[(self._model, self._field)].append(data)


def test_privacy_page_lists_every_stored_field_with_its_purpose_and_the_configured_numbers(client, settings, db):
    settings.PARTICIPATION_UNCONFIRMED_DAYS = 9
    settings.PARTICIPATION_RETENTION_DAYS = 400
    settings.PARTICIPATION_RATE_WINDOW_MINUTES = 45
    settings.PARTICIPATION_MYDATA_LINK_HOURS = 36
    settings.PARTICIPATION_JOB_RESULT_DAYS = 5
    settings.WERKSTATT_PRIVACY_CONTACT = "datenschutz@lausitz.example"
    response = client.get(reverse("participation:privacy"))
    assert response.status_code == 200
    html = response.content.decode()
    tables = _Tables()
    tables.feed(html)
    for model, purposes in privacy.INVENTORY.items():
        key = model._meta.model_name
        block = " ".join(tables.models[key])
        assert str(model._meta.verbose_name_plural) in block
        for field in model._meta.concrete_fields:
            row = re.sub(r"\s+", " ", " ".join(tables.rows[(key, field.name)])).strip()
            assert row == f"{field.verbose_name} {purposes[field.name]}", (key, field.name)
    text = visible_text(html)
    assert "nach 9 Tagen" in text
    assert "nach 400 Tagen ohne Aktivität" in text
    assert "nach 45 Minuten" in text
    assert "gilt 36 Stunden" in text
    assert "nach 5 Tagen" in text
    assert "Art. 6 Abs. 1 Buchstabe a DSGVO" in text and "Art. 6 Abs. 1 Buchstabe e DSGVO" in text
    assert 'href="mailto:datenschutz@lausitz.example"' in html
    assert "csrftoken" in text and "Tracking" in text


def test_privacy_page_names_the_retention_period_in_years(client, db):
    text = visible_text(client.get(reverse("participation:privacy")).content.decode())
    assert "nach 730 Tagen (2 Jahren) ohne Aktivität" in text


def test_the_privacy_contact_defaults_to_the_sender_address():
    from django.conf import settings

    assert settings.WERKSTATT_PRIVACY_CONTACT == settings.DEFAULT_FROM_EMAIL


def test_public_pages_set_no_cookie_but_the_csrf_cookie_on_forms(client, db):
    """What the privacy page says about cookies is what the site does."""
    for name in ("participation:overview", "participation:privacy", "portal:home"):
        assert dict(client.get(reverse(name)).cookies) == {}, name
    assert set(client.get(reverse("participation:mydata-request")).cookies) == {"csrftoken"}


# --- the overview and the navigation ----------------------------------------------------------------------


def test_overview_links_every_way_to_take_part(client, db):
    response = client.get(reverse("participation:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    links = re.findall(r'<a class="kern-link" href="(/[^"]*)">', html.split('id="angebote"')[1].split("</section>")[0])
    assert links == [
        reverse("participation:idea-create"),
        reverse("participation:idea-create-young"),
        reverse("participation:idea-list"),
        reverse("participation:subscribe") + "?thema=neuigkeiten",
        reverse("participation:mydata-request"),
        reverse("participation:privacy"),
    ]
    for link in links:
        assert client.get(link).status_code == 200, link


def test_navigation_and_footer_lead_to_the_participation(client, db):
    html = client.get(reverse("portal:home")).content.decode()
    nav = html.split('aria-label="Hauptnavigation"')[1].split("</nav>")[0]
    assert f'href="{reverse("participation:overview")}"' in nav and "Mitmachen" in nav
    footer = html.split('<footer class="site-footer">')[1]
    assert f'href="{reverse("participation:privacy")}"' in footer and "Datenschutz" in footer
    assert f'href="{reverse("participation:mydata-request")}"' in footer and "Meine Daten" in footer
    overview = client.get(reverse("participation:overview")).content.decode()
    assert f'href="{reverse("participation:overview")}" aria-current="page"' in overview


# --- "Meine Daten": the request ---------------------------------------------------------------------------


def test_known_and_unknown_address_get_the_same_answer_and_only_the_known_one_a_mail(
    client, alice, run_jobs, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("participation:mydata-request")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": ALICE.upper()})
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(url, {"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert visible_text(known.content.decode()) == visible_text(unknown.content.decode())
    assert "Wenn zu dieser Adresse etwas gespeichert ist" in visible_text(known.content.decode())
    assert run_jobs() == 1
    assert len(mailoutbox) == 1
    parsed, text, html = _parse(mailoutbox[0])
    assert parsed["To"] == ALICE.lower()
    assert parsed["Subject"] == "Ihre Daten in der Werkstatt Lausitz"
    assert "Der Link gilt 24 Stunden." in text
    [text_link] = MYDATA_LINK.findall(text)
    assert [text_link] == [link for link in MYDATA_LINK.findall(html) if link == text_link]
    response = client.get(urlsplit(text_link).path)
    assert response.status_code == 200
    page = visible_text(response.content.decode())
    assert ALICE.lower() in page and "Idee A" in page and "Idee B" not in page


def test_the_mail_job_sends_nothing_for_a_deleted_participant(alice, mailoutbox):
    pk = alice["participant"].pk
    alice["participant"].delete()
    assert send_mydata_link.call(pk) is False
    assert mailoutbox == []


def test_a_flood_of_requests_is_refused_in_german_without_mail(
    client, alice, run_jobs, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("participation:mydata-request")
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, {"email": ALICE}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(url, {"email": ALICE})
    assert refused.status_code == 400
    assert "zu viele Einsendungen" in visible_text(refused.content.decode())
    assert run_jobs() == 3
    assert len(mailoutbox) == 3
    # Other addresses from the same IP address: refused once the IP's limit (10) is used up.
    for number in range(7):
        assert client.post(url, {"email": f"person{number}@example.org"}).status_code == 200
    assert client.post(url, {"email": "noch-jemand@example.org"}).status_code == 400


def test_the_honeypot_refuses_the_request_and_counts_nothing(client, alice, run_jobs, mailoutbox):
    response = client.post(reverse("participation:mydata-request"), {"email": ALICE, "website": "http://spam"})
    assert response.status_code == 400
    assert "Ihre Einsendung konnte nicht angenommen werden" in visible_text(response.content.decode())
    assert not RateLimitHit.objects.filter(scope="mydata").exists()
    assert run_jobs() == 0 and mailoutbox == []


def test_a_bad_address_gets_a_german_message(client, db):
    response = client.post(reverse("participation:mydata-request"), {"email": "kein-at-zeichen"})
    assert response.status_code == 400
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an" in visible_text(response.content.decode())


# --- "Meine Daten": the links -----------------------------------------------------------------------------


def _old_token(pk: int, hours: int) -> str:
    class Earlier(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - hours * 3600)

    return Earlier(salt=MYDATA).sign_object(pk, compress=True)


@pytest.mark.parametrize("name", ["participation:mydata", "participation:mydata-export", "participation:mydata-delete"])
def test_forged_expired_and_foreign_links_show_nothing(client, alice, name):
    pk = alice["participant"].pk
    good = mydata_token(pk)
    cases = {
        good[:-3] + "xyz": "Dieser Link ist ungültig",
        _old_token(pk, hours=25): "Dieser Link ist abgelaufen: Er gilt 24 Stunden.",
        confirmation_token("idea", pk): "Dieser Link ist ungültig",
    }
    assert client.get(reverse(name, args=[_old_token(pk, hours=23)])).status_code == 200
    for token, message in cases.items():
        for method in ("get", "post"):
            response = getattr(client, method)(reverse(name, args=[token]))
            assert response.status_code == 400, (token, method)
            text = visible_text(response.content.decode())
            assert message in text
            assert ALICE.lower() not in text and "Idee A" not in text
    assert Participant.objects.filter(pk=pk).exists()


def test_mydata_page_shows_everything_about_the_address_and_nothing_else(client, alice, bob):
    response = client.get(_mydata_url(alice["participant"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = visible_text(response.content.decode())
    for expected in (
        ALICE.lower(),
        "Idee A",
        "Stand: eingegangen",
        "plan-A.pdf",
        "Kommentar A zum Projekt",
        "Stand: veröffentlicht",
        "Kommentar A zum Protokoll",
        "Stand: wartet auf Freigabe",
        "angezeigter Name: Name A",
        "Neuigkeiten Häufigkeit: sofort",
        "bestätigt: noch nicht",
    ):
        assert expected in text, expected
    assert "Landkreis: " + str(alice["subscriptions"][0].district) in text
    assert BOB not in text and "Idee B" not in text and "Kommentar B" not in text


def test_export_is_a_sorted_json_download_of_the_address_only(client, alice, bob):
    response = client.get(_mydata_url(alice["participant"], "participation:mydata-export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="meine-daten-werkstatt.json"'
    raw = response.content.decode()
    data = json.loads(raw)
    assert raw == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert data["teilnehmende_person"]["email"] == ALICE.lower()
    assert [idea["titel"] for idea in data["ideen"]] == ["Idee A"]
    assert data["ideen"][0]["anhang"] == "plan-A.pdf"
    assert [c["text"] for c in data["kommentare"]] == ["Kommentar A zum Projekt", "Kommentar A zum Protokoll"]
    assert [s["thema"] for s in data["abonnements"]] == ["Landkreis", "Neuigkeiten"]
    assert data["abonnements"][1]["bestaetigt"] is None
    stamp = data["kommentare"][0]["veroeffentlicht"]
    assert dt.datetime.fromisoformat(stamp) == alice["comments"][0].published_at
    for absent in (BOB, "Idee B", "Kommentar B", "Projekt B"):
        assert absent.lower() not in raw.lower()


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)


def _occurrences(needles: list[str]) -> list[str]:
    """``table.field`` of every stored value, in any table of the installation, that contains one of the needles."""
    found = []
    lowered = [needle.lower() for needle in needles]
    for model in apps.get_models(include_auto_created=True):
        names = [field.attname for field in model._meta.concrete_fields if isinstance(field, TEXT_FIELDS)]
        if not names:
            continue
        for row in model._default_manager.values_list(*names):
            for name, value in zip(names, row, strict=True):
                text = (json.dumps(value) if not isinstance(value, str) else value).lower()
                found += [f"{model._meta.db_table}.{name}" for needle in lowered if needle in text]
    return found


def test_deleting_leaves_nothing_about_the_address_in_any_table(
    client, alice, bob, office_user, run_jobs, mailoutbox, django_capture_on_commit_callbacks
):
    # The address's mail job ran and left its result row in the queue table.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("participation:mydata-request"), {"email": ALICE})
    assert run_jobs() == 1
    official = Comment.objects.create(
        project=alice["comments"][0].project,
        user=office_user,
        body="Offizielle Antwort",
        is_official=True,
        reply_to=alice["comments"][0],
        confirmed_at=timezone.now(),
    )
    needles = [ALICE, abuse.hashed_key("email", ALICE)]
    assert _occurrences(needles)  # the scan finds the address while it is stored
    token = mydata_token(alice["participant"].pk)

    confirm_page = client.get(reverse("participation:mydata-delete", args=[token]))
    assert confirm_page.status_code == 200
    assert "Jetzt endgültig löschen" in visible_text(confirm_page.content.decode())
    assert Participant.objects.filter(email=ALICE.lower()).exists()  # GET deletes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("participation:mydata-delete", args=[token]))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Gelöscht: Ihre E-Mail-Adresse, 1 Idee(n), 2 Kommentar(e) und 2 Abonnement(s)." in text

    assert _occurrences(needles) == []
    assert not Idea.objects.filter(pk=alice["idea"].pk).exists()
    assert not Comment.objects.filter(pk__in=[c.pk for c in alice["comments"]] + [official.pk]).exists()
    assert not CommentReport.objects.filter(reason="Meldung zu A").exists()
    assert not default_storage.exists(alice["file"])
    # The other address keeps everything.
    assert default_storage.exists(bob["file"])
    assert Idea.objects.filter(participant=bob["participant"]).count() == 1
    assert Comment.objects.filter(participant=bob["participant"]).count() == 2
    assert Subscription.objects.filter(participant=bob["participant"]).count() == 2
    assert CommentReport.objects.filter(reason="Meldung zu B").exists()
    assert RateLimitHit.objects.filter(key=abuse.hashed_key("email", BOB)).exists()

    for name in ("participation:mydata", "participation:mydata-export", "participation:mydata-delete"):
        gone = client.get(reverse(name, args=[token]))
        assert gone.status_code == 410
        assert "Zu diesem Link sind keine Daten mehr gespeichert." in visible_text(gone.content.decode())
    assert client.post(reverse("participation:mydata-delete", args=[token])).status_code == 410


def test_a_failed_deletion_keeps_the_files(alice, monkeypatch):
    """Files are removed only after the commit: a deletion that fails keeps rows and files together."""
    from werkstatt.participation.services import privacy as service

    def broken(*, email: str) -> int:
        raise RuntimeError("Datenbank weg")

    monkeypatch.setattr(service.abuse, "rate_limit_forget", broken)
    with pytest.raises(RuntimeError):
        service.participant_erase(participant=alice["participant"])
    assert Idea.objects.filter(pk=alice["idea"].pk).exists()
    assert default_storage.exists(alice["file"])


# --- retention ----------------------------------------------------------------------------------------------


def _ago(**delta: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


def test_retention_deletes_exactly_what_is_due(workshop4, run_jobs, django_capture_on_commit_callbacks):
    project = ProjectFactory(lead_workshop=workshop4, body=workshop4.body)
    # Never confirmed, 8 days old: everything goes, the address too.
    stale = _participant("alt@example.org", confirmed=False)
    stale_idea = Idea.objects.create(workshop=workshop4, title="Alt", description="x", participant=stale)
    stale_idea.attachment.save("alt.pdf", ContentFile(b"%PDF alt"), save=True)
    stale_file = stale_idea.attachment.name
    Comment.objects.create(project=project, participant=stale, body="alt")
    Subscription.objects.create(participant=stale, topic=SubscriptionTopic.NEWS)
    # Never confirmed, 3 days old: stays.
    fresh = _participant("neu@example.org", confirmed=False)
    fresh_idea = Idea.objects.create(workshop=workshop4, title="Neu", description="x", participant=fresh)
    # Confirmed and active, with one old unconfirmed subscription: only that goes.
    active = _participant("aktiv@example.org")
    active_idea = Idea.objects.create(
        workshop=workshop4, title="Aktiv", description="x", participant=active, confirmed_at=_ago(days=30)
    )
    active_sub = Subscription.objects.create(
        participant=active, topic=SubscriptionTopic.NEWS, confirmed_at=_ago(days=30)
    )
    active_stale_sub = Subscription.objects.create(
        participant=active, topic=SubscriptionTopic.WORKSHOP, workshop=workshop4
    )
    # Confirmed, inactive for longer than the retention time: the address and its subscriptions go, its
    # confirmed idea and published comment stay without address or name, its rejected comment goes.
    inactive = _participant("inaktiv@example.org")
    kept_idea = Idea.objects.create(
        workshop=workshop4,
        title="Bleibt",
        description="x",
        participant=inactive,
        confirmed_at=_ago(days=800),
        status=IdeaStatus.ANSWERED,
    )
    kept_comment = Comment.objects.create(
        project=project,
        participant=inactive,
        author_name="Ina Inaktiv",
        body="bleibt",
        confirmed_at=_ago(days=800),
        status=CommentStatus.PUBLISHED,
        published_at=_ago(days=799),
    )
    rejected = Comment.objects.create(
        project=project,
        participant=inactive,
        body="abgelehnt",
        confirmed_at=_ago(days=800),
        status=CommentStatus.REJECTED,
    )
    Subscription.objects.create(participant=inactive, topic=SubscriptionTopic.NEWS, confirmed_at=_ago(days=800))
    # A logged-in account's comment needs no mail confirmation: never deleted as unconfirmed.
    account_comment = Comment.objects.create(project=project, user=UserFactory(), body="Konto")
    # Rate-limit entries, one past the window; finished jobs, one older than 7 days.
    abuse.rate_limit_hit(scope="idea", ip="192.0.2.1", email="aktiv@example.org")
    abuse.rate_limit_hit(scope="idea", ip="192.0.2.2")
    RateLimitHit.objects.filter(key=abuse.hashed_key("ip", "192.0.2.2")).update(created_at=_ago(minutes=61))
    with django_capture_on_commit_callbacks(execute=True):
        send_mydata_link.enqueue(active.pk)
        send_mydata_link.enqueue(active.pk)
    assert run_jobs() == 2
    old_job = DBTaskResult.objects.order_by("pk").first()
    DBTaskResult.objects.filter(pk=old_job.pk).update(finished_at=_ago(days=8))  # type: ignore[union-attr]

    for row in (stale_idea,):
        Idea.objects.filter(pk=row.pk).update(created_at=_ago(days=8))
    Participant.objects.filter(pk=stale.pk).update(created_at=_ago(days=8))
    Comment.objects.filter(participant=stale).update(created_at=_ago(days=8))
    Subscription.objects.filter(participant=stale).update(created_at=_ago(days=8))
    Participant.objects.filter(pk=fresh.pk).update(created_at=_ago(days=3))
    Idea.objects.filter(pk=fresh_idea.pk).update(created_at=_ago(days=3))
    Subscription.objects.filter(pk=active_stale_sub.pk).update(created_at=_ago(days=8))
    Comment.objects.filter(pk=account_comment.pk).update(created_at=_ago(days=30))
    Participant.objects.filter(pk=active.pk).update(last_active_at=_ago(days=729))
    Participant.objects.filter(pk=inactive.pk).update(created_at=_ago(days=900), last_active_at=_ago(days=731))

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("participation_retention", stdout=out)
    assert out.getvalue().splitlines() == [
        "unbestätigte Ideen gelöscht: 1",
        "unbestätigte Kommentare gelöscht: 1",
        "unbestätigte Abonnements gelöscht: 2",
        "unbestätigte E-Mail-Adressen gelöscht: 1",
        "lange inaktive E-Mail-Adressen gelöscht (mit ihren Abonnements): 1",
        "Ideen dieser Adressen ohne Adresse behalten: 1",
        "veröffentlichte Kommentare dieser Adressen ohne Adresse und Namen behalten: 1",
        "nicht veröffentlichte Kommentare dieser Adressen gelöscht: 1",
        "Anhänge gelöscht: 1",
        "abgelaufene Einträge der Missbrauchsbegrenzung gelöscht: 1",
        "erledigte Hintergrundaufträge gelöscht: 1",
    ]
    assert set(Participant.objects.values_list("email", flat=True)) == {"neu@example.org", "aktiv@example.org"}
    assert not default_storage.exists(stale_file)
    assert set(Idea.objects.values_list("title", flat=True)) == {"Neu", "Aktiv", "Bleibt"}
    kept_idea.refresh_from_db()
    assert kept_idea.participant is None and kept_idea.status == IdeaStatus.ANSWERED
    kept_comment.refresh_from_db()
    assert kept_comment.participant is None and kept_comment.author_name == ""
    assert kept_comment.status == CommentStatus.PUBLISHED
    assert not Comment.objects.filter(pk=rejected.pk).exists()
    assert Comment.objects.filter(pk=account_comment.pk).exists()
    assert list(Subscription.objects.values_list("pk", flat=True)) == [active_sub.pk]
    assert Idea.objects.get(pk=active_idea.pk).participant_id == active.pk
    assert list(RateLimitHit.objects.values_list("key", flat=True)) != []
    assert not RateLimitHit.objects.filter(key=abuse.hashed_key("ip", "192.0.2.2")).exists()
    assert DBTaskResult.objects.count() == 1
    assert _occurrences(["inaktiv@example.org", "alt@example.org"]) == []

    # A second run finds nothing more to do.
    out = io.StringIO()
    call_command("participation_retention", stdout=out)
    assert all(line.endswith(": 0") for line in out.getvalue().splitlines())


# --- query counts -------------------------------------------------------------------------------------------


def test_pages_cost_a_fixed_number_of_queries(client, workshop4):
    first = _stored("eins@example.org", workshop4, tag="1")
    urls = {
        "overview": reverse("participation:overview"),
        "privacy": reverse("participation:privacy"),
        "mydata-request": reverse("participation:mydata-request"),
        "mydata": _mydata_url(first["participant"]),
        "mydata-delete": _mydata_url(first["participant"], "participation:mydata-delete"),
        "mydata-export": _mydata_url(first["participant"], "participation:mydata-export"),
    }
    before = {name: count_queries(client, url) for name, url in urls.items()}
    # More of everything for the same address.
    participant = first["participant"]
    for number in range(4):
        more = _stored(f"mehr{number}@example.org", workshop4, tag=f"m{number}")
        Idea.objects.filter(participant=more["participant"]).update(participant=participant)
        Comment.objects.filter(participant=more["participant"]).update(participant=participant)
        Subscription.objects.filter(participant=more["participant"]).update(participant=participant)
    after = {name: count_queries(client, url) for name, url in urls.items()}
    assert before == after
    assert after == {
        "overview": 0,
        "privacy": 0,
        "mydata-request": 0,
        "mydata": 4,
        "mydata-delete": 4,
        "mydata-export": 4,
    }


# --- no requests to other servers ---------------------------------------------------------------------------


class _Resources(HTMLParser):
    """Every address a page makes the browser load (scripts, styles, images, frames, media)."""

    LOADED = {
        "script": "src",
        "link": "href",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "video": "src",
        "audio": "src",
        "embed": "src",
        "object": "data",
    }

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        attribute = self.LOADED.get(tag)
        if attribute and values.get(attribute):
            self.urls.append(values[attribute] or "")
        if values.get("srcset"):
            self.urls += [part.strip().split(" ")[0] for part in (values["srcset"] or "").split(",")]
        if values.get("style") and "url(" in (values["style"] or ""):
            self.urls.append(values["style"] or "")


def _external(url: str) -> bool:
    parts = urlsplit(url)
    return (bool(parts.netloc) and parts.netloc != "testserver") or url.startswith("//")


def test_no_public_page_loads_anything_from_another_server(client, demo):
    alice = _stored(ALICE, Workshop.objects.get(number=4), tag="A")
    urls = {
        **demo_page_urls(),
        "map": reverse("portal:map"),
        "facts": reverse("portal:facts"),
        "search": reverse("portal:search") + "?q=Lausitz",
        "overview": reverse("participation:overview"),
        "privacy": reverse("participation:privacy"),
        "mydata-request": reverse("participation:mydata-request"),
        "mydata": _mydata_url(alice["participant"]),
        "mydata-delete": _mydata_url(alice["participant"], "participation:mydata-delete"),
    }
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        resources = _Resources()
        resources.feed(response.content.decode())
        assert resources.urls, name  # every page loads at least its style sheets
        assert [u for u in resources.urls if _external(u)] == [], name
