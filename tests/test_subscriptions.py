"""Subscribing without an account: the form, the double opt-in by mail, unsubscribing by page and by one click,
forged links, and bad input (German messages, nothing stored)."""

from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from tests.factories import ProjectFactory
from tests.pages import count_queries, visible_text
from tests.subscriptions_support import (
    links,
    list_unsubscribe,
    parsed,
    parts,
    path_of,
    subject,
)
from werkstatt.geo.models import District
from werkstatt.participation.models import Frequency, Participant, RateLimitHit, Subscription, SubscriptionTopic
from werkstatt.participation.tokens import UNSUBSCRIBE, unsubscribe_token

pytestmark = [pytest.mark.django_db]

SUBSCRIBE = reverse("participation:subscribe")


@pytest.fixture
def district() -> District:
    return District.objects.create(ags="12071", name="Spree-Neiße", name_dsb="Sprjewja-Nysa", kind="Landkreis")


def post_subscribe(
    client: Client,
    capture: Any,
    query: str,
    email: str = "anna@example.org",
    frequency: str = "immediate",
    **extra: str,
) -> Any:
    with capture(execute=True):
        return client.post(f"{SUBSCRIBE}?{query}", {"email": email, "frequency": frequency, "website": "", **extra})


def stored() -> tuple[int, int]:
    return Participant.objects.count(), Subscription.objects.count()


# --- the page ------------------------------------------------------------------------------------


def test_the_page_shows_the_topic_and_asks_only_for_frequency_and_address(client, workshop4):
    response = client.get(f"{SUBSCRIBE}?thema=werkstatt&id=4")

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Thema Werkstatt 4: Daseinsvorsorge" in text
    assert "neue Sitzungstermine, veröffentlichte Protokolle und neue Projekte der Werkstatt" in text
    form = response.context["form"]
    assert set(form.fields) == {"frequency", "email", "website"}


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("thema=verein&id=4", 400, "Dieses Thema gibt es nicht."),
        ("", 400, "Dieses Thema gibt es nicht."),
        ("thema=werkstatt&id=99", 404, "Eine Werkstatt mit dieser Nummer gibt es nicht."),
        ("thema=werkstatt&id=vier", 404, "Eine Werkstatt mit dieser Nummer gibt es nicht."),
        ("thema=landkreis&id=99999", 404, "Einen Landkreis oder eine kreisfreie Stadt mit diesem Schlüssel"),
        ("thema=landkreis&id=%3Cscript%3E", 404, "Einen Landkreis oder eine kreisfreie Stadt mit diesem Schlüssel"),
        ("thema=projekt&id=123456", 404, "Dieses Projekt gibt es nicht oder es ist nicht öffentlich."),
        ("thema=projekt&id=99999999999999999999", 404, "Dieses Projekt gibt es nicht oder es ist nicht öffentlich."),
    ],
)
def test_unknown_topics_and_targets_get_a_german_message_and_store_nothing(
    client, django_capture_on_commit_callbacks, workshop4, district, query, status, message
):
    assert client.get(f"{SUBSCRIBE}?{query}").status_code == status
    response = post_subscribe(client, django_capture_on_commit_callbacks, query)

    assert response.status_code == status
    assert message in visible_text(response.content.decode())
    assert stored() == (0, 0)


def test_a_non_public_project_cannot_be_subscribed_and_is_answered_as_unknown(
    client, django_capture_on_commit_callbacks, body
):
    hidden = ProjectFactory(body=body, public=False)

    response = post_subscribe(client, django_capture_on_commit_callbacks, f"thema=projekt&id={hidden.pk}")

    assert response.status_code == 404
    assert "Dieses Projekt gibt es nicht oder es ist nicht öffentlich." in visible_text(response.content.decode())
    assert stored() == (0, 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "keine-adresse"}, "Bitte geben Sie eine gültige E-Mail-Adresse an"),
        ({"email": ""}, "Bitte geben Sie Ihre E-Mail-Adresse an."),
        ({"frequency": "taeglich"}, "Bitte wählen Sie „sofort“ oder „einmal wöchentlich“."),
        ({"website": "http://spam.example"}, "Ihre Einsendung konnte nicht angenommen werden."),
    ],
)
def test_bad_form_input_gets_a_german_message_and_stores_nothing(
    client, django_capture_on_commit_callbacks, mailoutbox, run_jobs, workshop4, data, message
):
    response = post_subscribe(client, django_capture_on_commit_callbacks, "thema=werkstatt&id=4", **data)

    assert response.status_code == 422
    assert message in visible_text(response.content.decode())
    assert stored() == (0, 0)
    assert run_jobs() == 0
    assert mailoutbox == []


