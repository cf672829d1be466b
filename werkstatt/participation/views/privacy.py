"""Public pages of the participation's privacy: the overview "Mitmachen", the privacy page generated from what is
stored, and "Meine Daten" (see, download and delete everything about an address, by e-mail link)."""

import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from werkstatt.participation import privacy
from werkstatt.participation.forms import EmailForm, client_ip
from werkstatt.participation.selectors_privacy import mydata_export, mydata_for, mydata_participant
from werkstatt.participation.services.privacy import mydata_request as request_link
from werkstatt.participation.services.privacy import participant_erase
from werkstatt.participation.tokens import TokenError


@dataclass(frozen=True)
class Offer:
    url: str
    title: str
    text: str


def _offer(name: str, title: str, text: str, query: str = "") -> Offer:
    return Offer(url=reverse(name) + query, title=title, text=text)


def _offers() -> list[Offer]:
    return [
        _offer(
            "participation:idea-create",
            _("Eine Idee einreichen"),
            _(
                "Sie haben eine Idee für ein Projekt in der Lausitz? Reichen Sie sie bei einer Werkstatt ein. "
                "Die Geschäftsstelle antwortet öffentlich."
            ),
        ),
        _offer(
            "participation:idea-create-young",
            _("Ideen von Kindern und Jugendlichen"),
            _("Ein einfaches Formular in kurzen Sätzen für alle, die noch zur Schule gehen."),
        ),
        _offer(
            "participation:idea-list",
            _("Eingereichte Ideen ansehen"),
            _("Die Ideen, die die Geschäftsstelle gesichtet hat, mit ihrem Stand und ihrer Antwort."),
        ),
        _offer(
            "participation:subscribe",
            _("Neuigkeiten abonnieren"),
            _(
                "Per E-Mail erfahren, was neu ist, ohne Konto. Eine Werkstatt, ein Projekt oder einen Landkreis "
                "abonnieren Sie auf deren Seiten. Abbestellen mit einem Klick in jeder E-Mail."
            ),
            query="?thema=neuigkeiten",
        ),
        _offer(
            "participation:mydata-request",
            _("Meine Daten"),
            _("Sehen, herunterladen oder löschen, was zu Ihrer E-Mail-Adresse gespeichert ist."),
        ),
        _offer(
            "participation:privacy",
            _("Datenschutz"),
            _("Was wir speichern, wozu und wie lange, und welche Rechte Sie haben."),
        ),
    ]


def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/privacy/overview.html", {"offers": _offers()})


def privacy_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participation/privacy/privacy.html",
        {
            "stored_models": privacy.stored_models(),
            "retention": privacy.retention(),
            "contact": settings.WERKSTATT_PRIVACY_CONTACT,
            "mydata_request_url": reverse("participation:mydata-request"),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def mydata_request(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST or None)
    form.fields["email"].help_text = _(
        "Ist zu dieser Adresse etwas gespeichert, erhalten Sie eine E-Mail mit einem Link zu Ihren Daten."
    )
    if request.method == "POST" and form.is_valid():
        try:
            request_link(email=form.cleaned_data["email"], ip=client_ip(request))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # The same answer whether the address is known or not: the page never tells what is stored.
            return render(
                request,
                "participation/privacy/mydata_sent.html",
                {"hours": settings.PARTICIPATION_MYDATA_LINK_HOURS},
            )
    return render(
        request,
        "participation/privacy/mydata_request.html",
        {"form": form, "hours": settings.PARTICIPATION_MYDATA_LINK_HOURS},
        status=400 if form.errors else 200,
    )


def _link_error(request: HttpRequest, exc: TokenError) -> HttpResponse:
    return render(
        request,
        "participation/link_error.html",
        {"message": exc.message},
        status=410 if exc.code == "gone" else 400,
    )


@never_cache
def mydata(request: HttpRequest, token: str) -> HttpResponse:
    try:
        participant = mydata_participant(token)
    except TokenError as exc:
        return _link_error(request, exc)
    return render(
        request,
        "participation/privacy/mydata.html",
        {"data": mydata_for(participant), "token": token, "retention": privacy.retention()},
    )


@never_cache
def mydata_export_json(request: HttpRequest, token: str) -> HttpResponse:
    try:
        participant = mydata_participant(token)
    except TokenError as exc:
        return _link_error(request, exc)
    body = json.dumps(mydata_export(mydata_for(participant)), ensure_ascii=False, indent=2, sort_keys=True)
    response = HttpResponse(body + "\n", content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meine-daten-werkstatt.json"'
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def mydata_delete(request: HttpRequest, token: str) -> HttpResponse:
    try:
        participant = mydata_participant(token)
    except TokenError as exc:
        return _link_error(request, exc)
    if request.method == "POST":
        erased = participant_erase(participant=participant)
        return render(request, "participation/privacy/mydata_deleted.html", {"erased": erased})
    return render(
        request, "participation/privacy/mydata_delete.html", {"data": mydata_for(participant), "token": token}
    )
