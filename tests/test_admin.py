"""The Django admin covers every model, in German, and keeps approved minutes read-only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from werkstatt.accounts.models import Role
from werkstatt.accounts.services import user_create_or_reset
from werkstatt.meetings.models import AgendaItem
from werkstatt.projects.models import Project, ProjectStatusChange

pytestmark = pytest.mark.django_db

WERKSTATT_APPS = {"accounts", "geo", "documents", "organizations", "meetings", "news", "projects"}


@pytest.fixture
def admin_user(db):
    return user_create_or_reset(username="admin", password="Ein-sicheres-Passwort-1", role=Role.ADMIN)


def _admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_domain_model_has_an_admin():
    registered = {model for model in admin.site._registry if model._meta.app_label in WERKSTATT_APPS}
    from django.apps import apps

    domain_models = {
        model
        for label in WERKSTATT_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    }
    assert domain_models - registered == set()


def test_every_admin_list_add_and_change_page_opens(demo, client, admin_user):
    client.force_login(admin_user)
    for model in admin.site._registry:
        if model._meta.app_label not in WERKSTATT_APPS:
            continue
        assert client.get(_admin_url(model, "changelist")).status_code == 200, model
        # Recorded decisions (project status changes) have no add page: they come from the services only.
        expected_add = 200 if model is not ProjectStatusChange else 403
        assert client.get(_admin_url(model, "add")).status_code == expected_add, model
        instance = model._default_manager.first()
        if instance is not None:
            assert client.get(_admin_url(model, "change", instance.pk)).status_code == 200, model


def test_admin_speaks_german(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Sitzungen und Protokolle" in html
    assert "Werkstätten und Akteure" in html
    assert "Abmelden" in html


def test_office_login_may_maintain_records_but_not_logins(demo, client):
    office = user_create_or_reset(username="buero-test", password="Ein-sicheres-Passwort-1", role=Role.OFFICE)
    client.force_login(office)
    assert client.get(reverse("admin:meetings_meeting_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_items_of_approved_minutes_cannot_be_edited_in_the_admin(demo, client, admin_user):
    item = AgendaItem.objects.get(meeting__number=16, number="3")
    original = item.result
    client.force_login(admin_user)
    url = reverse("admin:meetings_agendaitem_change", args=[item.pk])
    page = client.get(url).content.decode()
    assert 'name="result"' not in page
    response = client.post(url, {"result": "<p>Geändert</p>", "title": "Geändert"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.result == original


def test_recorded_project_decisions_are_read_only_in_the_admin(demo, client, admin_user):
    client.force_login(admin_user)
    project = Project.objects.get(title="WerteGesellschaft Lausitz")
    change = ProjectStatusChange.objects.filter(project=project).latest("pk")
    response = client.post(_admin_url(ProjectStatusChange, "change", change.pk), {"note": "geändert"})
    assert response.status_code == 403
    assert client.post(_admin_url(ProjectStatusChange, "delete", change.pk), {"post": "yes"}).status_code == 403
    change.refresh_from_db()
    assert change.note == "Vorgestellt in der 16. Sitzung der Werkstatt 4"
    page = client.get(_admin_url(Project, "change", project.pk)).content.decode()
    assert 'name="state"' not in page
    assert 'name="confirmed_on"' not in page
