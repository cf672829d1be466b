"""Numbers as German readers expect them: ``650.000 €``, ``90,8 %``."""

import decimal

from django.utils.formats import number_format


def format_eur(value: decimal.Decimal | int | None, *, symbol: bool = True) -> str:
    """Whole euros get no decimals (``650.000 €``), others two (``25.000,50 €``); ``None`` is empty."""
    if value is None:
        return ""
    amount = decimal.Decimal(value)
    places = 0 if amount == amount.to_integral_value() else 2
    text = number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{text} €" if symbol else text


def format_percent(share: decimal.Decimal | float | None, *, places: int = 1) -> str:
    """A share (``0.9``) as a German percentage (``90,0 %``)."""
    if share is None:
        return ""
    percent = decimal.Decimal(str(share)) * 100
    return f"{number_format(percent, decimal_pos=places, use_l10n=True)} %"
