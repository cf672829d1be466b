"""Atom feeds (RFC 4287) of what the public pages show: news, published minutes, project milestones.

Every feed is the public view, whoever fetches it (feed readers send no login): the selectors are asked for
an anonymous user. Each feed holds the newest ``FEED_LIMIT`` entries (its subtitle says so) and costs a fixed
number of queries whatever the amount of data. Entry ids are tag URIs (RFC 4151) under
``WERKSTATT_ICAL_DOMAIN`` with the day the object was created, so they do not change with the host name
the feed was fetched from, nor when the entry changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import require_safe

from werkstatt.core.dates import format_date
from werkstatt.exports.minutes import PDF_CONTENT_TYPE
from werkstatt.geo.models import District
from werkstatt.geo.selectors import district_get_by_ags
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.selectors import meetings_with_public_minutes
from werkstatt.news.models import NewsItem
from werkstatt.news.selectors import news_item_list_for_user, news_items_for_workshop
from werkstatt.organizations.models import Workshop
from werkstatt.organizations.selectors import workshop_get_by_number
from werkstatt.projects.models import Milestone
from werkstatt.projects.selectors import ProjectFilter, milestones_visible_to

# Entries per feed: the newest ones.
FEED_LIMIT = 50
ATOM_CONTENT_TYPE = "application/atom+xml"


def tag_uri(kind: str, pk: int, created: dt.datetime) -> str:
    """``tag:werkstatt.localhost,2024-01-24:meilenstein-7``: stable whatever host the feed was fetched from."""
    return f"tag:{settings.WERKSTATT_ICAL_DOMAIN},{created.astimezone(dt.UTC):%Y-%m-%d}:{kind}-{pk}"


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


@dataclass(frozen=True)
class FeedFile:
    """A file an entry points to (``<link rel="enclosure">``), without a length nobody measured."""

    url: str
    mime_type: str
    title: str


@dataclass(frozen=True)
class Entry:
    title: str
    link: str  # path or absolute address of the page the entry is about
    guid: str
    summary_html: str
    updated: dt.datetime
    published: dt.datetime | None = None
    categories: tuple[str, ...] = ()
    files: tuple[FeedFile, ...] = ()


@dataclass(frozen=True)
class Scope:
    """What a feed is about (all, one workshop, one district), with the request for absolute addresses."""

    request: HttpRequest
    workshop: Workshop | None = None
    district: District | None = None


class WerkstattAtomFeed(Atom1Feed):
    """Atom with typed file links: the minutes PDF as ``rel="enclosure"`` with ``type`` and ``title``
    (Django's enclosures require a length; Atom does not, and the PDF is rendered only when asked for)."""

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        for file in item.get("files", ()):
            handler.addQuickElement(
                "link", "", {"rel": "enclosure", "href": file.url, "type": file.mime_type, "title": file.title}
            )


@method_decorator(require_safe, name="__call__")
class EntryFeed(Feed):
    """A feed whose ``items`` are ready ``Entry`` objects: the item methods only read them. GET and HEAD only."""

    feed_type = WerkstattAtomFeed
    language = "de"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        return Scope(request=request)

    def author_name(self) -> str:
        return str(settings.WERKSTATT_BODY_NAME)

    def feed_guid(self, scope: Scope) -> str:
        # The feed's own address: the workshop page is the alternate link of several feeds.
        return scope.request.build_absolute_uri(scope.request.path)

    def subtitle(self, scope: Scope) -> str:
        return _("Die neuesten %(limit)s Einträge, der neueste zuerst.") % {"limit": FEED_LIMIT}

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_guid(self, item: Entry) -> str:
        return item.guid

    def item_description(self, item: Entry) -> str:
        return item.summary_html

    def item_pubdate(self, item: Entry) -> dt.datetime | None:
        return item.published

    def item_updateddate(self, item: Entry) -> dt.datetime:
        return item.updated

    def item_categories(self, item: Entry) -> tuple[str, ...]:
        return item.categories

    def item_extra_kwargs(self, item: Entry) -> dict[str, Any]:
        return {"files": item.files}


class WorkshopScoped:
    """Mixin: the feed of one workshop, ``werkstaetten/<number>/…``; 404 for an unknown workshop."""

    def get_object(self, request: HttpRequest, number: int) -> Scope:
        return Scope(request=request, workshop=workshop_get_by_number(AnonymousUser(), number, with_people=False))


# --- news --------------------------------------------------------------------------------------------


def news_entry(item: NewsItem) -> Entry:
    return Entry(
        title=item.title,
        link=reverse("portal:news-detail", args=[item.pk]),
        guid=tag_uri("neuigkeit", item.pk, item.created),
        summary_html=escape(item.teaser),
        published=_start_of_day(item.date),
        updated=item.modified,
        categories=tuple(workshop.label for workshop in item.workshops.all()),
    )


class NewsFeed(EntryFeed):
    """Published news (``news_items_visible_to`` an anonymous user), newest first; of one workshop or all."""

    def title(self, scope: Scope) -> str:
        if scope.workshop is not None:
            return _("Neuigkeiten der %(workshop)s") % {"workshop": scope.workshop.label}
        return _("Neuigkeiten aus der Lausitz")

    def link(self, scope: Scope) -> str:
        if scope.workshop is not None:
            return reverse("portal:workshop-detail", args=[scope.workshop.number])
        return reverse("portal:news-list")

    def subtitle(self, scope: Scope) -> str:
        return _("Die neuesten %(limit)s veröffentlichten Neuigkeiten, die neueste zuerst.") % {"limit": FEED_LIMIT}

    def items(self, scope: Scope) -> list[Entry]:
        anonymous = AnonymousUser()
        if scope.workshop is not None:
            news = news_items_for_workshop(anonymous, scope.workshop)
        else:
            news = news_item_list_for_user(anonymous)
        return [news_entry(item) for item in news[:FEED_LIMIT]]


class WorkshopNewsFeed(WorkshopScoped, NewsFeed):
    pass


# --- published minutes ---------------------------------------------------------------------------------


def minutes_entry(meeting: Meeting, request: HttpRequest) -> Entry:
    """One entry per session whose minutes are published: the session page, the PDF as enclosure."""
    when = format_date(meeting.date)
    title = _("Ergebnisprotokoll: %(meeting)s") % {"meeting": meeting.title}
    if meeting.number:  # a session without a number has the date in its title already
        title += " " + _("vom %(date)s") % {"date": when}
    items = meeting.public_agenda_items  # type: ignore[attr-defined]
    summary = format_html(
        "<p>{}</p>",
        _("Das Ergebnisprotokoll der Sitzung vom %(date)s ist veröffentlicht.") % {"date": when},
    )
    if items:
        summary += format_html(
            "<p>{}</p><ul>{}</ul>",
            _("Tagesordnung") + ":",
            format_html_join("", "<li>{} {} {}</li>", ((_("TOP"), item.number, item.title) for item in items)),
        )
    published_at: dt.datetime = meeting.minutes_published_at  # type: ignore[attr-defined]
    pdf = request.build_absolute_uri(reverse("exports:minutes-pdf", args=[meeting.pk]))
    return Entry(
        title=title,
        link=reverse("portal:meeting-detail", args=[meeting.pk]),
        guid=tag_uri("protokoll", meeting.pk, meeting.created),
        summary_html=str(summary),
        published=published_at,
        updated=published_at,
        categories=(meeting.workshop.label,),
        files=(FeedFile(url=pdf, mime_type=PDF_CONTENT_TYPE, title=_("Ergebnisprotokoll als PDF")),),
    )


class MinutesFeed(EntryFeed):
    """Sessions whose minutes are published (``meetings_with_public_minutes``), newest publication first;
    updated = when the minutes were published. Of one workshop or all."""

    def title(self, scope: Scope) -> str:
        if scope.workshop is not None:
            return _("Ergebnisprotokolle der %(workshop)s") % {"workshop": scope.workshop.label}
        return _("Ergebnisprotokolle der Werkstätten")

    def link(self, scope: Scope) -> str:
        if scope.workshop is not None:
            return reverse("portal:workshop-detail", args=[scope.workshop.number])
        return reverse("portal:workshop-list")

    def subtitle(self, scope: Scope) -> str:
        return _("Die %(limit)s zuletzt veröffentlichten Ergebnisprotokolle, das neueste zuerst.") % {
            "limit": FEED_LIMIT
        }

    def items(self, scope: Scope) -> list[Entry]:
        meetings = meetings_with_public_minutes(workshop=scope.workshop)[:FEED_LIMIT]
        return [minutes_entry(meeting, scope.request) for meeting in meetings]


class WorkshopMinutesFeed(WorkshopScoped, MinutesFeed):
    pass


# --- project milestones -------------------------------------------------------------------------------


def milestone_entry(milestone: Milestone) -> Entry:
    project = milestone.project
    date = format_date(milestone.date)
    if milestone.done:
        title = _("%(milestone)s am %(date)s: %(project)s")
        when = _("stattgefunden am %(date)s") % {"date": date}
        if milestone.planned_date and milestone.planned_date != milestone.actual_date:
            when += " " + _("(geplant war der %(date)s)") % {"date": format_date(milestone.planned_date)}
    else:
        title = _("%(milestone)s, geplant am %(date)s: %(project)s")
        when = _("geplant am %(date)s") % {"date": date}
    summary = format_html(
        "<p>{}</p>",
        _("%(milestone)s des Projekts „%(project)s“, %(when)s.")
        % {"milestone": milestone.label, "project": project.title, "when": when},
    )
    if milestone.note:
        summary += format_html("<p>{}</p>", milestone.note)
    return Entry(
        title=title % {"milestone": milestone.label, "date": date, "project": project.title},
        link=reverse("portal:project-detail", args=[project.pk]) + "#werdegang",
        guid=tag_uri("meilenstein", milestone.pk, milestone.created),
        summary_html=str(summary),
        updated=milestone.modified,
        categories=(str(milestone.get_kind_display()),),
    )


class MilestonesFeed(EntryFeed):
    """Milestones of public projects (``projects_visible_to`` an anonymous user), most recently changed first;
    updated = when the milestone was last changed. All, of the projects one workshop leads or hears, or of
    the projects in one district."""

    def title(self, scope: Scope) -> str:
        if scope.workshop is not None:
            return _("Meilensteine der Projekte der %(workshop)s") % {"workshop": scope.workshop.label}
        if scope.district is not None:
            return _("Meilensteine der Projekte: %(kind)s %(name)s") % {
                "kind": scope.district.kind,
                "name": scope.district.display_name,
            }
        return _("Meilensteine der Projekte")

    def link(self, scope: Scope) -> str:
        if scope.workshop is not None:
            return _register_link(ProjectFilter(workshop=scope.workshop.number))
        if scope.district is not None:
            return _register_link(ProjectFilter(district=scope.district.ags))
        return reverse("portal:project-list")

    def subtitle(self, scope: Scope) -> str:
        return _("Die %(limit)s zuletzt eingetragenen oder geänderten Meilensteine öffentlicher Projekte.") % {
            "limit": FEED_LIMIT
        }

    def items(self, scope: Scope) -> list[Entry]:
        milestones = milestones_visible_to(AnonymousUser(), workshop=scope.workshop, district=scope.district)
        return [milestone_entry(m) for m in milestones.order_by("-modified", "-pk")[:FEED_LIMIT]]


class WorkshopMilestonesFeed(WorkshopScoped, MilestonesFeed):
    pass


class DistrictMilestonesFeed(MilestonesFeed):
    """404 for a key that is no district of the reference data."""

    def get_object(self, request: HttpRequest, ags: str) -> Scope:
        return Scope(request=request, district=district_get_by_ags(ags))


def _register_link(filters: ProjectFilter) -> str:
    return reverse("portal:project-list") + "?" + urlencode(filters.as_query())
