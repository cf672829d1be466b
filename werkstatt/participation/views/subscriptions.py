"""Subscribing (``participation:subscribe``) and unsubscribing (``participation:unsubscribe``) without an account.

The subscribe page never tells whether an address is subscribed already: every accepted request ends on the same
page, and what applies is said in the mail. The unsubscribe link shows what it cancels and a button (GET changes
nothing: mail programs and link scanners open links); the button, and the one-click POST of mail programs
(RFC 8058, ``List-Unsubscribe-Post``), cancel.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from werkstatt.participation.forms import client_ip
from werkstatt.participation.forms_subscriptions import SubscribeForm
from werkstatt.participation.selectors_subscriptions import (
    TargetError,
    subscribe_target_from_query,
    subscription_target,
    subscriptions_of_unsubscribe_token,
)
from werkstatt.participation.services.abuse import rate_limit_hit
from werkstatt.participation.services.subscriptions import subscription_request, subscription_unsubscribe
from werkstatt.participation.tokens import TokenError


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    try:
        target = subscribe_target_from_query(request.GET.get("thema", ""), request.GET.get("id", ""))
    except TargetError as exc:
        return render(
            request,
            "participation/subscriptions/target_error.html",
            {"message": exc.message},
            status=exc.status,
        )
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rate_limit_hit(scope="subscription", ip=client_ip(request), email=form.cleaned_data["email"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            subscription_request(
                topic=target.topic,
                target=target,
                frequency=form.cleaned_data["frequency"],
                email=form.cleaned_data["email"],
            )
            return redirect("participation:subscribe-sent")
    status = 422 if form.is_bound else 200
    return render(
        request,
        "participation/subscriptions/subscribe.html",
        {
            "form": form,
            "target": target,
            "action": reverse("participation:subscribe") + "?" + target.query,
            "crumbs": [(target.url, target.label)],
        },
        status=status,
    )


def subscribe_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/subscriptions/sent.html")


# A mail program's one-click unsubscribe (RFC 8058) is a POST without a CSRF token or cookie; it cannot carry one.
# CSRF protection is not needed here: the signed token in the address is the authority, and a forged request can
# only do what the holder of the link may do anyway, cancel these subscriptions. Only this view is exempt.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            result = subscription_unsubscribe(token=token)
            return render(request, "participation/subscriptions/unsubscribed.html", {"labels": result.labels})
        subscriptions = subscriptions_of_unsubscribe_token(token)
    except TokenError as exc:
        return render(
            request,
            "participation/link_error.html",
            {"message": f"{exc.message} {_('Es wurde nichts abbestellt.')}"},
            status=400,
        )
    if not subscriptions:
        return render(request, "participation/subscriptions/unsubscribed.html", {"labels": []})
    return render(
        request,
        "participation/subscriptions/unsubscribe.html",
        {"labels": [subscription_target(s).label for s in subscriptions]},
    )
