"""Every write to bodies, organisations, workshops, persons and memberships."""

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from werkstatt.core.services import save_validated
from werkstatt.core.text import normalise_text
from werkstatt.organizations.models import (
    Body,
    FocusArea,
    LegislativeTerm,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
    Person,
    Workshop,
    WorkshopMember,
)


def body_get_or_create_default() -> Body:
    body, _ = Body.objects.get_or_create(name=settings.WERKSTATT_BODY_NAME)
    return body


def legislative_term_create(
    *, actor: object | None, body: Body, name: str, start_date: dt.date, end_date: dt.date
) -> LegislativeTerm:
    """A funding period (Förderperiode) of the process."""
    return save_validated(
        LegislativeTerm(body=body, name=normalise_text(name), start_date=start_date, end_date=end_date), actor=actor
    )


def organization_create(
    *,
    actor: object | None,
    body: Body,
    name: str,
    short_name: str = "",
    kind: str = OrganizationKind.OTHER,
    website: str = "",
) -> Organization:
    return save_validated(
        Organization(
            body=body, name=normalise_text(name), short_name=normalise_text(short_name), kind=kind, website=website
        ),
        actor=actor,
    )


@transaction.atomic
def workshop_create(
    *,
    actor: object | None,
    body: Body,
    number: int | None,
    title: str,
    mission: str = "",
    focus_areas: Sequence[str] = (),
    next_session_date: dt.date | None = None,
) -> Workshop:
    if number is None:
        raise ValidationError({"number": _("Eine Werkstatt braucht eine Nummer.")})
    if number < 1:
        raise ValidationError({"number": _("Die Nummer einer Werkstatt ist mindestens 1.")})
    workshop = save_validated(
        Workshop(
            body=body,
            number=number,
            title=normalise_text(title),
            mission=normalise_text(mission),
            next_session_date=next_session_date,
        ),
        actor=actor,
    )
    for order, area in enumerate(focus_areas, start=1):
        save_validated(FocusArea(workshop=workshop, title=normalise_text(area), order=order), actor=actor)
    return workshop


def workshop_update(
    *,
    actor: object | None,
    workshop: Workshop,
    title: str | None = None,
    mission: str | None = None,
    next_session_date: dt.date | None = None,
    clear_next_session_date: bool = False,
) -> Workshop:
    if title is not None:
        workshop.title = normalise_text(title)
    if mission is not None:
        workshop.mission = normalise_text(mission)
    if next_session_date is not None or clear_next_session_date:
        workshop.next_session_date = next_session_date
    return save_validated(workshop, actor=actor, reason="Werkstatt geändert")


@transaction.atomic
def workshop_add_member(
    *,
    actor: object | None,
    workshop: Workshop,
    organization: Organization,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> WorkshopMember:
    if organization.body_id != workshop.body_id:
        raise ValidationError(_("Organisation und Werkstatt gehören zu verschiedenen Prozessen."))
    next_order = (workshop.member_links.aggregate(m=Max("order"))["m"] or 0) + 1
    return save_validated(
        WorkshopMember(workshop=workshop, organization=organization, since=since, until=until, order=next_order),
        actor=actor,
    )


def person_create(
    *,
    actor: object | None,
    body: Body,
    given_name: str,
    family_name: str,
    title: str = "",
    qualification: str = "",
    function: str = "",
    email: str = "",
    organization: Organization | None = None,
) -> Person:
    return save_validated(
        Person(
            body=body,
            given_name=normalise_text(given_name),
            family_name=normalise_text(family_name),
            title=normalise_text(title),
            qualification=normalise_text(qualification),
            function=normalise_text(function),
            email=email.strip(),
            organization=organization,
        ),
        actor=actor,
    )


def membership_create(
    *,
    actor: object | None,
    person: Person,
    workshop: Workshop,
    role: str = MembershipRole.DELEGATE,
    on_behalf_of: Organization | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    statement: str = "",
) -> Membership:
    return save_validated(
        Membership(
            person=person,
            workshop=workshop,
            role=role,
            on_behalf_of=on_behalf_of,
            start_date=start_date,
            end_date=end_date,
            statement=normalise_text(statement),
        ),
        actor=actor,
    )
