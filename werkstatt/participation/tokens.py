"""Signed links in participation mails: confirm a submission, unsubscribe, open "my data".

A token is Django's signed value of a small payload, with a salt per purpose, so a link of one kind never works as
another. It carries primary keys only, never an address. Whether a confirmation link was already used is seen in
the state of what it confirms (``confirmed_at``), so a link works once.
"""

from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.utils.translation import gettext as _

CONFIRM = "werkstatt.participation.confirm"
UNSUBSCRIBE = "werkstatt.participation.unsubscribe"
MYDATA = "werkstatt.participation.mydata"


class TokenError(Exception):
    """A link that cannot be used; ``message`` says why, in German, for the page that shows it."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Confirmation:
    kind: str  # "idea", "comment" or "subscription"
    pk: int


def make_token(purpose: str, payload: Any) -> str:
    return signing.dumps(payload, salt=purpose, compress=True)


def read_token(
    purpose: str, token: str, *, max_age_seconds: int | None = None, expired_message: str | None = None
) -> Any:
    """The payload, or ``TokenError`` for a forged, damaged or expired link (``expired_message`` says how long
    such a link lasts and what to do now)."""
    try:
        return signing.loads(token, salt=purpose, max_age=max_age_seconds)
    except signing.SignatureExpired as exc:
        raise TokenError(expired_message or _("Dieser Link ist abgelaufen."), code="expired") from exc
    except signing.BadSignature as exc:
        raise TokenError(
            _("Dieser Link ist ungültig. Bitte prüfen Sie, ob er vollständig aus der E-Mail übernommen wurde."),
            code="invalid",
        ) from exc


def confirmation_token(kind: str, pk: int) -> str:
    return make_token(CONFIRM, [kind, pk])


def read_confirmation_token(token: str, *, max_age_seconds: int, expired_message: str | None = None) -> Confirmation:
    payload = read_token(CONFIRM, token, max_age_seconds=max_age_seconds, expired_message=expired_message)
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[1], int)):
        raise TokenError(_("Dieser Link ist ungültig."), code="invalid")
    return Confirmation(kind=str(payload[0]), pk=payload[1])


def unsubscribe_token(subscription_pks: list[int]) -> str:
    """One link for the subscriptions a mail was sent for; it never expires (every mail must keep working)."""
    return make_token(UNSUBSCRIBE, sorted(subscription_pks))


def read_unsubscribe_token(token: str) -> list[int]:
    payload = read_token(UNSUBSCRIBE, token)
    if not (isinstance(payload, list) and payload and all(isinstance(pk, int) for pk in payload)):
        raise TokenError(_("Dieser Abmeldelink ist ungültig."), code="invalid")
    return payload


def mydata_token(participant_pk: int) -> str:
    return make_token(MYDATA, participant_pk)


def read_mydata_token(token: str, *, max_age_seconds: int, expired_message: str | None = None) -> int:
    payload = read_token(MYDATA, token, max_age_seconds=max_age_seconds, expired_message=expired_message)
    if not isinstance(payload, int):
        raise TokenError(_("Dieser Link ist ungültig."), code="invalid")
    return payload
