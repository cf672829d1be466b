"""Events recorded from the writes (once per write), and the immediate mails to subscribers: one per address and
event, with a working List-Unsubscribe, never about anything that is not public, at a query count that does not
grow with the number of subscribers."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import MeetingFactory, NewsItemFactory, ProjectFactory, ProjectStatusChangeFactory
from tests.subscriptions_support import (
    links,
    list_unsubscribe,
    parsed,
    parts,
    path_of,
    subject,
)
from werkstatt.demo.loader import demo_load
from werkstatt.geo.models import District
from werkstatt.meetings.services import minutes_publish
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.news.services import news_item_create
from werkstatt.participation import events as event_receivers
from werkstatt.participation.models import Event, EventKind, Frequency, Participant, Subscription, SubscriptionTopic
from werkstatt.participation.services.subscriptions import deliver_events
from werkstatt.participation.tokens import read_unsubscribe_token
from werkstatt.projects.models import Milestone, MilestoneKind
from werkstatt.projects.services import milestone_save
from werkstatt.projects.workflow import ProjectState

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def district() -> District:
    return District.objects.create(ags="12071", name="Spree-Neiße", name_dsb="Sprjewja-Nysa", kind="Landkreis")


def future(days: int = 30) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def subscribe(
    email: str, *, confirmed: bool = True, frequency: str = Frequency.IMMEDIATE, **target: Any
) -> Subscription:
    participant, _ = Participant.objects.get_or_create(email=email)
    return Subscription.objects.create(
        participant=participant,
        frequency=frequency,
        confirmed_at=timezone.now() - dt.timedelta(days=1) if confirmed else None,
        **target,
    )


def keys() -> list[str]:
    return list(Event.objects.order_by("pk").values_list("key", flat=True))


# --- recording ---------------------------------------------------------------------------------------


def test_a_new_session_is_recorded_once_and_a_new_date_once_more(workshop4):
    meeting = MeetingFactory(workshop=workshop4, number=17, date=future(30))
    meeting.save()
    meeting.save()

    assert keys() == [f"session:{meeting.pk}"]
    event = Event.objects.get()
    assert event.kind == EventKind.SESSION_PLANNED
    assert (event.workshop, event.meeting) == (workshop4, meeting)
    assert event.title == f"Neuer Sitzungstermin: 17. Sitzung der Werkstatt 4 am {future(30):%d.%m.%Y}"

    meeting.date = future(37)
    meeting.save()
    meeting.save()
    assert keys() == [f"session:{meeting.pk}", f"session:{meeting.pk}:{future(37).isoformat()}"]
    assert "findet jetzt am" in Event.objects.order_by("pk").last().title  # type: ignore[union-attr]


def test_past_and_cancelled_sessions_are_no_new_dates(workshop4):
    MeetingFactory(workshop=workshop4, date=dt.date(2024, 1, 24), state=MeetingState.HELD)
    MeetingFactory(workshop=workshop4, date=future(), state=MeetingState.CANCELLED)

    assert keys() == []


def test_published_minutes_are_recorded_once(workshop4):
    meeting = MeetingFactory(
        workshop=workshop4,
        number=16,
        date=dt.date(2024, 1, 24),
        state=MeetingState.HELD,
        minutes_state=MinutesState.APPROVED,
    )
    assert keys() == []

    minutes_publish(actor=None, meeting=meeting)
    meeting.refresh_from_db()
    meeting.save()

    assert keys() == [f"minutes:{meeting.pk}"]
    event = Event.objects.get()
    assert event.title == "Protokoll veröffentlicht: 16. Sitzung der Werkstatt 4 vom 24.01.2024"
    assert (event.kind, event.workshop, event.meeting) == (EventKind.MINUTES_PUBLISHED, workshop4, meeting)


def test_a_project_going_public_is_recorded_the_first_time_only(body, workshop4, district):
    project = ProjectFactory(
        body=body, lead_workshop=workshop4, district=district, public=False, title="Gesundheitscampus"
    )
    assert keys() == []

    project.public = True
    project.save()
    project.public = False
    project.save()
    project.public = True
    project.save()

    assert keys() == [f"project:{project.pk}"]
    event = Event.objects.get()
    assert event.title == "Neues Projekt: Gesundheitscampus (Werkstatt 4, Spree-Neiße/Sprjewja-Nysa)"
    assert (event.project, event.workshop, event.district) == (project, workshop4, district)


def test_state_changes_milestones_and_news_are_recorded_once_each(body, workshop4, district, office_user):
    project = ProjectFactory(body=body, lead_workshop=workshop4, district=district, title="Gesundheitscampus")
    first = ProjectStatusChangeFactory(project=project, from_state="", to_state=ProjectState.IDEA)
    change = ProjectStatusChangeFactory(
        project=project, from_state=ProjectState.FORWARDED, to_state=ProjectState.CONFIRMED
    )
    change.save()
    milestone = milestone_save(
        actor=office_user, project=project, kind=MilestoneKind.FOUNDATION_STONE, planned_date=future(60)
    )
    milestone_save(
        actor=office_user,
        project=project,
        milestone=milestone,
        kind=MilestoneKind.FOUNDATION_STONE,
        planned_date=future(60),
        note="Mit Bürgermeister",
    )
    milestone = Milestone.objects.get(pk=milestone.pk)
    done = timezone.localdate()
    milestone_save(
        actor=office_user, project=project, milestone=milestone, kind=MilestoneKind.FOUNDATION_STONE, actual_date=done
    )
    news = news_item_create(actor=None, body=body, title="Förderaufruf", date=done, published=False)
    news.published = True
    news.save()
    news.save()

    assert keys() == [
        f"project:{project.pk}",
        f"state:{change.pk}",
        f"milestone:{milestone.pk}:plan-{future(60).isoformat()}",
        f"milestone:{milestone.pk}:{done.isoformat()}",
        f"news:{news.pk}",
    ]
    assert first.pk  # the entry of the creation is not a step
    titles = dict(Event.objects.values_list("key", "title"))
    assert titles[f"state:{change.pk}"] == "Neuer Stand: durch die IMAG bestätigt – Projekt Gesundheitscampus"
    assert titles[f"milestone:{milestone.pk}:{done.isoformat()}"] == (
        f"Meilenstein erreicht: Grundsteinlegung am {done:%d.%m.%Y} – Projekt Gesundheitscampus"
    )
    assert titles[f"milestone:{milestone.pk}:plan-{future(60).isoformat()}"].startswith(
        "Neuer Meilenstein: Grundsteinlegung, geplant am"
    )
    milestone_event = Event.objects.get(key=f"milestone:{milestone.pk}:{done.isoformat()}")
    assert (milestone_event.project, milestone_event.district, milestone_event.workshop) == (project, district, None)
    assert Event.objects.get(kind=EventKind.NEWS_PUBLISHED).news_item == news


def test_a_transaction_enqueues_one_delivery_job_however_many_events(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        report = demo_load()

    assert report.total > 0
    assert Event.objects.count() >= 5  # news, minutes, projects of the demo
    pending = [callback for callback in callbacks if isinstance(callback, event_receivers._Pending)]
    assert len(pending) == 1
    assert len(pending[0].event_ids) == Event.objects.count()


def test_loading_the_demo_twice_records_nothing_new(demo):
    before = keys()
    demo_load()
    assert keys() == before


def test_a_rolled_back_write_records_nothing_and_enqueues_nothing(
    workshop4, run_jobs, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        MeetingFactory(workshop=workshop4, date=future())
        raise RuntimeError("abgebrochen")

    assert keys() == []
    assert run_jobs() == 0


# --- immediate mails -----------------------------------------------------------------------------------


def test_each_subscriber_gets_one_mail_per_event_with_a_working_one_click_unsubscribe(
    workshop4, workshop2, body, run_jobs, mailoutbox, django_capture_on_commit_callbacks
):
    anna_workshop = subscribe("anna@example.org", topic=SubscriptionTopic.WORKSHOP, workshop=workshop4)
    anna_news = subscribe("anna@example.org", topic=SubscriptionTopic.NEWS)
    subscribe("ben@example.org", topic=SubscriptionTopic.WORKSHOP, workshop=workshop4)
    subscribe("carl@example.org", topic=SubscriptionTopic.WORKSHOP, workshop=workshop4, confirmed=False)
    subscribe("dora@example.org", topic=SubscriptionTopic.WORKSHOP, workshop=workshop2)
    subscribe("emil@example.org", topic=SubscriptionTopic.WORKSHOP, workshop=workshop4, frequency=Frequency.WEEKLY)

    with django_capture_on_commit_callbacks(execute=True):
        meeting = MeetingFactory(workshop=workshop4, number=17, date=future(30))
        meeting.save()
    assert run_jobs() == 1

    assert sorted(m.to[0] for m in mailoutbox) == ["anna@example.org", "ben@example.org"]
    mail = next(m for m in mailoutbox if m.to == ["anna@example.org"])
    message = parsed(mail)
    assert subject(mail) == (
        f"Neu in Werkstatt 4: Neuer Sitzungstermin: 17. Sitzung der Werkstatt 4 am {future(30):%d.%m.%Y}"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = parts(mail)["text/plain"], parts(mail)["text/html"]
    page = f"http://127.0.0.1:8000/sitzungen/{meeting.pk}/"
    assert page in text
    assert f'href="{page}"' in html
    unsubscribe = list_unsubscribe(mail)
    assert unsubscribe in text
    assert read_unsubscribe_token(path_of(unsubscribe).split("/")[-2]) == [anna_workshop.pk]
    assert Event.objects.get().delivered_at is not None

    # The mail program's one click: a POST of the header's address, without a CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        path_of(unsubscribe), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert list(Subscription.objects.filter(participant__email="anna@example.org")) == [anna_news]

    # Nothing new: running again sends nothing.
    deliver_events()
    assert len(mailoutbox) == 2


def test_several_subscriptions_of_one_address_give_one_mail_covering_them(
    body, workshop4, district, office_user, run_jobs, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        project = ProjectFactory(body=body, lead_workshop=workshop4, district=district, title="Gesundheitscampus")
    run_jobs()  # told to nobody yet
    by_project = subscribe("anna@example.org", topic=SubscriptionTopic.PROJECT, project=project)
    by_district = subscribe("anna@example.org", topic=SubscriptionTopic.DISTRICT, district=district)

    with django_capture_on_commit_callbacks(execute=True):
        milestone_save(
            actor=office_user, project=project, kind=MilestoneKind.TOPPING_OUT, actual_date=timezone.localdate()
        )
    run_jobs()

    [mail] = mailoutbox
    assert subject(mail).startswith("Neu im Projekt „Gesundheitscampus“: Meilenstein erreicht: Richtfest am")
    text = parts(mail)["text/plain"]
    assert "Projekt „Gesundheitscampus“" in text
    assert "Projekte in Spree-Neiße/Sprjewja-Nysa (Landkreis)" in text
    token = path_of(list_unsubscribe(mail)).split("/")[-2]
    assert read_unsubscribe_token(token) == sorted([by_project.pk, by_district.pk])
    assert links(text, f"/projekte/{project.pk}/")


def test_events_of_non_public_projects_are_never_told(
    body, workshop4, district, office_user, run_jobs, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hidden = ProjectFactory(body=body, lead_workshop=workshop4, district=district, public=False)
        shown = ProjectFactory(body=body, lead_workshop=workshop4, district=district, title="Sichtbar")
    run_jobs()  # told to nobody yet
    subscribe("anna@example.org", topic=SubscriptionTopic.DISTRICT, district=district)
    subscribe("anna@example.org", topic=SubscriptionTopic.WORKSHOP, workshop=workshop4, frequency=Frequency.WEEKLY)
    ben = subscribe("ben@example.org", topic=SubscriptionTopic.PROJECT, project=shown)

    with django_capture_on_commit_callbacks(execute=True):
        milestone_save(actor=office_user, project=hidden, kind=MilestoneKind.OPENING, actual_date=timezone.localdate())
        ProjectStatusChangeFactory(project=hidden, from_state=ProjectState.FORWARDED, to_state=ProjectState.CONFIRMED)
        # Public when recorded, hidden before the mail goes out: not told either.
        ProjectStatusChangeFactory(project=shown, from_state=ProjectState.FORWARDED, to_state=ProjectState.CONFIRMED)
        shown.public = False
        shown.save()
    run_jobs()

    assert mailoutbox == []
    assert not Event.objects.filter(delivered_at__isnull=True).exists()
    assert Subscription.objects.get(pk=ben.pk).last_sent_at is None


def test_minutes_that_are_not_public_at_send_time_are_never_told(workshop4, run_jobs, mailoutbox):
    subscribe("anna@example.org", topic=SubscriptionTopic.WORKSHOP, workshop=workshop4)
    meeting = MeetingFactory(
        workshop=workshop4, date=dt.date(2024, 1, 24), state=MeetingState.HELD, minutes_state=MinutesState.APPROVED
    )
    minutes_publish(actor=None, meeting=meeting)
    # A repair in the database takes the publication back before the job runs.
    type(meeting).objects.filter(pk=meeting.pk).update(minutes_state=MinutesState.APPROVED)

    assert deliver_events() == 0
    assert mailoutbox == []
    assert Event.objects.get().delivered_at is not None


def test_news_subscribers_hear_of_published_news_only(body, run_jobs, mailoutbox, django_capture_on_commit_callbacks):
    subscribe("anna@example.org", topic=SubscriptionTopic.NEWS)

    with django_capture_on_commit_callbacks(execute=True):
        draft = news_item_create(actor=None, body=body, title="Entwurf", date=timezone.localdate())
        news = news_item_create(
            actor=None, body=body, title="Förderaufruf 2025", date=timezone.localdate(), published=True
        )
    run_jobs()

    [mail] = mailoutbox
    assert subject(mail) == "Neu im Werkstattprozess: Neuigkeit: Förderaufruf 2025"
    assert f"http://127.0.0.1:8000/neuigkeiten/{news.pk}/" in parts(mail)["text/plain"]
    assert not Event.objects.filter(news_item=draft).exists()


def test_the_delivery_queries_do_not_grow_with_the_number_of_subscribers(workshop4, mailoutbox):
    def deliver_with(subscribers: int) -> int:
        Subscription.objects.all().delete()
        for n in range(subscribers):
            subscribe(f"person{n}@example.org", topic=SubscriptionTopic.WORKSHOP, workshop=workshop4)
            subscribe(f"person{n}@example.org", topic=SubscriptionTopic.NEWS)
        MeetingFactory(workshop=workshop4, date=future(10 + subscribers))
        NewsItemFactory(body=workshop4.body)
        mailoutbox.clear()
        with CaptureQueriesContext(connection) as queries:
            deliver_events()
        assert len(mailoutbox) == 2 * subscribers
        return len(queries.captured_queries)

    assert deliver_with(2) == deliver_with(25)
