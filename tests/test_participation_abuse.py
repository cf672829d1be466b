"""Abuse protection of the public forms, without any outside service: rate limits per address and per IP address,
keyed hashes instead of addresses, size and link limits, the honeypot field, and signed links of one purpose."""

import datetime as dt
import re
import time

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from werkstatt.participation.forms import EmailForm, PublicForm
from werkstatt.participation.models import RateLimitHit
from werkstatt.participation.services import abuse
from werkstatt.participation.tokens import (
    CONFIRM,
    MYDATA,
    TokenError,
    confirmation_token,
    mydata_token,
    read_confirmation_token,
    read_mydata_token,
    read_unsubscribe_token,
    unsubscribe_token,
)


@pytest.fixture
def limits(settings):
    """Small limits: 2 per address, 4 per IP address within 30 minutes."""
    settings.PARTICIPATION_RATE_WINDOW_MINUTES = 30
    settings.PARTICIPATION_RATE_LIMITS = {**settings.PARTICIPATION_RATE_LIMITS, "idea": (2, 4), "report": (0, 2)}
    return settings


def _refused(**kwargs: str) -> str:
    with pytest.raises(ValidationError) as info:
        abuse.rate_limit_hit(scope="idea", **kwargs)
    assert info.value.code == "rate_limited"
    return info.value.messages[0]


# --- rate limits --------------------------------------------------------------------------------------------


def test_the_limit_per_address_holds_across_ip_addresses(limits, db):
    abuse.rate_limit_hit(scope="idea", ip="192.0.2.1", email="ida@example.org")
    abuse.rate_limit_hit(scope="idea", ip="192.0.2.2", email="IDA@example.org ")
    message = _refused(ip="192.0.2.3", email="ida@example.org")
    assert message == (
        "Von dieser Adresse kamen in den letzten 30 Minuten zu viele Einsendungen. "
        "Bitte versuchen Sie es später noch einmal."
    )
    # Another address from a fresh IP address is not affected.
    abuse.rate_limit_hit(scope="idea", ip="192.0.2.3", email="other@example.org")


def test_the_limit_per_ip_address_holds_across_addresses(limits, db):
    for number in range(4):
        abuse.rate_limit_hit(scope="idea", ip="198.51.100.7", email=f"person{number}@example.org")
    _refused(ip="198.51.100.7", email="new@example.org")
    _refused(ip="198.51.100.7")
    abuse.rate_limit_hit(scope="idea", ip="198.51.100.8", email="new@example.org")


def test_the_limits_are_per_form(limits, db):
    for _ in range(2):
        abuse.rate_limit_hit(scope="idea", ip="192.0.2.1", email="ida@example.org")
    _refused(ip="192.0.2.1", email="ida@example.org")
    abuse.rate_limit_hit(scope="comment", ip="192.0.2.1", email="ida@example.org")


def test_a_form_without_address_limit_counts_the_ip_address_only(limits, db):
    abuse.rate_limit_hit(scope="report", ip="192.0.2.9", email="ida@example.org")
    assert RateLimitHit.objects.filter(scope="report").count() == 1
    abuse.rate_limit_hit(scope="report", ip="192.0.2.9")
    with pytest.raises(ValidationError):
        abuse.rate_limit_hit(scope="report", ip="192.0.2.9")


def test_the_counts_start_again_after_the_window(limits, db):
    for _ in range(2):
        abuse.rate_limit_hit(scope="idea", ip="192.0.2.1", email="ida@example.org")
    _refused(ip="192.0.2.1", email="ida@example.org")
    RateLimitHit.objects.update(created_at=timezone.now() - dt.timedelta(minutes=31))
    abuse.rate_limit_hit(scope="idea", ip="192.0.2.1", email="ida@example.org")
    abuse.rate_limit_hit(scope="idea", ip="192.0.2.1", email="ida@example.org")
    _refused(ip="192.0.2.1", email="ida@example.org")


