"""factory_boy factories for the domain models; no fixed ids, natural keys from sequences.

Factories write rows directly, which is fine for setting up a test; tests of the services
call the services themselves.
"""

import datetime as dt

import factory
from django.conf import settings

from werkstatt.accounts.models import Role, User
from werkstatt.meetings.models import AgendaItem, Meeting
from werkstatt.news.models import NewsItem
from werkstatt.organizations.models import Body, FocusArea, Membership, MembershipRole, Organization, Person, Workshop
from werkstatt.projects.models import Consultation, Milestone, MilestoneKind, Project, ProjectStatusChange
from werkstatt.projects.workflow import FundingInstrument, ProjectState

# Every persona and factory user can log in with this password (browser tests need one).
PASSWORD = "Lausitz-Test-2024!"


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("name",)

    name = factory.LazyFunction(lambda: settings.WERKSTATT_BODY_NAME)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "other"


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    body = factory.SubFactory(BodyFactory)
    # Far above the five real workshops, so that a test's ``WorkshopFactory(number=4)`` never collides.
    number = factory.Sequence(lambda n: 100 + n)
    title = factory.LazyAttribute(lambda o: f"Thema der Werkstatt {o.number}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"nutzer{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    role = Role.MEMBER
    password = factory.django.Password(PASSWORD)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    body = factory.SubFactory(BodyFactory)
    given_name = factory.Sequence(lambda n: f"Vorname{n}")
    family_name = factory.Sequence(lambda n: f"Nachname{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    workshop = factory.SubFactory(WorkshopFactory)
    role = MembershipRole.DELEGATE


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    workshop = factory.SubFactory(WorkshopFactory)
    number = factory.Sequence(lambda n: n + 1)
    date = factory.Sequence(lambda n: dt.date(2024, 1, 1) + dt.timedelta(days=n))


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: str(o.order))
    title = factory.Sequence(lambda n: f"Tagesordnungspunkt {n}")


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem

    body = factory.SubFactory(BodyFactory)
    title = factory.Sequence(lambda n: f"Neuigkeit {n}")
    date = factory.Sequence(lambda n: dt.date(2025, 1, 1) + dt.timedelta(days=n))
    published = True


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project written directly at any state (for portfolios); tests of steps use the services."""

    class Meta:
        model = Project

    body = factory.SubFactory(BodyFactory)
    title = factory.Sequence(lambda n: f"Projekt {n}")
    sponsor = factory.SubFactory(OrganizationFactory, body=factory.SelfAttribute("..body"))
    lead_workshop = factory.SubFactory(WorkshopFactory, body=factory.SelfAttribute("..body"))
    instrument = FundingInstrument.INVKG_ARM1
    state = ProjectState.QUALIFICATION


class ProjectStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectStatusChange

    project = factory.SubFactory(ProjectFactory)
    from_state = ProjectState.FORWARDED
    to_state = ProjectState.CONFIRMED


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    project = factory.SubFactory(ProjectFactory)
    meeting = factory.SubFactory(MeetingFactory, workshop=factory.SelfAttribute("..project.lead_workshop"))
    authoritative = True


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    kind = MilestoneKind.COMMISSIONING
    planned_date = dt.date(2024, 6, 1)


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    workshop = factory.SubFactory(WorkshopFactory)
    title = factory.Sequence(lambda n: f"Schwerpunkt {n}")
