"""Addresses to subscribe to: ``{% calendar_subscription workshop.number as calendar %}`` gives
``calendar.https`` (the calendar's address) and ``calendar.webcal`` (the same address with the ``webcal``
scheme, which opens the calendar program and subscribes)."""

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@dataclass(frozen=True)
class CalendarSubscription:
    https: str
    webcal: str


@register.simple_tag(takes_context=True)
def calendar_subscription(context: dict[str, Any], number: int | str | None = None) -> CalendarSubscription:
    """The calendar of workshop ``number``, or of all workshops when it is empty."""
    path = reverse("exports:calendar-workshop", args=[number]) if number else reverse("exports:calendar-all")
    address = context["request"].build_absolute_uri(path)
    return CalendarSubscription(https=address, webcal="webcal://" + address.split("://", 1)[1])
