"""Shared reads of workshops, organisations and persons, with a fixed number of queries per page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from werkstatt.organizations.models import (
    Membership,
    MembershipRole,
    Organization,
    Person,
    Workshop,
    WorkshopMember,
)


def _today() -> dt.date:
    return timezone.localdate()


def _current(prefix: str, start: str, end: str, day: dt.date) -> Q:
    return (Q(**{f"{prefix}{start}__isnull": True}) | Q(**{f"{prefix}{start}__lte": day})) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": day})
    )


def workshop_list(user: object) -> QuerySet[Workshop]:
    return Workshop.objects.prefetch_related("focus_areas").order_by("number")


def current_members_prefetch(day: dt.date | None = None) -> Prefetch:
    day = day or _today()
    return Prefetch(
        "member_links",
        queryset=WorkshopMember.objects.filter(_current("", "since", "until", day)).select_related("organization"),
        to_attr="current_member_links",
    )


def speakers_prefetch(day: dt.date | None = None) -> Prefetch:
    day = day or _today()
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(_current("", "start_date", "end_date", day), role=MembershipRole.SPEAKER)
        .select_related("person", "person__organization", "on_behalf_of")
        .order_by("pk"),
        to_attr="current_speakers",
    )


def workshop_get_by_number(user: object, number: int, *, with_people: bool = True) -> Workshop:
    """The workshop page's workshop with focus areas, current members and speakers; ``with_people=False``: the
    workshop alone, in one query (for calendars and feeds). 404 for an unknown number."""
    qs = Workshop.objects.all()
    if with_people:
        qs = qs.prefetch_related("focus_areas", current_members_prefetch(), speakers_prefetch())
    workshop = qs.filter(number=number).first()
    if workshop is None:
        raise Http404("Diese Werkstatt gibt es nicht.")
    return workshop


def organizations_visible_to(user: object) -> QuerySet[Organization]:
    """The organisations the portal shows ``user``: every one (organisation pages are public)."""
    return Organization.objects.all()


def persons_visible_to(user: object) -> QuerySet[Person]:
    """The persons the portal shows ``user``: every one (person pages are public; the e-mail address is not)."""
    return Person.objects.all()


@dataclass
class OrganizationPage:
    organization: Organization
    member_links: list[WorkshopMember]
    persons: list[Person]


def organization_get_for_user(user: object, pk: int) -> OrganizationPage:
    organization = organizations_visible_to(user).filter(pk=pk).first()
    if organization is None:
        raise Http404("Diese Organisation gibt es nicht.")
    links = list(
        WorkshopMember.objects.filter(organization=organization).select_related("workshop").order_by("workshop__number")
    )
    persons = list(Person.objects.filter(organization=organization).order_by("family_name", "given_name"))
    return OrganizationPage(organization=organization, member_links=links, persons=persons)


def person_get_for_user(user: object, pk: int) -> Person:
    person = (
        persons_visible_to(user)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("workshop", "on_behalf_of").order_by("workshop__number"),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404("Diese Person gibt es nicht.")
    return person