def test_refused_submissions_are_not_counted(limits, db):
    for _ in range(2):
        abuse.rate_limit_hit(scope="idea", ip="192.0.2.1", email="ida@example.org")
    rows = RateLimitHit.objects.count()
    for _ in range(5):
        _refused(ip="192.0.2.1", email="ida@example.org")
    assert RateLimitHit.objects.count() == rows
    # The IP address used 2 of its 4: a hammering address does not use up the IP's allowance.
    abuse.rate_limit_hit(scope="idea", ip="192.0.2.1", email="other@example.org")
    abuse.rate_limit_hit(scope="idea", ip="192.0.2.1", email="third@example.org")
    _refused(ip="192.0.2.1", email="fourth@example.org")


def test_the_minute_is_said_in_the_singular(limits, db):
    limits.PARTICIPATION_RATE_WINDOW_MINUTES = 1
    for _ in range(2):
        abuse.rate_limit_hit(scope="idea", ip="192.0.2.1", email="ida@example.org")
    assert _refused(ip="192.0.2.1", email="ida@example.org").startswith(
        "Von dieser Adresse kamen in der letzten Minute zu viele Einsendungen."
    )


def test_prune_and_forget(limits, db):
    abuse.rate_limit_hit(scope="idea", ip="192.0.2.1", email="ida@example.org")
    abuse.rate_limit_hit(scope="idea", ip="192.0.2.2", email="other@example.org")
    assert abuse.rate_limit_forget(email="IDA@example.org") == 1
    assert not RateLimitHit.objects.filter(key=abuse.hashed_key("email", "ida@example.org")).exists()
    assert abuse.rate_limit_prune() == 0
    RateLimitHit.objects.update(created_at=timezone.now() - dt.timedelta(minutes=31))
    assert abuse.rate_limit_prune() == 3
    assert RateLimitHit.objects.count() == 0


# --- keyed hashes ------------------------------------------------------------------------------------------


def test_stored_keys_are_keyed_hashes_that_contain_no_address(limits, db, settings):
    abuse.rate_limit_hit(scope="idea", ip="203.0.113.42", email="Ida.Ideenreich@example.org")
    keys = list(RateLimitHit.objects.values_list("key", flat=True))
    assert len(keys) == 2
    for key in keys:
        assert re.fullmatch(r"[0-9a-f]{64}", key)
        for part in ("ida", "ideenreich", "example", "203.0.113.42", "203", "113"):
            assert part not in key
    assert abuse.hashed_key("email", "Ida.Ideenreich@example.org") in keys
    assert abuse.hashed_key("ip", "203.0.113.42") in keys
    # Keyed: without the installation's secret, the same address gives another key.
    before = abuse.hashed_key("email", "ida.ideenreich@example.org")
    settings.SECRET_KEY = "another-installation-secret"
    assert abuse.hashed_key("email", "ida.ideenreich@example.org") != before
    # The kind is part of the key: an IP address and an e-mail address never share one.
    assert abuse.hashed_key("ip", "x") != abuse.hashed_key("email", "x")


# --- text checks -------------------------------------------------------------------------------------------


def test_check_text_accepts_up_to_the_limit_and_keeps_html_as_typed():
    text = "<script>alert(1)</script> " + "a" * 74
    assert abuse.check_text("  " + text + "\r\n", max_chars=100, label="Beschreibung") == text


def test_check_text_refuses_a_megabyte_in_german():
    with pytest.raises(ValidationError) as info:
        abuse.check_text("x" * 1_000_000, max_chars=5000, label="Beschreibung")
    assert info.value.code == "too_long"
    assert info.value.messages == ["Beschreibung ist zu lang: höchstens 5.000 Zeichen, eingegeben wurden 1.000.000."]


