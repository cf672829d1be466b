"""The weekly digest: a week of events of several kinds gives each subscriber exactly one mail listing exactly
their public events, grouped by subscription and each once; running it again sends nothing."""

import datetime as dt
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import MeetingFactory, ProjectFactory, ProjectStatusChangeFactory
from tests.subscriptions_support import (
    list_unsubscribe,
    parts,
    path_of,
    subject,
)
from werkstatt.geo.models import District
from werkstatt.meetings.services import minutes_publish
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.news.services import news_item_create
from werkstatt.participation.models import Event, Frequency, Participant, Subscription, SubscriptionTopic
from werkstatt.participation.services.subscriptions import digest_send
from werkstatt.participation.tokens import read_unsubscribe_token
from werkstatt.projects.models import MilestoneKind
from werkstatt.projects.services import milestone_save
from werkstatt.projects.workflow import ProjectState

pytestmark = [pytest.mark.django_db]

BASE = "http://127.0.0.1:8000"


def weekly(email: str, *, confirmed: bool = True, frequency: str = Frequency.WEEKLY, **target: Any) -> Subscription:
    participant, _ = Participant.objects.get_or_create(email=email)
    return Subscription.objects.create(
        participant=participant,
        frequency=frequency,
        confirmed_at=timezone.now() - dt.timedelta(days=8) if confirmed else None,
        **target,
    )


def listed(mail: Any) -> list[str]:
    """The event lines of a digest's text, in order."""
    return re.findall(r"^- (.+) \(\d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr\)$", parts(mail)["text/plain"], re.MULTILINE)


@pytest.fixture
def week(body, workshop4, workshop2, office_user) -> dict[str, Any]:
    """Subscribers with overlapping subscriptions, then a week of events of every kind."""
    district = District.objects.create(ags="12071", name="Spree-Neiße", kind="Landkreis")
    other_district = District.objects.create(ags="12052", name="Cottbus", kind="Kreisfreie Stadt")
    campus = ProjectFactory(body=body, lead_workshop=workshop2, district=district, title="Gesundheitscampus")
    quiet = ProjectFactory(body=body, lead_workshop=workshop2, district=other_district, title="Ruhiges Projekt")
    Event.objects.update(created_at=timezone.now() - dt.timedelta(days=20))  # before anybody subscribed
    subs = {
        "anna_w4": weekly("anna@example.org", topic=SubscriptionTopic.WORKSHOP, workshop=workshop4),
        "anna_news": weekly("anna@example.org", topic=SubscriptionTopic.NEWS),
        "ben_district": weekly("ben@example.org", topic=SubscriptionTopic.DISTRICT, district=district),
        "ben_campus": weekly("ben@example.org", topic=SubscriptionTopic.PROJECT, project=campus),
        "carl_w4": weekly("carl@example.org", topic=SubscriptionTopic.WORKSHOP, workshop=workshop4, confirmed=False),
        "dora_w4": weekly(
            "dora@example.org", topic=SubscriptionTopic.WORKSHOP, workshop=workshop4, frequency=Frequency.IMMEDIATE
        ),
        "emil_quiet": weekly("emil@example.org", topic=SubscriptionTopic.PROJECT, project=quiet),
    }
    session = MeetingFactory(workshop=workshop4, number=17, date=timezone.localdate() + dt.timedelta(days=20))
    held = MeetingFactory(
        workshop=workshop4,
        number=16,
        date=dt.date(2024, 1, 24),
        state=MeetingState.HELD,
        minutes_state=MinutesState.APPROVED,
    )
    minutes_publish(actor=None, meeting=held)
    new_project = ProjectFactory(body=body, lead_workshop=workshop4, district=district, title="Dorfladen")
    ProjectStatusChangeFactory(project=campus, from_state=ProjectState.FORWARDED, to_state=ProjectState.CONFIRMED)
    milestone_save(
        actor=office_user, project=campus, kind=MilestoneKind.FOUNDATION_STONE, actual_date=timezone.localdate()
    )
    hidden = ProjectFactory(body=body, lead_workshop=workshop4, district=district, public=False, title="Geheim")
    milestone_save(actor=office_user, project=hidden, kind=MilestoneKind.OPENING, actual_date=timezone.localdate())
    news = news_item_create(actor=None, body=body, title="Förderaufruf 2025", date=timezone.localdate(), published=True)
    return {
        "subs": subs,
        "session": session,
        "held": held,
        "new_project": new_project,
        "campus": campus,
        "news": news,
    }