def test_a_flood_from_one_address_is_rate_limited(
    client, django_capture_on_commit_callbacks, settings, run_jobs, mailoutbox, workshop4
):
    settings.PARTICIPATION_RATE_LIMITS = {**settings.PARTICIPATION_RATE_LIMITS, "subscription": (3, 30)}
    for _ in range(3):
        assert post_subscribe(client, django_capture_on_commit_callbacks, "thema=werkstatt&id=4").status_code == 302
    before = stored()

    response = post_subscribe(client, django_capture_on_commit_callbacks, "thema=werkstatt&id=4")

    assert response.status_code == 422
    assert "zu viele Einsendungen" in visible_text(response.content.decode())
    assert stored() == before == (1, 1)
    assert RateLimitHit.objects.filter(scope="subscription").count() == 6  # three by address, three by IP
    run_jobs()
    assert len(mailoutbox) == 3  # the same request three times: the same subscription, its link three times


def test_the_subscribe_page_costs_the_same_queries_whatever_the_data(client, workshop4, body):
    url = f"{SUBSCRIBE}?thema=werkstatt&id=4"
    before = count_queries(client, url)
    project = ProjectFactory.create_batch(20, body=body, lead_workshop=workshop4)[0]
    assert count_queries(client, url) == before
    project_url = f"{SUBSCRIBE}?thema=projekt&id={project.pk}"
    assert count_queries(client, project_url) == before
    assert count_queries(client, f"{SUBSCRIBE}?thema=neuigkeiten") <= before
    assert before <= 2


# --- double opt-in ---------------------------------------------------------------------------------


def subscribe_and_confirm(client: Client, capture: Any, run_jobs: Any, mailoutbox: list[Any], query: str, **kw: str):
    response = post_subscribe(client, capture, query, **kw)
    assert response.status_code == 302
    assert response["Location"] == reverse("participation:subscribe-sent")
    run_jobs()
    mail = mailoutbox[-1]
    confirm = links(parts(mail)["text/plain"], "/mitmachen/bestaetigen/")[0]
    with capture(execute=True):
        result = client.post(path_of(confirm))
    assert result.status_code == 200
    return mail, confirm, result


