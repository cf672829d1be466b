"""An independent client walks the whole API of the demo body and finds nothing to fix.

The toolkit in ``tests/oparl/checks.py`` knows nothing of Werkstatt: it starts at System, follows every URL and
every ``links.next``, validates every object and embedded object against the OParl 1.1 draft-07 schemas and the
rules of the specification the schemas do not check, resolves every reference, checks that every object is in its
Body list, downloads the files, and asks again with the ETag for a 304.
"""

from __future__ import annotations

import pytest

from tests.oparl.checks import crawl, django_client_get
from werkstatt.meetings.services.documents import documents_archive_missing
from werkstatt.projects.models import Project
from werkstatt.projects.services import project_update

BASE = "http://testserver"


@pytest.fixture
def api_base(settings):
    settings.WERKSTATT_BASE_URL = BASE
    return f"{BASE}/oparl/v1.1/"


def test_the_demo_body_crawls_without_a_single_problem(demo, client, api_base):
    # The demo's published minutes are archived after commit; the test's transaction never commits.
    documents_archive_missing(actor=None)
    result = crawl(django_client_get(client), api_base, conditional=True, check_web=True)
    assert result.problems == []
    assert result.requests > 100, result.requests
    assert result.objects["File"] == 1  # the archived minutes of session 16, downloaded and checked
    for name in ("System", "Body", "Organization", "Person", "Membership", "Meeting", "AgendaItem", "Paper",
                 "Consultation", "Location", "LegislativeTerm"):  # fmt: skip
        assert result.objects[name] > 0, name
    assert result.objects["Meeting"] == 3 and result.objects["Paper"] == 2


def test_the_crawl_stays_clean_with_deleted_and_withdrawn_objects(demo, client, api_base, office_user):
    project = Project.objects.get(title__startswith="Telemedizinische Einbindung")
    project_update(actor=office_user, project=project, public=False, public_finances=False, public_contact=False)
    result = crawl(django_client_get(client), api_base)
    assert result.problems == []
    assert result.objects["Paper"] == 1
