"""Reading filters from a query string: a value that cannot be used is ignored with a German message."""

from django.utils.translation import gettext as _


def parse_number(raw: str, label: str, errors: list[str]) -> int | None:
    """``"4"`` → 4; empty → None; anything else → None and a message in ``errors`` naming the filter."""
    raw = raw.strip()
    if not raw:
        return None
    if raw.isascii() and raw.isdigit() and len(raw) <= 9:
        return int(raw)
    errors.append(_("Der Filter „%(label)s“ erwartet eine Nummer; er wurde ignoriert.") % {"label": label})
    return None
