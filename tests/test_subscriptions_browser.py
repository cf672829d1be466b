"""Subscribing to a district in a real browser: from the district page's link, through the confirmation mail's
link, to the unsubscribe link of the first notification. axe finds nothing on any of these pages."""

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories import ProjectFactory
from tests.subscriptions_support import (
    links,
    list_unsubscribe,
    parts,
    path_of,
    subject,
)
from werkstatt.geo.models import District
from werkstatt.geo.services import geo_reference_data_load
from werkstatt.participation.models import Subscription

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_subscribe_to_a_district_confirm_and_unsubscribe(
    live_server: Any, page: Page, axe: Any, run_jobs: Any, mailoutbox: list[Any], body: Any, workshop4: Any
) -> None:
    geo_reference_data_load()
    base = live_server.url
    page.goto(base + reverse("portal:district-detail", args=["12071"]))
    page.get_by_role("link", name="Neue Projekte und Meilensteine in Spree-Neiße per E-Mail abonnieren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Benachrichtigungen abonnieren")
    expect(page.locator("#inhalt dd").first).to_have_text("Projekte in Spree-Neiße (Landkreis)")
    axe(page)
    page.get_by_label("Ihre E-Mail-Adresse").fill("anna@example.org")
    page.get_by_label("sofort bei jeder Neuigkeit").check()
    page.get_by_role("button", name="Abonnieren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte bestätigen Sie Ihre E-Mail-Adresse")
    axe(page)
    assert Subscription.objects.get().confirmed_at is None
    assert run_jobs() == 1
    [confirmation] = mailoutbox
    [confirm_url] = links(parts(confirmation)["text/plain"], "/mitmachen/bestaetigen/")

    page.goto(base + path_of(confirm_url))
    page.get_by_role("button", name="Jetzt bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank")
    expect(page.get_by_text("Ihr Abonnement ist bestätigt")).to_be_visible()
    axe(page)
    assert Subscription.objects.get().confirmed_at is not None

    # The first notification: a new public project in the district.
    district = District.objects.get(ags="12071")
    ProjectFactory(body=body, lead_workshop=workshop4, district=district, title="Dorfladen Drebkau")
    run_jobs()
    notice = mailoutbox[-1]
    assert subject(notice) == "Neu in Spree-Neiße: Neues Projekt: Dorfladen Drebkau (Werkstatt 4, Spree-Neiße)"
    unsubscribe_url = list_unsubscribe(notice)
    assert unsubscribe_url in parts(notice)["text/plain"]

    page.goto(base + path_of(unsubscribe_url))
    expect(page.get_by_role("heading", level=1)).to_have_text("Benachrichtigungen abbestellen")
    axe(page)
    assert Subscription.objects.exists()  # opening the link changes nothing
    page.get_by_role("button", name="Jetzt abbestellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Abbestellt")
    axe(page)
    assert not Subscription.objects.exists()


def test_the_error_pages_pass_axe(live_server: Any, page: Page, axe: Any) -> None:
    page.goto(live_server.url + reverse("participation:subscribe") + "?thema=verein")
    expect(page.get_by_role("heading", level=1)).to_have_text("Abonnieren nicht möglich")
    axe(page)
    page.goto(live_server.url + reverse("participation:unsubscribe", args=["gefaelscht"]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Link nicht verwendbar")
    axe(page)
