import datetime as dt
import decimal

from django import template
from django.utils.safestring import SafeString

from werkstatt.core import dates, numbers
from werkstatt.core.bilingual import mark_lower_sorbian, mark_lower_sorbian_html

register = template.Library()


@register.filter
def date_de(value: dt.date | None) -> str:
    return dates.format_date(value)


@register.filter
def time_de(value: dt.time | None) -> str:
    return dates.format_time(value)


@register.filter
def datetime_de(value: dt.datetime | None) -> str:
    """``24.01.2024, 14:10 Uhr`` in Berlin time."""
    return dates.format_datetime(value)


@register.filter
def eur(value: decimal.Decimal | int | None) -> str:
    """``644400`` as ``644.400 €``."""
    return numbers.format_eur(value)


@register.filter
def percent(share: decimal.Decimal | float | None) -> str:
    """``0.9`` as ``90,0 %``."""
    return numbers.format_percent(share)


@register.simple_tag
def date_time_range(day: dt.date, start: dt.time | None, end: dt.time | None) -> str:
    return dates.format_date_time_range(day, start, end)


@register.filter
def dsb(value: object) -> SafeString:
    """Escape plain text and mark Lower Sorbian name parts with ``lang="dsb"``."""
    return mark_lower_sorbian("" if value is None else str(value))


@register.filter
def dsb_html(value: str) -> SafeString:
    """For sanitised rich text stored by the services (never for raw input)."""
    return mark_lower_sorbian_html(value or "")
