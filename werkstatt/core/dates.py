"""German date formats: ``24.01.2024``, ``24.01.2024, 14:10 Uhr``, ``14:10 Uhr – 16:30 Uhr``."""

import datetime as dt

from django.utils import timezone


def format_date(value: dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%d.%m.%Y")


def format_time(value: dt.time | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.strftime('%H:%M')} Uhr"


def format_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return f"{format_date(value)}, {format_time(value)}"


def format_date_time_range(day: dt.date, start: dt.time | None, end: dt.time | None) -> str:
    """As the minutes write it: ``24.01.2024, 14:10 Uhr – 16:30 Uhr``."""
    text = format_date(day)
    if start is not None:
        text += f", {format_time(start)}"
        if end is not None:
            text += f" \u2013 {format_time(end)}"
    return text
