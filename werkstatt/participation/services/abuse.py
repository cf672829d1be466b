"""Abuse protection of the public forms, without any outside service: rate limits per address and per IP address,
and the checks of submitted text (size, links). The honeypot field is in ``werkstatt.participation.forms``.

The limits count rows of ``RateLimitHit``, which hold a keyed hash of the address, never the address itself;
they are kept for one rate window and then deleted by the retention job. Because they live in the database, the
limits hold across worker processes and app servers.
"""

import datetime as dt
import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkstatt.participation.models import RateLimitHit

URL_PATTERN = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def hashed_key(kind: str, value: str) -> str:
    """A keyed hash of an IP or e-mail address: the same address gives the same key, the key gives no address."""
    message = f"{kind}:{value.strip().lower()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.PARTICIPATION_RATE_WINDOW_MINUTES)


@transaction.atomic
def rate_limit_hit(*, scope: str, ip: str, email: str = "") -> None:
    """Count one submission of ``scope`` from ``ip`` (and ``email``), or refuse it with a German message when
    either has used up its limit within the window. A refused submission is not counted."""
    per_address, per_ip = settings.PARTICIPATION_RATE_LIMITS[scope]
    since = _window_start()
    keys = [(hashed_key("ip", ip), per_ip)]
    if email and per_address:
        keys.append((hashed_key("email", email), per_address))
    for key, limit in keys:
        used = RateLimitHit.objects.filter(scope=scope, key=key, created_at__gte=since).count()
        if used >= limit:
            minutes = settings.PARTICIPATION_RATE_WINDOW_MINUTES
            raise ValidationError(
                ngettext(
                    "Von dieser Adresse kamen in der letzten Minute zu viele Einsendungen. "
                    "Bitte versuchen Sie es später noch einmal.",
                    "Von dieser Adresse kamen in den letzten %(minutes)d Minuten zu viele Einsendungen. "
                    "Bitte versuchen Sie es später noch einmal.",
                    minutes,
                )
                % {"minutes": minutes},
                code="rate_limited",
            )
    RateLimitHit.objects.bulk_create([RateLimitHit(scope=scope, key=key) for key, _limit in keys])


def rate_limit_forget(*, email: str) -> int:
    """Delete the hashed rate-limit entries of an e-mail address (part of deleting "my data")."""
    deleted, _per_model = RateLimitHit.objects.filter(key=hashed_key("email", email)).delete()
    return deleted


def rate_limit_prune() -> int:
    """Delete the entries older than the rate window; returns how many."""
    deleted, _per_model = RateLimitHit.objects.filter(created_at__lt=_window_start()).delete()
    return deleted


def check_text(value: str, *, max_chars: int, max_links: int | None = None, label: str) -> str:
    """A submitted text, stripped, or ``ValidationError`` (German) when it is too long or has too many links.
    Text is stored as typed and always shown escaped: HTML in it is shown as text, never run."""
    text = value.replace("\r\n", "\n").strip()
    if len(text) > max_chars:
        raise ValidationError(
            _("%(label)s ist zu lang: höchstens %(max)s Zeichen, eingegeben wurden %(count)s.")
            % {"label": label, "max": f"{max_chars:,}".replace(",", "."), "count": f"{len(text):,}".replace(",", ".")},
            code="too_long",
        )
    if max_links is not None:
        links = len(URL_PATTERN.findall(text))
        if links > max_links:
            raise ValidationError(
                ngettext(
                    "%(label)s enthält %(count)d Links; erlaubt ist höchstens %(max)d.",
                    "%(label)s enthält %(count)d Links; erlaubt sind höchstens %(max)d.",
                    max_links,
                )
                % {"label": label, "count": links, "max": max_links},
                code="too_many_links",
            )
    return text
