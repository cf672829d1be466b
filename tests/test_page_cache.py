"""The shared cache of public pages (werkstatt.core.pagecache): what is kept, for whom, and that every write that
changes a page makes it stale at once, however the write is made. The two-server case is tests/test_multi_server.py."""

from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from werkstatt.core import pagecache
from werkstatt.news.services import news_item_create
from werkstatt.organizations.models import Body, Workshop
from werkstatt.projects.models import MilestoneKind, Project
from werkstatt.projects.services import milestone_save, project_update

# Real commits, as in production: a new generation is made inside the writing transaction and again after its
# commit, and only a committed write is what other servers see.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _page_cache_on(settings: Any) -> None:
    settings.WERKSTATT_PAGE_CACHE_SECONDS = 300


def fetch(client: Client, url: str, **headers: str) -> tuple[str, str]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.headers.get(pagecache.HEADER, ""), response.content.decode()


def public_project(demo: Any) -> Project:
    return Project.objects.filter(public=True).order_by("pk").first()  # type: ignore[return-value]


def test_an_anonymous_page_is_rendered_once_and_then_served_from_the_cache(demo: Any) -> None:
    client = Client()
    url = reverse("portal:workshop-detail", args=[4])
    state, first = fetch(client, url)
    assert state == "miss"
    state, second = fetch(client, url)
    assert state == "hit"
    assert second == first
    # A hit is one look-up of the shared generation (the page itself is a local copy), whatever the page holds.
    with CaptureQueriesContext(connection) as queries:
        fetch(client, reverse("portal:workshop-detail", args=[4]))
    assert len(queries) == 1


@pytest.mark.parametrize(
    "name,args",
    [
        ("portal:home", []),
        ("portal:project-list", []),
        ("portal:map-data", []),
        ("portal:search", []),
        ("exports:calendar-all", []),
        ("exports:news-feed", []),
        ("oparl:system", []),
        ("oparl:body-list", []),
        ("participation:idea-list", []),
    ],
)
def test_public_routes_are_cached(demo: Any, name: str, args: list[Any]) -> None:
    client = Client()
    url = reverse(name, args=args)
    assert fetch(client, url)[0] == "miss"
    assert fetch(client, url)[0] == "hit"


def test_query_strings_and_partial_requests_are_pages_of_their_own(demo: Any) -> None:
    client = Client()
    url = reverse("portal:project-list")
    fetch(client, url)
    assert fetch(client, url + "?zustand=idea")[0] == "miss"
    assert fetch(client, url, HX_Request="true")[0] == "miss"
    assert fetch(client, url, HX_Request="true")[0] == "hit"
    assert fetch(client, url)[0] == "hit"


def test_logged_in_users_and_the_office_are_never_served_from_the_cache(demo: Any, office_user: Any) -> None:
    url = reverse("portal:workshop-detail", args=[4])
    anonymous = Client()
    fetch(anonymous, url)
    assert fetch(anonymous, url)[0] == "hit"
    office = Client()
    assert office.login(username=office_user.username, password=PASSWORD)
    for _ in range(2):
        state, _body = fetch(office, url)
        assert state == ""
    response = office.get(reverse("office:dashboard"))
    assert response.status_code == 200
    assert pagecache.HEADER not in response.headers


def test_pages_with_a_form_are_not_kept(demo: Any) -> None:
    """A form carries the visitor's CSRF token: such a page is rendered for each visitor."""
    client = Client()
    url = reverse("participation:idea-create")
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers[pagecache.HEADER] == "miss"
        assert "csrfmiddlewaretoken" in response.content.decode()


def test_a_service_write_makes_the_page_stale_at_once(demo: Any, office_user: Any) -> None:
    project = public_project(demo)
    client = Client()
    url = reverse("portal:project-list")
    fetch(client, url)
    assert fetch(client, url)[0] == "hit"
    project_update(actor=office_user, project=project, title="Neuer Titel für den Test")
    state, body = fetch(client, url)
    assert state == "miss"
    assert "Neuer Titel für den Test" in body


def test_a_milestone_changes_the_project_feed(demo: Any, office_user: Any) -> None:
    project = public_project(demo)
    client = Client()
    url = reverse("exports:milestones-feed")
    fetch(client, url)
    assert fetch(client, url)[0] == "hit"
    milestone_save(
        actor=office_user,
        project=project,
        kind=MilestoneKind.GROUND_BREAKING,
        title="Spatenstich am Testort",
        actual_date=timezone.localdate(),
    )
    state, body = fetch(client, url)
    assert state == "miss"
    assert "Spatenstich am Testort" in body


def test_news_published_shows_on_the_home_page(demo: Any, office_user: Any) -> None:
    client = Client()
    url = reverse("portal:news-list")
    fetch(client, url)
    assert fetch(client, url)[0] == "hit"
    news_item_create(
        actor=office_user,
        body=Body.objects.get(),
        title="Neuigkeit aus dem Cache-Test",
        date=timezone.localdate(),
        teaser="Kurz.",
        published=True,
    )
    state, body = fetch(client, url)
    assert state == "miss"
    assert "Neuigkeit aus dem Cache-Test" in body


def test_a_write_beside_the_services_is_seen_as_well(demo: Any) -> None:
    """Bulk updates send no model signals; the generation follows the SQL, so they invalidate too."""
    client = Client()
    url = reverse("portal:workshop-detail", args=[4])
    fetch(client, url)
    assert fetch(client, url)[0] == "hit"
    Workshop.objects.filter(number=4).update(title="Umbenannt ohne Service")
    state, body = fetch(client, url)
    assert state == "miss"
    assert "Umbenannt ohne Service" in body


