import datetime as dt

from django import template
from django.utils.safestring import SafeString

from werkstatt.core import dates
from werkstatt.core.bilingual import mark_lower_sorbian, mark_lower_sorbian_html

register = template.Library()


@register.filter
def date_de(value: dt.date | None) -> str:
    return dates.format_date(value)


@register.filter
def time_de(value: dt.time | None) -> str:
    return dates.format_time(value)


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
