"""Atom feeds of news, published minutes and project milestones, read back with feedparser; the subscribe
links on the public pages.

Every feed is the public view whoever fetches it: unpublished news, unpublished minutes, non-public
projects and non-public agenda items never appear.
"""

import datetime as dt
from html.parser import HTMLParser
from typing import Any

import feedparser
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from tests.pages import demo_page_urls
from werkstatt.exports.feeds import FEED_LIMIT
from werkstatt.geo.models import District
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.selectors import meeting_get_for_user
from werkstatt.meetings.services import (
    agenda_item_create,
    meeting_create,
    meeting_minutes_transition,
    meeting_transition,
)
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.news.models import NewsItem
from werkstatt.news.services import news_item_create
from werkstatt.organizations.models import Workshop
from werkstatt.projects.models import Milestone, MilestoneKind
from werkstatt.projects.services import milestone_save, project_create, project_update

pytestmark = pytest.mark.django_db

ATOM = "application/atom+xml; charset=utf-8"
FEEDS = [
    ("news-feed", []),
    ("news-feed-workshop", [4]),
    ("minutes-feed", []),
    ("minutes-feed-workshop", [4]),
    ("milestones-feed", []),
    ("milestones-feed-workshop", [4]),
    ("milestones-feed-district", ["12062"]),
]


def _url(name: str, *args: Any) -> str:
    return reverse(f"exports:{name}", args=list(args))


