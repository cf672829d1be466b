"""The index follows every write after the commit; the rebuild covers writes without signals; the command and the
demo loader build it."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from tests.factories import AgendaItemFactory, NewsItemFactory, OrganizationFactory, PersonFactory, ProjectFactory
from werkstatt.geo.models import District, Municipality
from werkstatt.projects.models import Project
from werkstatt.projects.services import milestone_save, project_update
from werkstatt.search import signals as search_signals
from werkstatt.search.models import SearchEntry
from werkstatt.search.selectors import SearchFilter, search
from werkstatt.search.services import search_index_rebuild

pytestmark = pytest.mark.django_db


def _total(q: str, user=None, **params: str) -> int:
    return search(user or AnonymousUser(), SearchFilter.from_query({"q": q, **params})).total


def test_new_and_edited_project_title(body, office_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        project = ProjectFactory(body=body, title="Wasserturm Senftenberg")
    assert _total("Wasserturm") == 1
    with django_capture_on_commit_callbacks(execute=True):
        project_update(actor=office_user, project=project, title="Aussichtsturm Senftenberg")
    assert _total("Aussichtsturm") == 1
    assert _total("Wasserturm") == 0


def test_withdrawn_public_flag_hides_the_project(body, office_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        project = ProjectFactory(body=body, title="Seebrücke Großräschen")
    assert _total("Seebrücke") == 1
    with django_capture_on_commit_callbacks(execute=True):
        project_update(actor=office_user, project=project, public=False)
    assert _total("Seebrücke") == 0
    assert _total("Seebrücke", office_user) == 1


def test_milestone_and_municipality_changes_reach_the_project(body, office_user, django_capture_on_commit_callbacks):
    district = District.objects.create(ags="12062", name="Elbe-Elster", kind="Landkreis")
    place = Municipality.objects.create(ags="12062500", name="Falkenberg", kind="Stadt", district=district)
    with django_capture_on_commit_callbacks(execute=True):
        project = ProjectFactory(body=body, title="Bahnhofsumfeld", municipality=place)
    assert _total("Bahnhofsumfeld", kreis="12062", jahr="2027") == 0
    with django_capture_on_commit_callbacks(execute=True):
        milestone_save(
            actor=office_user, project=project, kind="other", title="Baubeginn", planned_date=dt.date(2027, 3, 1)
        )
    assert _total("Baubeginn", art="projekte", kreis="12062", jahr="2027") == 1
    with django_capture_on_commit_callbacks(execute=True):
        place.name = "Falkenberg/Elster"
        place.save()
    assert _total("Falkenberg Elster") == 1


def test_news_workshops_and_deletion(body, workshop4, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = NewsItemFactory(body=body, title="Sommerfest der Werkstatt")
    assert _total("Sommerfest", werkstatt="4") == 0
    with django_capture_on_commit_callbacks(execute=True):
        item.workshops.add(workshop4)
    assert _total("Sommerfest", werkstatt="4") == 1
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert _total("Sommerfest") == 0
    assert not SearchEntry.objects.filter(kind="neuigkeiten", object_id=item.pk).exists()


def test_organisation_rename_reaches_its_persons(body, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        organization = OrganizationFactory(body=body, name="Alte Firma")
        PersonFactory(body=body, given_name="Ida", family_name="Sturm", organization=organization)
    with django_capture_on_commit_callbacks(execute=True):
        organization.name = "Neue Glashütte"
        organization.save()
    assert _total("Glashütte", art="personen") == 1


def test_agenda_item_result_follows(body, django_capture_on_commit_callbacks, office_user):
    with django_capture_on_commit_callbacks(execute=True):
        item = AgendaItemFactory(title="Anfrage", result="")
    with django_capture_on_commit_callbacks(execute=True):
        item.result = "<p>Beschluss Kreisverkehr</p>"
        item.save()
    assert _total("Kreisverkehr", office_user) == 1


def test_one_refresh_per_transaction(body, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        project = ProjectFactory(body=body, title="Eins")
        project.title = "Zwei"
        project.save()
        NewsItemFactory(body=body, title="Drei")
    # One refresh of the index (other apps, e.g. the participation's events, have their own callback).
    assert sum(isinstance(callback, search_signals._Pending) for callback in callbacks) == 1


def test_bulk_writes_need_the_rebuild(body):
    project = ProjectFactory(body=body, title="Kraftwerk Jänschwalde")
    search_index_rebuild()
    Project.objects.filter(pk=project.pk).update(title="Speicherkraftwerk Jänschwalde")  # no signals
    assert _total("Speicherkraftwerk") == 0
    search_index_rebuild()
    assert _total("Speicherkraftwerk") == 1


def test_reindex_command(body):
    ProjectFactory(body=body, title="Hafen Mühlrose")
    out = StringIO()
    call_command("search_reindex", stdout=out)
    assert "Suchindex neu aufgebaut:" in out.getvalue()
    assert _total("Hafen") == 1
    assert SearchEntry.objects.count() == 2  # the project and its sponsor


def test_demo_loader_builds_the_index(demo):
    assert SearchEntry.objects.filter(kind="projekte").count() == Project.objects.count()
    assert _total("Telenotarzt", art="projekte") == 1
