"""Money as German readers expect it, for the office's project pages: ``650.000 €``, ``90,8 %``."""

import decimal

from django import template

from werkstatt.core.numbers import format_eur, format_percent

register = template.Library()


@register.filter
def eur(value: decimal.Decimal | int | None) -> str:
    return format_eur(value)


@register.filter
def percent(share: decimal.Decimal | float | None) -> str:
    return format_percent(share)
