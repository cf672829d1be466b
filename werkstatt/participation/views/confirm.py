"""The confirmation link of every submission (double opt-in). GET only shows a button: mail programs and link
scanners that open links must not confirm anything; the person confirms with the button (POST)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from werkstatt.participation.services.participants import confirmation_read, confirmation_use
from werkstatt.participation.tokens import TokenError


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            result = confirmation_use(token=token)
        except TokenError as exc:
            return render(request, "participation/link_error.html", {"message": exc.message}, status=400)
        return render(request, "participation/confirmed.html", {"result": result})
    try:
        confirmation_read(token)
    except TokenError as exc:
        return render(request, "participation/link_error.html", {"message": exc.message}, status=400)
    return render(
        request,
        "participation/confirm.html",
        {"title": _("E-Mail-Adresse bestätigen"), "days": settings.PARTICIPATION_UNCONFIRMED_DAYS},
    )
