"""Subscriptions without an account: subscribe (double opt-in), confirm, unsubscribe, and the mails that tell
subscribers about events, immediately (``deliver_events``, a background job) or once a week (``digest_send``,
``bin/werkstatt participation-digest``).

Every mail goes to one address and carries one unsubscribe link (and the ``List-Unsubscribe`` header) for exactly
the subscriptions it was sent for. An event is told only if its object is public when the mail is made
(``selectors_subscriptions.events_public``), so nothing that was hidden in the meantime leaks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkstatt.core.dates import format_datetime
from werkstatt.core.services import save_validated
from werkstatt.participation.jobs import enqueue_after_commit
from werkstatt.participation.mail import absolute_url, confirmation_mail, participation_mail
from werkstatt.participation.models import Event, EventKind, Frequency, Participant, Subscription
from werkstatt.participation.selectors_subscriptions import (
    Target,
    events_between,
    events_public,
    events_undelivered,
    subscription_matches,
    subscription_target,
    subscriptions_matching,
    subscriptions_of_unsubscribe_token,
    subscriptions_weekly,
    subscriptions_with_targets,
)
from werkstatt.participation.services.participants import (
    Confirmed,
    gone,
    participant_mark_confirmed,
    participant_register,
)
from werkstatt.participation.tokens import unsubscribe_token

DELIVERY_BATCH = 200


def _frequency_sentence(frequency: str) -> str:
    if frequency == Frequency.WEEKLY:
        return _("einmal in der Woche als Überblick")
    return _("sofort bei jeder Neuigkeit")


# --- subscribe, confirm, unsubscribe -------------------------------------------------------------


@transaction.atomic
def subscription_request(*, topic: str, target: Target, frequency: str, email: str) -> Subscription:
    """Ask to follow ``target``; the address gets a confirmation link (double opt-in). The same request again
    does not add a row: an unconfirmed one gets its link once more, a confirmed one of the same frequency a mail
    saying so. Which of these happened is told only by mail, never to the page, which would otherwise reveal
    whether an address is subscribed. A confirmed subscription of another frequency is replaced when the new
    one is confirmed."""
    from werkstatt.participation.jobs.confirm import send_confirmation
    from werkstatt.participation.jobs.subscriptions import send_already_subscribed

    frequency = Frequency(frequency)
    participant = participant_register(email=email)
    same_target = list(
        Subscription.objects.select_for_update()
        .filter(
            participant=participant,
            topic=topic,
            workshop=target.workshop,
            project=target.project,
            district=target.district,
        )
        .order_by("pk")
    )
    for existing in same_target:
        if existing.confirmed_at is not None and existing.frequency == frequency:
            enqueue_after_commit(send_already_subscribed, existing.pk)
            return existing
    pending = [s for s in same_target if s.confirmed_at is None]
    if pending:
        subscription = pending[0]
        subscription.frequency = frequency
        subscription = save_validated(subscription, actor=None)
    else:
        subscription = save_validated(
            Subscription(
                participant=participant,
                topic=topic,
                workshop=target.workshop,
                project=target.project,
                district=target.district,
                frequency=frequency,
            ),
            actor=None,
        )
    enqueue_after_commit(send_confirmation, "subscription", subscription.pk)
    return subscription


def subscription_confirmation_mail(pk: int) -> EmailMultiAlternatives | None:
    """The double opt-in mail of subscription ``pk``; None when it is gone or already confirmed."""
    subscription = subscriptions_with_targets().filter(pk=pk, confirmed_at__isnull=True).first()
    if subscription is None:
        return None
    target = subscription_target(subscription)
    what = _("Sie möchten Benachrichtigungen zu „%(label)s“ erhalten, %(frequency)s.") % {
        "label": target.label,
        "frequency": _frequency_sentence(subscription.frequency),
    }
    return confirmation_mail(
        to=subscription.participant.email,
        kind="subscription",
        pk=subscription.pk,
        what=what,
        subject=_("Bitte bestätigen Sie Ihr Abonnement"),
    )


def subscription_already_mail(pk: int) -> EmailMultiAlternatives | None:
    """The mail for a request of a subscription the address already has; None when it is gone."""
    subscription = subscriptions_with_targets().filter(pk=pk, confirmed_at__isnull=False).first()
    if subscription is None:
        return None
    target = subscription_target(subscription)
    return participation_mail(
        to=subscription.participant.email,
        subject=_("Sie erhalten diese Benachrichtigungen bereits"),
        template="participation/subscriptions/mail/already",
        context={
            "label": target.label,
            "frequency": _frequency_sentence(subscription.frequency),
            "target_url": absolute_url(target.url),
        },
        unsubscribe_url=unsubscribe_url([subscription.pk]),
    )


@transaction.atomic
def subscription_confirm(pk: int) -> Confirmed:
    """Confirm subscription ``pk`` (the link of the opt-in mail); a second use confirms nothing again."""
    subscription = subscriptions_with_targets().select_for_update(of=("self",)).filter(pk=pk).first()
    if subscription is None:
        raise gone()
    target = subscription_target(subscription)
    if subscription.confirmed_at is not None:
        return Confirmed(
            message=_("Ihr Abonnement „%(label)s“ war schon bestätigt.") % {"label": target.label},
            url=target.url,
            already=True,
        )
    subscription.confirmed_at = timezone.now()
    subscription.save(update_fields=["confirmed_at"])
    # The same target at another frequency: the newly confirmed choice replaces it.
    Subscription.objects.filter(
        participant_id=subscription.participant_id,
        topic=subscription.topic,
        workshop=subscription.workshop,
        project=subscription.project,
        district=subscription.district,
    ).exclude(pk=subscription.pk).delete()
    participant_mark_confirmed(subscription.participant)
    return Confirmed(
        message=_("Ihr Abonnement ist bestätigt: Sie erhalten Benachrichtigungen zu „%(label)s“, %(frequency)s.")
        % {"label": target.label, "frequency": _frequency_sentence(subscription.frequency)},
        url=target.url,
    )


def unsubscribe_url(subscription_pks: list[int]) -> str:
    return absolute_url(reverse("participation:unsubscribe", args=[unsubscribe_token(subscription_pks)]))


@dataclass(frozen=True)
class Unsubscribed:
    """What an unsubscribe link cancelled: the labels of the subscriptions (empty: nothing was left)."""

    labels: list[str]


@transaction.atomic
def subscription_unsubscribe(*, token: str) -> Unsubscribed:
    """Cancel (delete) the subscriptions of an unsubscribe link; ``TokenError`` for a forged or damaged one.
    A link used before cancels nothing and says so."""
    subscriptions = subscriptions_of_unsubscribe_token(token)
    labels = [subscription_target(s).label for s in subscriptions]
    Subscription.objects.filter(pk__in=[s.pk for s in subscriptions]).delete()
    return Unsubscribed(labels=labels)


# --- telling subscribers -------------------------------------------------------------------------


def event_url(event: Event) -> str:
    """The absolute address of the page an event is about."""
    if event.kind in (EventKind.SESSION_PLANNED, EventKind.MINUTES_PUBLISHED) and event.meeting_id:
        return absolute_url(reverse("portal:meeting-detail", args=[event.meeting_id]))
    if event.kind == EventKind.NEWS_PUBLISHED and event.news_item_id:
        return absolute_url(reverse("portal:news-detail", args=[event.news_item_id]))
    if event.project_id:
        return absolute_url(reverse("portal:project-detail", args=[event.project_id]))
    return absolute_url("/")


def _event_mail(event: Event, subscriptions: list[Subscription]) -> EmailMultiAlternatives:
    target = subscription_target(subscriptions[0])
    return participation_mail(
        to=subscriptions[0].participant.email,
        subject=_("Neu %(where)s: %(title)s") % {"where": target.phrase, "title": event.title},
        template="participation/subscriptions/mail/event",
        context={
            "event": event,
            "event_url": event_url(event),
            "when": format_datetime(event.created_at),
            "labels": [subscription_target(s).label for s in subscriptions],
        },
        unsubscribe_url=unsubscribe_url([s.pk for s in subscriptions]),
    )


def _by_participant(subscriptions: list[Subscription]) -> dict[int, list[Subscription]]:
    grouped: dict[int, list[Subscription]] = defaultdict(list)
    for subscription in subscriptions:
        grouped[subscription.participant_id].append(subscription)
    return grouped


def deliver_events() -> int:
    """Tell the confirmed immediate subscribers about every undelivered event: one mail per address and event,
    whatever number of its subscriptions match, then mark the event delivered. An event whose object is not
    public (any more) is marked delivered without a mail. Returns the number of mails sent.

    Queries per batch do not depend on the number of subscribers: the events, three visibility checks, the
    matching subscriptions in one query, then one update per event and one for ``last_sent_at``."""
    sent = 0
    connection = get_connection()
    while True:
        with transaction.atomic():
            events = events_undelivered(limit=DELIVERY_BATCH)
            if not events:
                break
            public = events_public(events)
            told = [event for event in events if event.pk in public]
            subscriptions = subscriptions_matching(told, frequency=Frequency.IMMEDIATE) if told else []
            mailed: set[int] = set()
            for event in events:
                messages = []
                if event.pk in public:
                    matching = [s for s in subscriptions if subscription_matches(s, event)]
                    for own in _by_participant(matching).values():
                        messages.append(_event_mail(event, own))
                        mailed.update(s.pk for s in own)
                if messages:
                    sent += connection.send_messages(messages) or 0
                Event.objects.filter(pk=event.pk).update(delivered_at=timezone.now())
            if mailed:
                Subscription.objects.filter(pk__in=mailed).update(last_sent_at=timezone.now())
    return sent


@dataclass(frozen=True)
class DigestReport:
    mails: int
    events: int


def _digest_mail(participant: Participant, groups: list[tuple[Subscription, list[Event]]]) -> EmailMultiAlternatives:
    count = len({event.pk for _subscription, events in groups for event in events})
    sections = [
        {
            "label": subscription_target(subscription).label,
            "unsubscribe_url": unsubscribe_url([subscription.pk]),
            "events": [{"title": e.title, "url": event_url(e), "when": format_datetime(e.created_at)} for e in events],
        }
        for subscription, events in groups
    ]
    return participation_mail(
        to=participant.email,
        subject=ngettext(
            "Ihr Wochenüberblick: %(count)d Neuigkeit", "Ihr Wochenüberblick: %(count)d Neuigkeiten", count
        )
        % {"count": count},
        template="participation/subscriptions/mail/digest",
        context={"sections": sections, "count": count},
        unsubscribe_url=unsubscribe_url([subscription.pk for subscription, _events in groups]),
    )


def digest_send(*, now: dt.datetime | None = None) -> DigestReport:
    """The weekly digest: one mail per address with every public event since each of its weekly subscriptions
    was last sent (or confirmed), grouped by subscription, each event once; afterwards ``last_sent_at`` is
    ``now``, so running it again sends nothing new. An address with nothing to tell gets no mail."""
    now = now or timezone.now()
    subscriptions = subscriptions_weekly()
    if not subscriptions:
        return DigestReport(mails=0, events=0)
    since = min((s.last_sent_at or s.confirmed_at or now) for s in subscriptions)
    candidates = events_between(since, now)
    public = events_public(candidates)
    events = [event for event in candidates if event.pk in public]
    connection = get_connection()
    mails = 0
    told_events: set[int] = set()
    for own in _by_participant(subscriptions).values():
        told: set[int] = set()
        groups: list[tuple[Subscription, list[Event]]] = []
        for subscription in own:
            start = subscription.last_sent_at or subscription.confirmed_at or now
            mine = [
                e for e in events if e.created_at > start and e.pk not in told and subscription_matches(subscription, e)
            ]
            if mine:
                told.update(e.pk for e in mine)
                groups.append((subscription, mine))
        if groups:
            mails += connection.send_messages([_digest_mail(own[0].participant, groups)]) or 0
            told_events |= told
        Subscription.objects.filter(pk__in=[s.pk for s in own]).update(last_sent_at=now)
    return DigestReport(mails=mails, events=len(told_events))
