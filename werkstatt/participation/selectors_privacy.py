"""Reads of "my data": who a "my data" link belongs to, and everything stored about that address."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from werkstatt.participation.models import Comment, Idea, Participant, Subscription
from werkstatt.participation.tokens import TokenError, read_mydata_token


def mydata_participant(token: str) -> Participant:
    """The participant of a "my data" link; ``TokenError`` (German) for a forged or expired link, or when nothing is
    stored any more about the address (deleted, by its owner or by the retention rules)."""
    pk = read_mydata_token(
        token,
        max_age_seconds=settings.PARTICIPATION_MYDATA_LINK_HOURS * 3600,
        expired_message=_(
            "Dieser Link ist abgelaufen: Er gilt %(hours)d Stunden. Bitte fordern Sie unter „Meine Daten“ "
            "einen neuen an."
        )
        % {"hours": settings.PARTICIPATION_MYDATA_LINK_HOURS},
    )
    participant = Participant.objects.filter(pk=pk).first()
    if participant is None:
        raise TokenError(_("Zu diesem Link sind keine Daten mehr gespeichert."), code="gone")
    return participant


@dataclass(frozen=True)
class StoredData:
    """Everything stored about one address."""

    participant: Participant
    ideas: list[Idea]
    comments: list[Comment]
    subscriptions: list[Subscription]


def mydata_for(participant: Participant) -> StoredData:
    """Three queries, whatever the amount."""
    return StoredData(
        participant=participant,
        ideas=list(
            Idea.objects.filter(participant=participant).select_related("workshop", "municipality").order_by("pk")
        ),
        comments=list(
            Comment.objects.filter(participant=participant)
            .select_related("project", "meeting__workshop")
            .order_by("pk")
        ),
        subscriptions=list(
            Subscription.objects.filter(participant=participant)
            .select_related("workshop", "project", "district")
            .order_by("pk")
        ),
    )


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def mydata_export(data: StoredData) -> dict[str, Any]:
    """The JSON export: every stored field of the address's rows, dates in ISO 8601, lists by number."""
    participant = data.participant
    return {
        "teilnehmende_person": {
            "email": participant.email,
            "erstmals_angegeben": _iso(participant.created_at),
            "bestaetigt": _iso(participant.confirmed_at),
            "zuletzt_aktiv": _iso(participant.last_active_at),
        },
        "ideen": [
            {
                "nummer": idea.pk,
                "werkstatt": str(idea.workshop),
                "titel": idea.title,
                "beschreibung": idea.description,
                "gemeinde": str(idea.municipality) if idea.municipality else None,
                "breite": str(idea.latitude) if idea.latitude is not None else None,
                "laenge": str(idea.longitude) if idea.longitude is not None else None,
                "anhang": idea.attachment_name or None,
                "von_kindern_oder_jugendlichen": idea.by_young_person,
                "eingereicht": _iso(idea.created_at),
                "bestaetigt": _iso(idea.confirmed_at),
                "stand": idea.get_status_display(),
                "antwort": idea.answer,
                "beantwortet": _iso(idea.answered_at),
            }
            for idea in data.ideas
        ],
        "kommentare": [
            {
                "nummer": comment.pk,
                "zu": str(comment.project or comment.meeting),
                "angezeigter_name": comment.author_name,
                "text": comment.body,
                "geschrieben": _iso(comment.created_at),
                "bestaetigt": _iso(comment.confirmed_at),
                "stand": comment.get_status_display(),
                "veroeffentlicht": _iso(comment.published_at),
                "grund_der_ablehnung": comment.rejection_reason,
            }
            for comment in data.comments
        ],
        "abonnements": [
            {
                "nummer": subscription.pk,
                "thema": subscription.get_topic_display(),
                "gegenstand": subscription_target(subscription),
                "haeufigkeit": subscription.get_frequency_display(),
                "angemeldet": _iso(subscription.created_at),
                "bestaetigt": _iso(subscription.confirmed_at),
                "zuletzt_benachrichtigt": _iso(subscription.last_sent_at),
            }
            for subscription in data.subscriptions
        ],
    }


def subscription_target(subscription: Subscription) -> str:
    target = subscription.workshop or subscription.project or subscription.district
    return str(target) if target is not None else _("alle Neuigkeiten")
