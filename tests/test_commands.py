"""The command line: load_demo prints the login and is idempotent; load_geo loads the reference data."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from werkstatt.accounts.models import Role
from werkstatt.demo.management.commands.load_demo import DEMO_PASSWORD, DEMO_USERNAME
from werkstatt.geo.models import District, Municipality

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_demo_prints_a_working_office_login_and_changes_nothing_the_second_time():
    first = _run("load_demo")
    assert "Demodaten geladen" in first
    assert f"Benutzername „{DEMO_USERNAME}“, Passwort „{DEMO_PASSWORD}“" in first
    user = authenticate(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert user is not None and user.role == Role.OFFICE
    second = _run("load_demo")
    assert "Demodaten sind bereits vollständig vorhanden; nichts geändert." in second


def test_load_geo_loads_five_districts_and_their_municipalities_with_sorbian_names():
    assert "5 Landkreise und 125 Gemeinden sind aktuell." in _run("load_geo")
    assert District.objects.count() == 5
    assert Municipality.objects.count() == 125
    cottbus = District.objects.get(ags="12052")
    assert cottbus.display_name == "Cottbus/Chóśebuz"
    assert Municipality.objects.get(ags="12071372").display_name == "Spremberg/Grodk"
    history_rows = Municipality.history.count()
    _run("load_geo")
    assert Municipality.history.count() == history_rows