def test_a_week_gives_one_correct_mail_per_subscriber_and_a_second_run_sends_nothing(week, mailoutbox):
    report = digest_send()

    assert sorted(m.to[0] for m in mailoutbox) == ["anna@example.org", "ben@example.org"]
    assert report.mails == 2
    anna = next(m for m in mailoutbox if m.to == ["anna@example.org"])
    ben = next(m for m in mailoutbox if m.to == ["ben@example.org"])
    today = timezone.localdate()

    assert subject(anna) == "Ihr Wochenüberblick: 4 Neuigkeiten"
    assert listed(anna) == [
        f"Neuer Sitzungstermin: 17. Sitzung der Werkstatt 4 am {week['session'].date:%d.%m.%Y}",
        "Protokoll veröffentlicht: 16. Sitzung der Werkstatt 4 vom 24.01.2024",
        "Neues Projekt: Dorfladen (Werkstatt 4, Spree-Neiße)",
        "Neuigkeit: Förderaufruf 2025",
    ]
    text, html = parts(anna)["text/plain"], parts(anna)["text/html"]
    assert text.index("== Werkstatt 4: Daseinsvorsorge") < text.index("== Neuigkeiten aus dem Werkstattprozess ==")
    for url in (
        f"{BASE}/sitzungen/{week['session'].pk}/",
        f"{BASE}/sitzungen/{week['held'].pk}/",
        f"{BASE}/projekte/{week['new_project'].pk}/",
        f"{BASE}/neuigkeiten/{week['news'].pk}/",
    ):
        assert url in text
        assert f'href="{url}"' in html
    token = path_of(list_unsubscribe(anna)).split("/")[-2]
    assert read_unsubscribe_token(token) == sorted([week["subs"]["anna_w4"].pk, week["subs"]["anna_news"].pk])

    # Ben follows the district and a project in it: the milestone of that project is listed once.
    assert subject(ben) == "Ihr Wochenüberblick: 3 Neuigkeiten"
    assert listed(ben) == [
        "Neues Projekt: Dorfladen (Werkstatt 4, Spree-Neiße)",
        f"Meilenstein erreicht: Grundsteinlegung am {today:%d.%m.%Y} – Projekt Gesundheitscampus",
        "Neuer Stand: durch die IMAG bestätigt – Projekt Gesundheitscampus",
    ]
    assert "Geheim" not in parts(ben)["text/plain"]
    assert "Geheim" not in parts(ben)["text/html"]

    subs = {key: Subscription.objects.get(pk=s.pk) for key, s in week["subs"].items()}
    assert subs["anna_w4"].last_sent_at is not None
    assert subs["carl_w4"].last_sent_at is None  # unconfirmed: nothing
    assert subs["dora_w4"].last_sent_at is None  # immediate: not part of the digest

    mailoutbox.clear()
    assert digest_send().mails == 0
    assert mailoutbox == []


def test_the_next_week_lists_only_what_is_new(week, body, mailoutbox):
    digest_send()
    mailoutbox.clear()

    news_item_create(actor=None, body=body, title="Zweiter Aufruf", date=timezone.localdate(), published=True)
    digest_send()

    [mail] = mailoutbox
    assert mail.to == ["anna@example.org"]
    assert subject(mail) == "Ihr Wochenüberblick: 1 Neuigkeit"
    assert listed(mail) == ["Neuigkeit: Zweiter Aufruf"]
    token = path_of(list_unsubscribe(mail)).split("/")[-2]
    assert read_unsubscribe_token(token) == [week["subs"]["anna_news"].pk]


def test_the_command_sends_the_digest_and_says_how_many(week, mailoutbox):
    out = StringIO()
    call_command("participation_digest", stdout=out)
    # Six events: Anna's four and Ben's three share the new project in his district.
    assert out.getvalue().strip() == "Wochenüberblick: 2 E-Mails versandt (6 Ereignisse)."

    out = StringIO()
    call_command("participation_digest", stdout=out)
    assert out.getvalue().strip() == "Wochenüberblick: 0 E-Mails versandt (0 Ereignisse)."
    assert len(mailoutbox) == 2


def test_unconfirmed_and_immediate_subscriptions_get_no_digest(workshop4, body, mailoutbox):
    weekly("carl@example.org", topic=SubscriptionTopic.NEWS, confirmed=False)
    weekly("dora@example.org", topic=SubscriptionTopic.NEWS, frequency=Frequency.IMMEDIATE)
    news_item_create(actor=None, body=body, title="Aufruf", date=timezone.localdate(), published=True)

    assert digest_send().mails == 0
    assert mailoutbox == []


def test_the_digest_queries_grow_with_addresses_not_with_events(workshop4, body, mailoutbox):
    from django.db import connection

    def run(events: int) -> int:
        Subscription.objects.all().delete()
        Event.objects.all().delete()
        for n in range(3):
            weekly(f"p{n}@example.org", topic=SubscriptionTopic.NEWS)
        for n in range(events):
            news_item_create(
                actor=None, body=body, title=f"Nachricht {events}-{n}", date=timezone.localdate(), published=True
            )
        with CaptureQueriesContext(connection) as queries:
            assert digest_send().mails == 3
        return len(queries.captured_queries)

    assert run(2) == run(12)