def test_check_text_limits_links():
    two = "Siehe https://example.org/a und www.example.org/b."
    assert abuse.check_text(two, max_chars=500, max_links=2, label="Kommentar") == two
    with pytest.raises(ValidationError) as info:
        abuse.check_text(two + " Und http://example.net/c", max_chars=500, max_links=2, label="Kommentar")
    assert info.value.code == "too_many_links"
    assert info.value.messages == ["Kommentar enthält 3 Links; erlaubt sind höchstens 2."]
    with pytest.raises(ValidationError) as info:
        abuse.check_text("https://example.org", max_chars=500, max_links=0, label="Titel")
    assert info.value.messages == ["Titel enthält 1 Links; erlaubt sind höchstens 0."]


# --- honeypot ----------------------------------------------------------------------------------------------


def test_the_honeypot_refuses_a_filled_trap_with_a_neutral_message():
    trapped = PublicForm({"website": "https://spam.example"})
    assert not trapped.is_valid()
    assert trapped.non_field_errors() == [
        "Ihre Einsendung konnte nicht angenommen werden. Bitte laden Sie die Seite neu."
    ]
    assert PublicForm({"website": ""}).is_valid()
    assert not EmailForm({"email": "ida@example.org", "website": "x"}).is_valid()
    form = EmailForm({"email": "ida@example.org"})
    assert form.is_valid()
    assert list(form.fields) == ["email", "website"]


# --- signed links ------------------------------------------------------------------------------------------


def _token_from(purpose: str, payload: object, *, hours_ago: int) -> str:
    class Earlier(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - hours_ago * 3600)

    return Earlier(salt=purpose).sign_object(payload, compress=True)


def _error(reader, token: str) -> TokenError:  # type: ignore[no-untyped-def]
    with pytest.raises(TokenError) as info:
        reader(token)
    return info.value


def test_forged_links_are_refused():
    token = mydata_token(7)
    assert read_mydata_token(token, max_age_seconds=3600) == 7
    for forged in (token[:-2] + "aa", token.replace(":", ";"), "", "abc", mydata_token(7) + "x"):
        error = _error(lambda t: read_mydata_token(t, max_age_seconds=3600), forged)
        assert error.code == "invalid"
        assert error.message.startswith("Dieser Link ist ungültig.")
    forged_with_other_key = signing.dumps(7, key="not-the-secret", salt=MYDATA, compress=True)
    assert _error(lambda t: read_mydata_token(t, max_age_seconds=3600), forged_with_other_key).code == "invalid"


def test_expired_links_are_refused():
    old = _token_from(MYDATA, 7, hours_ago=25)
    assert read_mydata_token(_token_from(MYDATA, 7, hours_ago=23), max_age_seconds=24 * 3600) == 7
    error = _error(lambda t: read_mydata_token(t, max_age_seconds=24 * 3600), old)
    assert (error.code, error.message) == ("expired", "Dieser Link ist abgelaufen.")
    old_confirmation = _token_from(CONFIRM, ["idea", 7], hours_ago=8 * 24)
    assert _error(lambda t: read_confirmation_token(t, max_age_seconds=7 * 24 * 3600), old_confirmation).code == (
        "expired"
    )


def test_a_link_of_one_purpose_never_works_for_another():
    confirm, mydata, unsubscribe = confirmation_token("idea", 7), mydata_token(7), unsubscribe_token([7])
    assert _error(lambda t: read_mydata_token(t, max_age_seconds=3600), confirm).code == "invalid"
    assert _error(lambda t: read_mydata_token(t, max_age_seconds=3600), unsubscribe).code == "invalid"
    assert _error(lambda t: read_confirmation_token(t, max_age_seconds=3600), mydata).code == "invalid"
    assert _error(lambda t: read_confirmation_token(t, max_age_seconds=3600), unsubscribe).code == "invalid"
    assert _error(read_unsubscribe_token, mydata).code == "invalid"
    assert _error(read_unsubscribe_token, confirm).code == "invalid"


def test_links_carry_no_address():
    token = mydata_token(7)
    assert signing.loads(token, salt=MYDATA) == 7
    assert "@" not in token
