"""Who finds what: the search asks the apps' selectors, so hidden content never shows up for those who may not
see it, not in hits, snippets, counts or suggestions. Anonymous vs. office vs. members."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from tests.factories import AgendaItemFactory, MeetingFactory, NewsItemFactory, ProjectFactory
from tests.pages import visible_text
from werkstatt.documents.models import File
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.search.selectors import SearchFilter, search
from werkstatt.search.services import search_index_rebuild

pytestmark = pytest.mark.django_db


def _total(user, q: str, **params: str) -> int:
    return search(user, SearchFilter.from_query({"q": q, **params})).total


def _stored_file(name: str, text: str, *, public: bool = True) -> File:
    document = File(name=name, text=text, public=public, file_name=f"{name}.pdf", mime_type="application/pdf")
    document.file.save(f"{name}.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    document.save()
    return document


@pytest.fixture
def hidden(body, workshop2, workshop4):
    """Public and non-public content side by side, indexed."""
    objects = {
        "public_project": ProjectFactory(body=body, title="Öffentliches Vorhaben Solarpark", lead_workshop=workshop2),
        "secret_project": ProjectFactory(
            body=body, title="Geheimes Vorhaben Kohlespeicher", public=False, lead_workshop=workshop2
        ),
        "draft_news": NewsItemFactory(body=body, title="Entwurf Pressemitteilung Wolkenkratzer", published=False),
        "news": NewsItemFactory(body=body, title="Veröffentlichte Mitteilung Solarpark", published=True),
    }
    held_draft = MeetingFactory(workshop=workshop2, state=MeetingState.HELD, minutes_state=MinutesState.DRAFT)
    objects["draft_item"] = AgendaItemFactory(
        meeting=held_draft, title="Bericht Solarpark", result="<p>Die Werkstatt empfiehlt den Zaubertrank.</p>"
    )
    objects["internal_item"] = AgendaItemFactory(
        meeting=held_draft, title="Vertrauliche Personalfrage Drachenfels", public=False
    )
    published = MeetingFactory(workshop=workshop4, state=MeetingState.HELD, minutes_state=MinutesState.PUBLISHED)
    objects["published_item"] = AgendaItemFactory(
        meeting=published, title="Bericht Windrad", result="<p>Die Werkstatt empfiehlt den Feenstaub.</p>"
    )
    public_doc = _stored_file("Gutachten Einhorn", "Das Gutachten über das Einhorn.")
    published.files.add(public_doc)
    secret_doc = _stored_file("Gutachten Greif", "Das Gutachten über den Greif.")
    objects["secret_project"].files.add(secret_doc)
    internal_doc = _stored_file("Vermerk Basilisk", "Interner Vermerk über den Basilisk.", public=False)
    published.files.add(internal_doc)
    search_index_rebuild()
    return objects


def test_non_public_project_only_for_readers_and_its_workshop(hidden, office_user, bank_user, delegate_w2, speaker_w4):
    assert _total(AnonymousUser(), "Kohlespeicher") == 0
    assert _total(speaker_w4, "Kohlespeicher") == 0  # a member of another workshop
    assert _total(office_user, "Kohlespeicher") == 1
    assert _total(bank_user, "Kohlespeicher") == 1
    assert _total(delegate_w2, "Kohlespeicher") == 1  # a member of the lead workshop (projects_visible_to)
    assert _total(AnonymousUser(), "Vorhaben", art="projekte") == 1
    assert _total(office_user, "Vorhaben", art="projekte") == 2


def test_unpublished_news_only_for_the_office(hidden, office_user, delegate_w2):
    assert _total(AnonymousUser(), "Wolkenkratzer") == 0
    assert _total(delegate_w2, "Wolkenkratzer") == 0
    assert _total(office_user, "Wolkenkratzer") == 1


def test_non_public_agenda_item_hidden(hidden, office_user):
    assert _total(AnonymousUser(), "Drachenfels") == 0
    assert _total(office_user, "Drachenfels") == 1


def test_result_counts_only_for_readers_of_the_minutes(hidden, office_user, delegate_w2, speaker_w4):
    """The item's title is on the public agenda; its result only where the session's minutes are readable."""
    assert _total(AnonymousUser(), "Bericht Solarpark") == 1
    assert _total(AnonymousUser(), "Zaubertrank") == 0  # draft minutes
    assert _total(speaker_w4, "Zaubertrank") == 0
    assert _total(office_user, "Zaubertrank") == 1  # may read unpublished minutes
    assert _total(AnonymousUser(), "Feenstaub") == 1  # published minutes


def test_draft_minutes_by_their_workshop_speaker(body, workshop2):
    """A speaker reads the draft minutes of their own workshop (``can_view_minutes``), so finds the result."""
    from tests.factories import MembershipFactory, PersonFactory, UserFactory
    from werkstatt.organizations.models import MembershipRole

    user = UserFactory()
    MembershipFactory(person=PersonFactory(body=body, user=user), workshop=workshop2, role=MembershipRole.SPEAKER)
    meeting = MeetingFactory(workshop=workshop2, state=MeetingState.HELD, minutes_state=MinutesState.DRAFT)
    AgendaItemFactory(meeting=meeting, title="Bericht", result="<p>Ergebnis Mondstein</p>")
    search_index_rebuild()
    assert _total(user, "Mondstein") == 1
    assert _total(AnonymousUser(), "Mondstein") == 0


def test_snippet_never_shows_a_hidden_result(hidden, client):
    html = client.get(reverse("portal:search"), {"q": "Bericht Solarpark"}).content.decode()
    assert "Bericht" in html and "Zaubertrank" not in html


def test_documents_follow_files_visible_to(hidden, office_user):
    assert _total(AnonymousUser(), "Einhorn") == 1  # public file of a session
    assert _total(AnonymousUser(), "Greif") == 0  # public file, but only attached to a non-public project
    assert _total(AnonymousUser(), "Basilisk") == 0  # non-public file
    assert _total(office_user, "Greif") == 1 and _total(office_user, "Basilisk") == 1


def test_counts_and_suggestions_leak_nothing(hidden, client, office_user):
    anonymous = search(AnonymousUser(), SearchFilter.from_query({"q": "Solarpark"}))
    assert anonymous.kind_totals == {"projekte": 1, "protokolle": 1, "neuigkeiten": 1}
    # A typo of a hidden word: no suggestion for the public, the suggestion for the office.
    assert search(AnonymousUser(), SearchFilter.from_query({"q": "Kohlespeiher"})).suggestions == []
    assert search(AnonymousUser(), SearchFilter.from_query({"q": "Zaubertrunk"})).suggestions == []
    office = search(office_user, SearchFilter.from_query({"q": "Kohlespeiher"}))
    assert office.suggestions and office.suggestions[0].q == "kohlespeicher"
    text = visible_text(client.get(reverse("portal:search"), {"q": "Kohlespeiher"}).content.decode())
    assert "Meinten Sie" not in text and "Kohlespeicher" not in text


def test_pages_for_anonymous_office_and_member(hidden, office_user, delegate_w2):
    for user, expected in ((None, False), (office_user, True), (delegate_w2, True)):
        client = Client()
        if user is not None:
            client.force_login(user)
        text = visible_text(client.get(reverse("portal:search"), {"q": "Kohlespeicher"}).content.decode())
        assert ("Geheimes Vorhaben Kohlespeicher" in text) is expected, (user, text[-500:])


def test_year_of_news_is_its_date(body):
    NewsItemFactory(body=body, title="Meldung Sternschnuppe", date=dt.date(2023, 5, 1))
    search_index_rebuild()
    assert _total(AnonymousUser(), "Sternschnuppe", jahr="2023") == 1
    assert _total(AnonymousUser(), "Sternschnuppe", jahr="2024") == 0
