"""Personas on top of the demo data (the demo already has the workshops and the chamber), shared by the
export tests: ``from tests.demo_personas import delegate_w2, workshop2, workshop4`` makes them fixtures."""

from typing import Any

import pytest
from django.test import Client

from tests.factories import MembershipFactory, PersonFactory, UserFactory
from werkstatt.organizations.models import MembershipRole, Workshop


@pytest.fixture
def workshop4(demo: Any) -> Workshop:
    """The personas (speaker of Werkstatt 4, delegate of Werkstatt 2) sit in the demo's workshops."""
    return Workshop.objects.get(number=4)


@pytest.fixture
def workshop2(demo: Any) -> Workshop:
    return Workshop.objects.get(number=2)


@pytest.fixture
def delegate_w2(workshop2: Workshop) -> Any:
    """A delegate of Werkstatt 2 (the demo already has the chamber the shared persona would create)."""
    user = UserFactory(username="delegierte-w2")
    person = PersonFactory(body=workshop2.body, given_name="Dana", family_name="Delegierte", user=user)
    MembershipFactory(person=person, workshop=workshop2, role=MembershipRole.DELEGATE)
    return user


def client_as(user: Any = None) -> Client:
    """A test client, logged in as ``user`` unless it is None."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
