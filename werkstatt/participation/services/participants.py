"""The participant: an e-mail address, registered when it first submits or subscribes something."""

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkstatt.participation.models import Participant
from werkstatt.participation.tokens import Confirmation, TokenError, read_confirmation_token


def normalise_email(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def participant_register(*, email: str) -> Participant:
    """The participant of ``email``, created if new; its last activity is now."""
    participant, created = Participant.objects.select_for_update().get_or_create(email=normalise_email(email))
    if not created:
        participant.last_active_at = timezone.now()
        participant.save(update_fields=["last_active_at"])
    return participant


def participant_mark_confirmed(participant: Participant) -> None:
    """The address answered a confirmation link: it is confirmed and active now."""
    now = timezone.now()
    participant.last_active_at = now
    fields = ["last_active_at"]
    if participant.confirmed_at is None:
        participant.confirmed_at = now
        fields.append("confirmed_at")
    participant.save(update_fields=fields)


@dataclass(frozen=True)
class Confirmed:
    """What a confirmation link did, for the page that follows it."""

    message: str
    url: str
    already: bool = False


# What each kind of confirmation link confirms: a function ``(pk: int) -> Confirmed`` that sets ``confirmed_at``
# (and raises ``TokenError`` when the row is gone). Looked up by name so the services of each kind stay apart.
CONFIRM_HANDLERS = {
    "idea": "werkstatt.participation.services.ideas.idea_confirm",
    "comment": "werkstatt.participation.services.comments.comment_confirm",
    "subscription": "werkstatt.participation.services.subscriptions.subscription_confirm",
}


def confirmation_max_age() -> int:
    return settings.PARTICIPATION_UNCONFIRMED_DAYS * 24 * 3600


def confirmation_read(token: str) -> Confirmation:
    """What a confirmation link confirms; ``TokenError`` (German) for a forged, damaged or expired link."""
    return read_confirmation_token(
        token,
        max_age_seconds=confirmation_max_age(),
        expired_message=_(
            "Dieser Bestätigungslink ist abgelaufen: Er gilt %(days)d Tage. Unbestätigte Einsendungen "
            "werden danach gelöscht; bitte senden Sie Ihre Einsendung noch einmal."
        )
        % {"days": settings.PARTICIPATION_UNCONFIRMED_DAYS},
    )


@transaction.atomic
def confirmation_use(*, token: str) -> Confirmed:
    """Follow a confirmation link. Forged or expired links raise ``TokenError``; a link already used confirms
    nothing again and says so."""
    confirmation = confirmation_read(token)
    path = CONFIRM_HANDLERS.get(confirmation.kind)
    if path is None:
        raise TokenError(_("Dieser Link ist ungültig."), code="invalid")
    module_name, function_name = path.rsplit(".", 1)
    handler = getattr(import_module(module_name), function_name)
    result: Confirmed = handler(confirmation.pk)
    return result


def gone() -> TokenError:
    """The error for a confirmation link whose submission no longer exists."""
    return TokenError(
        _(
            "Zu diesem Link gibt es keine Einsendung mehr. Unbestätigte Einsendungen werden nach %(days)d Tagen "
            "gelöscht, und gelöschte Daten lassen sich nicht wieder bestätigen."
        )
        % {"days": settings.PARTICIPATION_UNCONFIRMED_DAYS},
        code="gone",
    )
