"""Public pages: parse the request, call selectors, render. No writes here."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from werkstatt.meetings import selectors as meeting_selectors
from werkstatt.news import selectors as news_selectors
from werkstatt.organizations import selectors as org_selectors

HOME_NEWS_COUNT = 3
WORKSHOP_NEWS_COUNT = 3


def home(request: HttpRequest) -> HttpResponse:
    workshops = list(org_selectors.workshop_list(request.user))
    return render(
        request,
        "portal/home.html",
        {
            "workshops": workshops,
            "announced": [w for w in workshops if w.next_session_date],
            "upcoming": list(meeting_selectors.meetings_upcoming(request.user)),
            "news_items": list(news_selectors.news_item_list_for_user(request.user)[:HOME_NEWS_COUNT]),
        },
    )


def workshop_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/workshop_list.html", {"workshops": list(org_selectors.workshop_list(request.user))})


def workshop_detail(request: HttpRequest, number: int) -> HttpResponse:
    workshop = org_selectors.workshop_get_by_number(request.user, number)
    return render(
        request,
        "portal/workshop_detail.html",
        {
            "crumbs": [(reverse("portal:workshop-list"), _("Werkstätten"))],
            "workshop": workshop,
            "speakers": workshop.current_speakers,  # type: ignore[attr-defined]
            "member_links": workshop.current_member_links,  # type: ignore[attr-defined]
            "meetings": list(meeting_selectors.meeting_list_for_workshop(request.user, workshop)),
            "presentations": list(meeting_selectors.project_presentations_for_workshop(request.user, workshop)),
            "news_items": list(news_selectors.news_items_for_workshop(request.user, workshop)[:WORKSHOP_NEWS_COUNT]),
        },
    )


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = meeting_selectors.meeting_get_for_user(request.user, pk)
    workshop = page.meeting.workshop
    crumbs = [
        (reverse("portal:workshop-list"), _("Werkstätten")),
        (reverse("portal:workshop-detail", args=[workshop.number]), workshop.label),
    ]
    return render(request, "portal/meeting_detail.html", {"page": page, "meeting": page.meeting, "crumbs": crumbs})


def news_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "portal/news_list.html", {"news_items": list(news_selectors.news_item_list_for_user(request.user))}
    )


def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = news_selectors.news_item_get_for_user(request.user, pk)
    crumbs = [(reverse("portal:news-list"), _("Neuigkeiten"))]
    return render(request, "portal/news_detail.html", {"item": item, "crumbs": crumbs})


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = org_selectors.organization_get_for_user(request.user, pk)
    return render(request, "portal/organization_detail.html", {"page": page, "organization": page.organization})


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = org_selectors.person_get_for_user(request.user, pk)
    return render(
        request,
        "portal/person_detail.html",
        {"person": person, "presentations": list(meeting_selectors.presentations_by_person(request.user, person))},
    )