def test_opt_in_mail_in_text_and_html_and_the_link_works_once(
    client, django_capture_on_commit_callbacks, run_jobs, mailoutbox, district
):
    response = post_subscribe(
        client, django_capture_on_commit_callbacks, "thema=landkreis&id=12071", frequency="weekly"
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Wir haben Ihnen eine E-Mail geschickt" in visible_text(page.content.decode())
    subscription = Subscription.objects.get()
    assert (subscription.topic, subscription.district, subscription.frequency) == ("district", district, "weekly")
    assert subscription.confirmed_at is None
    assert run_jobs() == 1

    [mail] = mailoutbox
    message = parsed(mail)
    assert message["To"] == "anna@example.org"
    assert subject(mail) == "Bitte bestätigen Sie Ihr Abonnement"
    assert message["List-Unsubscribe"] is None  # nothing subscribed yet
    text, html = parts(mail)["text/plain"], parts(mail)["text/html"]
    assert "Projekte in Spree-Neiße/Sprjewja-Nysa (Landkreis)" in text
    assert "einmal in der Woche als Überblick" in text
    [confirm] = links(text, "/mitmachen/bestaetigen/")
    assert confirm in html

    # GET shows a button and changes nothing (link scanners open links).
    assert client.get(path_of(confirm)).status_code == 200
    assert Subscription.objects.get().confirmed_at is None
    result = client.post(path_of(confirm))
    assert "Ihr Abonnement ist bestätigt" in visible_text(result.content.decode())
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert subscription.participant.confirmed_at is not None

    again = client.post(path_of(confirm))
    assert "war schon bestätigt" in visible_text(again.content.decode())
    assert Subscription.objects.get().confirmed_at == subscription.confirmed_at


def test_the_same_request_again_does_not_duplicate_and_only_the_mail_says_so(
    client, django_capture_on_commit_callbacks, run_jobs, mailoutbox, workshop4
):
    subscribe_and_confirm(client, django_capture_on_commit_callbacks, run_jobs, mailoutbox, "thema=werkstatt&id=4")
    first_page = client.get(reverse("participation:subscribe-sent")).content

    response = post_subscribe(
        client, django_capture_on_commit_callbacks, "thema=werkstatt&id=4", email="ANNA@example.org "
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("participation:subscribe-sent")  # the same page as for a new address
    assert client.get(response["Location"]).content == first_page
    assert stored() == (1, 1)
    run_jobs()
    notice = mailoutbox[-1]
    assert subject(notice) == "Sie erhalten diese Benachrichtigungen bereits"
    assert "Sie erhalten diese Benachrichtigungen bereits" in parts(notice)["text/plain"]
    assert list_unsubscribe(notice)  # it is about a subscription: it can be ended from here


def test_another_frequency_replaces_the_confirmed_one_once_confirmed(
    client, django_capture_on_commit_callbacks, run_jobs, mailoutbox, workshop4
):
    subscribe_and_confirm(client, django_capture_on_commit_callbacks, run_jobs, mailoutbox, "thema=werkstatt&id=4")
    post_subscribe(client, django_capture_on_commit_callbacks, "thema=werkstatt&id=4", frequency="weekly")
    assert Subscription.objects.count() == 2  # the immediate one stays until the weekly one is confirmed
    run_jobs()
    confirm = links(parts(mailoutbox[-1])["text/plain"], "/mitmachen/bestaetigen/")[0]

    client.post(path_of(confirm))

    assert list(Subscription.objects.values_list("frequency", flat=True)) == [Frequency.WEEKLY]


def test_a_confirmation_link_of_a_deleted_subscription_says_it_is_gone(
    client, django_capture_on_commit_callbacks, run_jobs, mailoutbox, workshop4
):
    post_subscribe(client, django_capture_on_commit_callbacks, "thema=werkstatt&id=4")
    run_jobs()
    confirm = links(parts(mailoutbox[-1])["text/plain"], "/mitmachen/bestaetigen/")[0]
    Subscription.objects.all().delete()

    response = client.post(path_of(confirm))

    assert response.status_code == 400
    assert "Zu diesem Link gibt es keine Einsendung mehr" in visible_text(response.content.decode())


# --- unsubscribe -----------------------------------------------------------------------------------


def confirmed_subscription(email: str = "anna@example.org", **target: Any) -> Subscription:
    from django.utils import timezone

    participant, _ = Participant.objects.get_or_create(email=email)
    return Subscription.objects.create(participant=participant, confirmed_at=timezone.now(), **target)


def test_unsubscribe_page_shows_what_is_cancelled_and_get_changes_nothing(client, workshop4):
    news = confirmed_subscription(topic=SubscriptionTopic.NEWS)
    workshop = confirmed_subscription(topic=SubscriptionTopic.WORKSHOP, workshop=workshop4)
    other = confirmed_subscription(email="ben@example.org", topic=SubscriptionTopic.NEWS)
    url = reverse("participation:unsubscribe", args=[unsubscribe_token([news.pk, workshop.pk])])

    page = client.get(url)

    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "diese 2 Abonnements ab" in text
    assert "Neuigkeiten aus dem Werkstattprozess" in text
    assert "Werkstatt 4: Daseinsvorsorge" in text
    assert "anna@example.org" not in text
    assert Subscription.objects.count() == 3

    done = client.post(url)

    assert done.status_code == 200
    assert "Sie erhalten keine Benachrichtigungen mehr zu" in visible_text(done.content.decode())
    assert list(Subscription.objects.all()) == [other]

    again = client.get(url)
    assert again.status_code == 200
    assert "Diese Benachrichtigungen sind schon abbestellt" in visible_text(again.content.decode())
    assert "schon abbestellt" in visible_text(client.post(url).content.decode())


def test_one_click_unsubscribe_needs_no_csrf_token(workshop4):
    subscription = confirmed_subscription(topic=SubscriptionTopic.WORKSHOP, workshop=workshop4)
    client = Client(enforce_csrf_checks=True)
    url = reverse("participation:unsubscribe", args=[unsubscribe_token([subscription.pk])])

    response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_the_subscribe_form_still_needs_its_csrf_token(workshop4):
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"{SUBSCRIBE}?thema=werkstatt&id=4", {"email": "anna@example.org", "frequency": "weekly"})

    assert response.status_code == 403
    assert stored() == (0, 0)


@pytest.mark.parametrize(
    "token",
    [
        "kaputt",
        unsubscribe_token([1])[:-3] + "abc",
        signing.dumps([1], salt="werkstatt.participation.confirm", compress=True),  # another kind of link
        signing.dumps("alle", salt=UNSUBSCRIBE, compress=True),
    ],
)
def test_forged_or_damaged_unsubscribe_links_change_nothing(client, workshop4, token):
    confirmed_subscription(topic=SubscriptionTopic.WORKSHOP, workshop=workshop4)
    url = reverse("participation:unsubscribe", args=[token])

    for response in (
        client.get(url),
        client.post(url),
        client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"),
    ):
        assert response.status_code == 400
        text = visible_text(response.content.decode())
        assert "ungültig" in text
        assert "Es wurde nichts abbestellt." in text
    assert Subscription.objects.count() == 1


def test_the_unsubscribe_page_costs_the_same_queries_whatever_the_number_of_subscriptions(client, workshop4, body):
    def url_for(count: int) -> str:
        pks = [confirmed_subscription(topic=SubscriptionTopic.NEWS).pk for _ in range(count)]
        return reverse("participation:unsubscribe", args=[unsubscribe_token(pks)])

    assert count_queries(client, url_for(1)) == count_queries(client, url_for(15))