def _feed(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == ATOM
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
    return parsed


def _when(struct: Any) -> dt.datetime:
    return dt.datetime(*struct[:6], tzinfo=dt.UTC)


def _second(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(microsecond=0)


def _alternate(entry: Any) -> str:
    return next(link.href for link in entry.links if link.rel == "alternate")


# --- every feed ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "args"), FEEDS, ids=[name for name, _ in FEEDS])
def test_every_feed_is_well_formed_german_atom(demo, client, name, args):
    url = _url(name, *args)
    parsed = _feed(client, url)
    assert parsed.version == "atom10"
    assert parsed.feed.language == "de"
    assert parsed.feed.id == f"http://testserver{url}"
    assert {link.rel: link.href for link in parsed.feed.links}["self"] == f"http://testserver{url}"
    assert parsed.feed.author == "Strukturentwicklung Lausitz"
    assert str(FEED_LIMIT) in parsed.feed.subtitle
    assert "updated_parsed" in parsed.feed
    for entry in parsed.entries:
        assert entry.id.startswith("tag:werkstatt.localhost,")
        assert "updated_parsed" in entry


@pytest.mark.parametrize(
    ("name", "arg"),
    [
        ("news-feed-workshop", 9),
        ("minutes-feed-workshop", 9),
        ("milestones-feed-workshop", 0),
        ("milestones-feed-district", "99999"),
        ("milestones-feed-district", "1206"),
        ("milestones-feed-district", "abcde"),
    ],
)
def test_unknown_workshop_or_district_is_404(demo, client, name, arg):
    assert client.get(_url(name, arg)).status_code == 404


def test_feeds_answer_only_get_and_head(demo, client):
    assert client.post(_url("news-feed")).status_code == 405
    assert client.head(_url("news-feed")).status_code == 200


# --- news ------------------------------------------------------------------------------------------------


def test_news_feed_has_published_news_newest_first(demo, client, office_user):
    body = Workshop.objects.get(number=4).body
    hidden = news_item_create(actor=None, body=body, title="Noch nicht freigegeben", date=dt.date(2030, 1, 1))
    client.force_login(office_user)  # a feed is the public view, also for the office
    parsed = _feed(client, _url("news-feed"))
    assert parsed.feed.title == "Neuigkeiten aus der Lausitz"
    assert {link.rel: link.href for link in parsed.feed.links}["alternate"] == "http://testserver/neuigkeiten/"
    published = list(NewsItem.objects.filter(published=True).order_by("-date", "-pk"))
    assert len(published) == 3
    assert [entry.title for entry in parsed.entries] == [item.title for item in published]
    assert hidden.title not in {entry.title for entry in parsed.entries}
    first, item = parsed.entries[0], published[0]
    assert _alternate(first) == f"http://testserver/neuigkeiten/{item.pk}/"
    assert first.id == f"tag:werkstatt.localhost,{item.created.astimezone(dt.UTC):%Y-%m-%d}:neuigkeit-{item.pk}"
    assert first.published == "2025-03-24T00:00:00+01:00"
    assert _when(first.updated_parsed) == _second(item.modified)
    assert first.summary == item.teaser
    assert [tag.term for tag in first.tags] == ["Werkstatt 4"]


def test_workshop_news_feed_has_only_that_workshops_news(demo, client):
    workshop2 = Workshop.objects.get(number=2)
    news_item_create(
        actor=None, body=workshop2.body, title="Nur Werkstatt 2", date=dt.date(2025, 4, 1), published=True,
        workshops=[workshop2],
    )  # fmt: skip
    w2 = _feed(client, _url("news-feed-workshop", 2))
    w4 = _feed(client, _url("news-feed-workshop", 4))
    assert [entry.title for entry in w2.entries] == ["Nur Werkstatt 2"]
    assert w2.feed.title == "Neuigkeiten der Werkstatt 2"
    assert {link.rel: link.href for link in w2.feed.links}["alternate"] == "http://testserver/werkstaetten/2/"
    assert "Nur Werkstatt 2" not in {entry.title for entry in w4.entries}
    assert len(w4.entries) == 3


def test_a_feed_holds_the_newest_fifty_entries(demo, client):
    body = Workshop.objects.get(number=4).body
    for n in range(FEED_LIMIT + 5):
        news_item_create(
            actor=None, body=body, title=f"Meldung {n}", date=dt.date(2026, 1, 1) + dt.timedelta(days=n),
            published=True,
        )  # fmt: skip
    parsed = _feed(client, _url("news-feed"))
    assert len(parsed.entries) == FEED_LIMIT
    assert parsed.entries[0].title == f"Meldung {FEED_LIMIT + 4}"
    assert parsed.entries[-1].title == "Meldung 5"


# --- published minutes -----------------------------------------------------------------------------------


def _session(workshop: Workshop, number: int, *, publish: bool = True) -> Meeting:
    meeting = meeting_create(actor=None, workshop=workshop, number=number, date=dt.date(2024, 5, number % 28 + 1))
    agenda_item_create(actor=None, meeting=meeting, number="1", title="Öffentlicher Bericht")
    agenda_item_create(actor=None, meeting=meeting, number="2", title="Personalangelegenheit", public=False)
    meeting_transition(actor=None, meeting=meeting, target=MeetingState.HELD)
    steps = [MinutesState.CIRCULATED, MinutesState.APPROVED] + ([MinutesState.PUBLISHED] if publish else [])
    for step in steps:
        meeting = meeting_minutes_transition(actor=None, meeting=meeting, target=step)
    return meeting


def _published_at(meeting: Meeting) -> dt.datetime:
    return meeting.history.filter(minutes_state=MinutesState.PUBLISHED).earliest("history_date").history_date


def test_minutes_feed_has_only_published_minutes_with_pdf_and_publication_time(demo, client):
    session_16 = Meeting.objects.get(workshop__number=4, number=16)
    parsed = _feed(client, _url("minutes-feed"))
    assert parsed.feed.title == "Ergebnisprotokolle der Werkstätten"
    (entry,) = parsed.entries  # session 15 is approved only, the Werkstatt 2 session a draft
    assert entry.title == "Ergebnisprotokoll: 16. Sitzung der Werkstatt 4 vom 24.01.2024"
    assert _alternate(entry) == f"http://testserver/sitzungen/{session_16.pk}/"
    (enclosure,) = entry.enclosures
    assert enclosure.href == f"http://testserver/sitzungen/{session_16.pk}/ergebnisprotokoll.pdf"
    assert enclosure.type == "application/pdf"
    assert client.get(enclosure.href.removeprefix("http://testserver")).status_code == 200
    assert _when(entry.updated_parsed) == _second(_published_at(session_16))
    assert _when(entry.published_parsed) == _second(_published_at(session_16))
    assert "TOP 8 Sonstiges" in entry.summary
    assert [tag.term for tag in entry.tags] == ["Werkstatt 4"]


def test_minutes_feed_agrees_with_the_session_page_and_hides_non_public_items(demo, client, anonymous):
    workshop4, workshop2 = Workshop.objects.get(number=4), Workshop.objects.get(number=2)
    newer = _session(workshop4, 17)
    _session(workshop4, 18, publish=False)
    other = _session(workshop2, 5)
    parsed = _feed(client, _url("minutes-feed"))
    shown = {_alternate(entry) for entry in parsed.entries}
    for meeting in Meeting.objects.all():
        page_shows = meeting_get_for_user(anonymous, meeting.pk).show_minutes
        assert (f"http://testserver/sitzungen/{meeting.pk}/" in shown) == page_shows, meeting
    # Newest publication first.
    assert [_alternate(e) for e in parsed.entries[:2]] == [
        f"http://testserver/sitzungen/{other.pk}/",
        f"http://testserver/sitzungen/{newer.pk}/",
    ]
    assert "Öffentlicher Bericht" in parsed.entries[0].summary
    assert "Personalangelegenheit" not in parsed.entries[0].summary
    w4 = _feed(client, _url("minutes-feed-workshop", 4))
    assert w4.feed.title == "Ergebnisprotokolle der Werkstatt 4"
    assert {_alternate(e) for e in w4.entries} == {
        f"http://testserver/sitzungen/{newer.pk}/",
        f"http://testserver/sitzungen/{Meeting.objects.get(workshop=workshop4, number=16).pk}/",
    }


def test_minutes_updated_is_the_publication_not_a_later_change(demo, client):
    meeting = _session(Workshop.objects.get(number=4), 17)
    published_at = _published_at(meeting)
    later = published_at + dt.timedelta(days=3)
    Meeting.objects.filter(pk=meeting.pk).update(modified=later)
    (entry, *_rest) = _feed(client, _url("minutes-feed-workshop", 4)).entries
    assert _alternate(entry) == f"http://testserver/sitzungen/{meeting.pk}/"
    assert _when(entry.updated_parsed) == _second(published_at)
    # Without a history row in the state "published", the last change of the session is what is known.
    meeting.history.all().delete()
    (entry, *_rest) = _feed(client, _url("minutes-feed-workshop", 4)).entries
    assert _when(entry.updated_parsed) == _second(later)


# --- milestones ------------------------------------------------------------------------------------------


@pytest.fixture
def portfolio(demo) -> dict[str, Any]:
    """A public project of Werkstatt 4 in Elbe-Elster with a planned and a reached milestone, a non-public one of
    Werkstatt 4, and a public project of Werkstatt 2 that Werkstatt 4 also hears."""
    body = Workshop.objects.get(number=4).body
    w4, w2 = Workshop.objects.get(number=4), Workshop.objects.get(number=2)
    elbe_elster = District.objects.get(ags="12062")
    hospital = project_create(
        actor=None, body=body, title="Gesundheitszentrum Herzberg", lead_workshop=w4, district=elbe_elster
    )
    secret = project_create(actor=None, body=body, title="Vertrauliche Ansiedlung", lead_workshop=w4, public=False)
    shared = project_create(actor=None, body=body, title="Radweg Spreewald", lead_workshop=w2, other_workshops=[w4])
    return {
        "hospital": hospital,
        "secret": secret,
        "shared": shared,
        "ground": milestone_save(
            actor=None, project=hospital, kind=MilestoneKind.GROUND_BREAKING,
            planned_date=dt.date(2024, 3, 1), actual_date=dt.date(2024, 3, 5), note="Mit dem Landrat",
        ),
        "opening": milestone_save(
            actor=None, project=hospital, kind=MilestoneKind.OPENING, planned_date=dt.date(2025, 9, 1)
        ),
        "hidden": milestone_save(
            actor=None, project=secret, kind=MilestoneKind.OTHER, title="Geheimer Termin",
            planned_date=dt.date(2025, 1, 1),
        ),
        "bridge": milestone_save(
            actor=None, project=shared, kind=MilestoneKind.OTHER, title="Brückenschlag",
            actual_date=dt.date(2024, 8, 15),
        ),
    }  # fmt: skip


def _tag(milestone: Milestone) -> str:
    return f"tag:werkstatt.localhost,{milestone.created.astimezone(dt.UTC):%Y-%m-%d}:meilenstein-{milestone.pk}"


def test_milestones_feed_has_the_milestones_of_public_projects_only(portfolio, client, office_user):
    client.force_login(office_user)  # the public view, also for the office
    parsed = _feed(client, _url("milestones-feed"))
    assert parsed.feed.title == "Meilensteine der Projekte"
    # Most recently changed first.
    assert [entry.id for entry in parsed.entries] == [_tag(portfolio[key]) for key in ("bridge", "opening", "ground")]
    titles = [entry.title for entry in parsed.entries]
    assert titles == [
        "Brückenschlag am 15.08.2024: Radweg Spreewald",
        "Eröffnung, geplant am 01.09.2025: Gesundheitszentrum Herzberg",
        "Spatenstich am 05.03.2024: Gesundheitszentrum Herzberg",
    ]
    assert not any("Vertrauliche" in title or "Geheimer" in title for title in titles)
    ground = parsed.entries[2]
    assert _alternate(ground) == f"http://testserver/projekte/{portfolio['hospital'].pk}/#werdegang"
    assert "stattgefunden am 05.03.2024 (geplant war der 01.03.2024)" in ground.summary
    assert "Mit dem Landrat" in ground.summary
    assert _when(ground.updated_parsed) == _second(portfolio["ground"].modified)
    assert [tag.term for tag in ground.tags] == ["Spatenstich"]
    assert "geplant am 01.09.2025" in parsed.entries[1].summary


def test_milestone_entry_keeps_its_id_when_it_changes(portfolio, client):
    before = {entry.id: entry for entry in _feed(client, _url("milestones-feed")).entries}
    again = {entry.id: entry for entry in _feed(client, _url("milestones-feed")).entries}
    assert list(before) == list(again)
    opening = milestone_save(
        actor=None, project=portfolio["hospital"], milestone=portfolio["opening"], kind=MilestoneKind.OPENING,
        planned_date=dt.date(2025, 9, 1), actual_date=dt.date(2025, 9, 2),
    )  # fmt: skip
    after = _feed(client, _url("milestones-feed")).entries
    assert after[0].id == _tag(portfolio["opening"])
    assert after[0].title == "Eröffnung am 02.09.2025: Gesundheitszentrum Herzberg"
    assert _when(after[0].updated_parsed) == _second(opening.modified)
    assert set(before) == {entry.id for entry in after}


def test_milestones_of_a_workshop_and_of_a_district(portfolio, client):
    w4 = _feed(client, _url("milestones-feed-workshop", 4))
    assert w4.feed.title == "Meilensteine der Projekte der Werkstatt 4"
    assert {link.rel: link.href for link in w4.feed.links}["alternate"] == "http://testserver/projekte/?werkstatt=4"
    assert {entry.id for entry in w4.entries} == {_tag(portfolio[k]) for k in ("ground", "opening", "bridge")}
    w2 = _feed(client, _url("milestones-feed-workshop", 2))
    assert [entry.id for entry in w2.entries] == [_tag(portfolio["bridge"])]
    district = _feed(client, _url("milestones-feed-district", "12062"))
    assert district.feed.title == "Meilensteine der Projekte: Landkreis Elbe-Elster"
    assert {entry.id for entry in district.entries} == {_tag(portfolio[k]) for k in ("ground", "opening")}
    assert _feed(client, _url("milestones-feed-district", "12052")).entries == []


def test_a_project_taken_out_of_the_public_register_takes_its_milestones_along(portfolio, client):
    project_update(actor=None, project=portfolio["hospital"], public=False)
    ids = {entry.id for entry in _feed(client, _url("milestones-feed")).entries}
    assert ids == {_tag(portfolio["bridge"])}
    assert _feed(client, _url("milestones-feed-district", "12062")).entries == []


# --- cost ---------------------------------------------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_query_count_of_every_feed_does_not_grow_with_the_data(portfolio, client):
    urls = [_url(name, *args) for name, args in FEEDS]
    before = [_count(client, url) for url in urls]
    w4, w2 = Workshop.objects.get(number=4), Workshop.objects.get(number=2)
    elbe_elster = District.objects.get(ags="12062")
    for n in range(6):
        news_item_create(
            actor=None, body=w4.body, title=f"Mehr {n}", date=dt.date(2025, 5, n + 1), published=True,
            workshops=[w4, w2],
        )  # fmt: skip
        _session(w4 if n % 2 else w2, 20 + n)
        project = project_create(
            actor=None, body=w4.body, title=f"Projekt {n}", lead_workshop=w2, other_workshops=[w4], district=elbe_elster
        )
        for kind in (MilestoneKind.GROUND_BREAKING, MilestoneKind.TOPPING_OUT):
            milestone_save(actor=None, project=project, kind=kind, planned_date=dt.date(2026, 1, n + 1))
    after = [_count(client, url) for url in urls]
    assert after == before
    assert max(before) <= 4, before
    assert len(_feed(client, urls[4]).entries) == 3 + 12


# --- the pages that offer them ------------------------------------------------------------------------------


class _Links(HTMLParser):
    """``<link rel="alternate">`` of the head and the links of the body with their text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.alternates: list[dict[str, str | None]] = []
        self.anchors: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "alternate":
            self.alternates.append(values)
        if tag == "a":
            self._href, self._text = values.get("href"), []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.anchors.append((" ".join("".join(self._text).split()), self._href))
            self._href = None


def _links(client: Client, url: str) -> _Links:
    response = client.get(url)
    assert response.status_code == 200
    parser = _Links()
    parser.feed(response.content.decode())
    return parser


def _alternates(links: _Links) -> dict[str, str]:
    return {str(link["href"]): str(link["type"]) for link in links.alternates}


def test_workshop_page_offers_the_calendar_subscription_and_its_feeds(demo, client):
    links = _links(client, reverse("portal:workshop-detail", args=[4]))
    anchors = dict(links.anchors)
    assert anchors["Termine der Werkstatt 4 abonnieren"] == "webcal://testserver/werkstaetten/4/termine.ics"
    assert anchors["Kalenderadresse (iCal) öffnen"] == "http://testserver/werkstaetten/4/termine.ics"
    assert anchors["Neuigkeiten als Feed abonnieren (Atom)"] == "/werkstaetten/4/neuigkeiten.atom"
    assert anchors["Ergebnisprotokolle als Feed abonnieren (Atom)"] == "/werkstaetten/4/protokolle.atom"
    assert anchors["Meilensteine der Projekte als Feed abonnieren (Atom)"] == "/werkstaetten/4/meilensteine.atom"
    assert _alternates(links) == {
        "/werkstaetten/4/neuigkeiten.atom": "application/atom+xml",
        "/werkstaetten/4/protokolle.atom": "application/atom+xml",
        "/werkstaetten/4/meilensteine.atom": "application/atom+xml",
        "/werkstaetten/4/termine.ics": "text/calendar",
    }
    text = client.get(reverse("portal:workshop-detail", args=[4])).content.decode()
    assert "Abonnieren heißt: Ihr Kalender übernimmt alle Sitzungstermine der Werkstatt 4" in text


def test_workshop_list_offers_all_sessions_and_the_home_page_points_there(demo, client):
    links = _links(client, reverse("portal:workshop-list"))
    anchors = dict(links.anchors)
    assert anchors["Termine aller Werkstätten abonnieren"] == "webcal://testserver/termine.ics"
    assert anchors["Kalenderadresse (iCal) öffnen"] == "http://testserver/termine.ics"
    assert anchors["Ergebnisprotokolle als Feed abonnieren (Atom)"] == "/protokolle/feed.atom"
    home = _links(client, reverse("portal:home"))
    assert dict(home.anchors)["Termine aller Werkstätten abonnieren"] == "/werkstaetten/#termine-abonnieren"
    assert dict(home.anchors)["Neuigkeiten als Feed abonnieren (Atom)"] == "/neuigkeiten/feed.atom"
    assert set(_alternates(home)) == {
        "/neuigkeiten/feed.atom",
        "/protokolle/feed.atom",
        "/meilensteine/feed.atom",
        "/termine.ics",
    }


def test_session_page_keeps_its_calendar_download(demo, client):
    meeting = Meeting.objects.get(workshop__number=4, number=16)
    anchors = dict(_links(client, reverse("portal:meeting-detail", args=[meeting.pk])).anchors)
    assert anchors["In den Kalender übernehmen (iCal)"] == f"/sitzungen/{meeting.pk}/termin.ics"
    assert anchors["Alle Termine der Werkstatt 4 abonnieren"] == "/werkstaetten/4/#termine-abonnieren"


def test_news_page_offers_its_feed(demo, client):
    links = _links(client, reverse("portal:news-list"))
    assert dict(links.anchors)["Als Feed abonnieren (Atom)"] == "/neuigkeiten/feed.atom"
    assert _alternates(links) == {"/neuigkeiten/feed.atom": "application/atom+xml"}


@pytest.mark.parametrize(
    ("query", "href", "label"),
    [
        ("", "/meilensteine/feed.atom", "Meilensteine aller öffentlichen Projekte"),
        ("?werkstatt=4&stand=idea", "/werkstaetten/4/meilensteine.atom", "Meilensteine der Projekte der Werkstatt 4"),
        ("?kreis=12062", "/landkreise/12062/meilensteine.atom", "Meilensteine der Projekte in Elbe-Elster"),
        # An unknown district or workshop, or both filters at once: the feed of all projects.
        ("?kreis=99999", "/meilensteine/feed.atom", "Meilensteine aller öffentlichen Projekte"),
        ("?werkstatt=9", "/meilensteine/feed.atom", "Meilensteine aller öffentlichen Projekte"),
        ("?werkstatt=4&kreis=12062", "/meilensteine/feed.atom", "Meilensteine aller öffentlichen Projekte"),
    ],
)
def test_register_offers_the_milestones_feed_of_its_filter(demo, client, query, href, label):
    links = _links(client, reverse("portal:project-list") + query)
    assert dict(links.anchors)[f"{label} als Feed abonnieren (Atom)"] == href
    assert links.alternates == [
        {"rel": "alternate", "type": "application/atom+xml", "href": href, "title": f"{label} (Atom)"}
    ]
    _feed(client, href)


def test_every_alternate_link_of_the_public_pages_answers(demo, client):
    seen = set()
    for url in demo_page_urls().values():
        for href, kind in _alternates(_links(client, url)).items():
            seen.add(href)
            if kind == "text/calendar":
                response = client.get(href)
                assert response.status_code == 200
                assert Calendar.from_ical(response.content)["METHOD"] == "PUBLISH"
            else:
                _feed(client, href)
    assert len(seen) >= 8, seen