def test_a_rolled_back_write_leaves_the_cached_page_valid(demo: Any) -> None:
    client = Client()
    url = reverse("portal:workshop-detail", args=[4])
    fetch(client, url)
    with pytest.raises(RuntimeError), transaction.atomic():
        Workshop.objects.filter(number=4).update(title="Nie gespeichert")
        raise RuntimeError
    state, body = fetch(client, url)
    assert "Nie gespeichert" not in body
    assert state == "hit"


def test_one_new_generation_per_transaction_and_none_for_technical_tables(demo: Any) -> None:
    before = cache.get(pagecache.GENERATION_KEY)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        Workshop.objects.filter(number=4).update(title="Eins")
        Workshop.objects.filter(number=4).update(title="Zwei")
    generation_writes = [q for q in queries if "werkstatt_cache" in q["sql"]]
    assert cache.get(pagecache.GENERATION_KEY) != before
    # The new generation inside the transaction, and once more after its commit: each a few statements.
    assert 0 < len(generation_writes) <= 8
    generation = cache.get(pagecache.GENERATION_KEY)
    Client().get(reverse("portal:home"))  # the session and rate-limit tables are not watched
    assert cache.get(pagecache.GENERATION_KEY) == generation


def test_sessions_are_not_watched(demo: Any) -> None:
    """Logins and anonymous sessions write only the session table (and the user's last login): no page changes."""
    generation = cache.get(pagecache.GENERATION_KEY)
    store = SessionStore()
    store["seen"] = True
    store.save()
    assert cache.get(pagecache.GENERATION_KEY) == generation


def test_conditional_get_answers_not_modified(demo: Any) -> None:
    client = Client()
    url = reverse("portal:workshop-detail", args=[4])
    first = client.get(url)
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    Workshop.objects.filter(number=4).update(title="Geändert")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_without_a_generation_nothing_old_is_served(demo: Any) -> None:
    """An evicted generation (a full cache culls entries) makes a new one: pages cached before are stale."""
    client = Client()
    url = reverse("portal:workshop-detail", args=[4])
    fetch(client, url)
    cache.delete(pagecache.GENERATION_KEY)
    assert fetch(client, url)[0] == "miss"
    assert fetch(client, url)[0] == "hit"


def test_switched_off_nothing_is_kept(demo: Any, settings: Any) -> None:
    settings.WERKSTATT_PAGE_CACHE_SECONDS = 0
    client = Client()
    url = reverse("portal:workshop-detail", args=[4])
    for _ in range(2):
        assert fetch(client, url)[0] == ""


def test_written_table_reads_the_statement() -> None:
    assert pagecache.written_table('INSERT INTO "projects_project" ("title") VALUES (%s)') == "projects_project"
    assert pagecache.written_table('UPDATE "organizations_workshop" SET "title" = %s') == "organizations_workshop"
    assert pagecache.written_table('DELETE FROM "django_session" WHERE 1') == "django_session"
    assert pagecache.written_table('TRUNCATE "meetings_meeting" CASCADE') == "meetings_meeting"
    assert pagecache.written_table('SELECT * FROM "projects_project"') is None
    assert pagecache.written_table("  update projects_project set title = 1") == "projects_project"


def test_project_and_session_pages_are_cached_for_visitors_with_the_comment_form_on_its_own_page(
    demo: Any, office_user: Any
) -> None:
    """The comment section links visitors to the form page; signed-in users keep the form on the page."""
    project = public_project(demo)
    url = reverse("portal:project-detail", args=[project.pk])
    client = Client()
    state, body = fetch(client, url)
    assert state == "miss"
    assert "csrfmiddlewaretoken" not in body
    assert reverse("participation:comment-create-project", args=[project.pk]) in body
    assert fetch(client, url)[0] == "hit"
    office = Client()
    assert office.login(username=office_user.username, password=PASSWORD)
    response = office.get(url)
    assert pagecache.HEADER not in response.headers
    assert "Kommentar absenden" in response.content.decode()


def test_local_copies_follow_the_shared_generation(demo: Any) -> None:
    client = Client()
    url = reverse("portal:workshop-detail", args=[4])
    fetch(client, url)
    key = next(reversed(pagecache.LOCAL._entries))
    cache.delete(key)  # gone from the shared cache: this process still has its copy of the current generation
    with CaptureQueriesContext(connection) as queries:
        assert fetch(client, url)[0] == "hit"
    assert len(queries) == 1  # the generation only
    Workshop.objects.filter(number=4).update(title="Neu für alle Server")
    state, body = fetch(client, url)
    assert state == "miss"
    assert "Neu für alle Server" in body


def test_pages_larger_than_the_local_bound_are_read_from_the_shared_cache(demo: Any, settings: Any) -> None:
    settings.WERKSTATT_PAGE_CACHE_LOCAL_BYTES = 1000
    pagecache.LOCAL.clear()
    client = Client()
    url = reverse("portal:workshop-detail", args=[4])
    fetch(client, url)
    assert not pagecache.LOCAL._entries
    with CaptureQueriesContext(connection) as queries:
        assert fetch(client, url)[0] == "hit"
    assert len(queries) == 2  # the generation, then the page
