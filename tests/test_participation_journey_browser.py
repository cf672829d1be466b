"""A resident of Spremberg takes part without an account, in a real browser: submits an idea, confirms it by the
mailed link, follows it to the agenda of a workshop session, subscribes to the district, hears of a new
milestone there, and deletes everything stored about the address again."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import MeetingFactory, ProjectFactory, UserFactory
from tests.subscriptions_support import links, parts, path_of
from werkstatt.accounts.models import Role
from werkstatt.geo.models import District, Municipality
from werkstatt.meetings.workflow import MeetingState
from werkstatt.organizations.models import Workshop
from werkstatt.participation.models import Idea, IdeaStatus, Participant, Subscription
from werkstatt.participation.services.abuse import hashed_key
from werkstatt.participation.services.ideas import idea_forward_to_agenda
from werkstatt.projects.models import MilestoneKind
from werkstatt.projects.services import milestone_save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = "lena.kowalk@example.org"
TITLE = "Sommerkino auf dem Spremberger Marktplatz"


def _only_mail(run_jobs, mailoutbox):
    run_jobs()
    (message,) = mailoutbox
    mailoutbox.clear()
    return message


def _remaining_mentions(address: str) -> list[str]:
    """Every text column of every table that still holds the address or its keyed hash."""
    needles = [address.lower(), hashed_key("email", address)]
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                for value in model._default_manager.values_list(field.attname, flat=True):
                    text = str(value).lower()
                    if any(needle in text for needle in needles):
                        found.append(f"{model._meta.label}.{field.name}")
    return found


def test_a_resident_takes_part_and_leaves_again_without_an_account(
    demo, live_server, page: Page, axe, run_jobs, mailoutbox
):
    base = live_server.url
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    workshop = Workshop.objects.get(number=4)
    office = UserFactory(username="buero-beteiligung", role=Role.OFFICE)
    coming = MeetingFactory(
        workshop=workshop, number=17, date=timezone.localdate() + dt.timedelta(days=28), state=MeetingState.INVITED
    )
    district = District.objects.get(ags="12071")
    project = ProjectFactory(
        body=workshop.body,
        lead_workshop=workshop,
        title="Radweg an der Talsperre Spremberg",
        district=district,
        municipality=Municipality.objects.get(ags="12071372"),
        public=True,
    )
    run_jobs()  # the demo's own events, told to nobody: there is no subscriber yet
    mailoutbox.clear()

    # 1. The idea: from the main navigation to the form, submitted and confirmed by the mailed link.
    page.goto(base + "/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Mitmachen").click()
    page.get_by_role("link", name="Eine Idee einreichen").click()
    expect(page.locator("h1")).to_have_text("Idee einreichen")
    page.get_by_label("Werkstatt", exact=True).select_option(str(workshop.pk))
    page.get_by_label("Titel Ihrer Idee").fill(TITLE)
    page.get_by_label("Beschreibung").fill("Im August drei Filmabende unter freiem Himmel, mit Filmen aus der Lausitz.")
    page.get_by_label("Gemeinde").select_option(label="Spremberg/Grodk")
    page.get_by_label("Ihre E-Mail-Adresse").fill(ADDRESS)
    page.get_by_role("button", name="Idee einreichen").click()
    expect(page.locator("h1")).to_have_text("Fast geschafft – bitte bestätigen Sie Ihre E-Mail-Adresse")
    idea = Idea.objects.get(title=TITLE)
    assert idea.confirmed_at is None

    message = _only_mail(run_jobs, mailoutbox)
    plain = parts(message)["text/plain"]
    (confirm_url,) = links(plain, "/mitmachen/bestaetigen/")
    page.goto(base + path_of(confirm_url))
    page.get_by_role("button", name="Jetzt bestätigen").click()
    expect(page.get_by_role("status")).to_contain_text("ist bestätigt")
    idea.refresh_from_db()
    assert idea.confirmed_at is not None

    # 2. The office puts it on the agenda of the coming session; the resident is told and follows it there.
    idea_forward_to_agenda(
        actor=office, idea=idea, meeting=coming, number="5", answer="Danke! Die Werkstatt berät Ihre Idee."
    )
    message = _only_mail(run_jobs, mailoutbox)
    plain = parts(message)["text/plain"]
    (idea_url,) = links(plain, f"/mitmachen/ideen/{idea.pk}/")
    page.goto(base + path_of(idea_url))
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.get_by_text("Danke! Die Werkstatt berät Ihre Idee.")).to_be_visible()
    axe(page)
    page.get_by_role("link", name=re.compile("17. Sitzung")).first.click()
    expect(page.locator("h1")).to_contain_text("17. Sitzung")
    expect(page.get_by_text(TITLE).first).to_be_visible()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ON_AGENDA and idea.agenda_item.meeting == coming

    # 3. The district: subscribed from its page, confirmed by the mailed link.
    page.goto(base + reverse("portal:district-list"))
    page.get_by_role("link", name=re.compile("Spree-Neiße")).first.click()
    page.get_by_role("link", name="Neue Projekte und Meilensteine in Spree-Neiße per E-Mail abonnieren").click()
    page.get_by_label("Ihre E-Mail-Adresse").fill(ADDRESS)
    page.get_by_label("sofort bei jeder Neuigkeit").check()
    page.get_by_role("button", name="Abonnieren").click()
    message = _only_mail(run_jobs, mailoutbox)
    plain = parts(message)["text/plain"]
    (confirm_url,) = links(plain, "/mitmachen/bestaetigen/")
    page.goto(base + path_of(confirm_url))
    page.get_by_role("button", name="Jetzt bestätigen").click()
    expect(page.locator("h1")).to_have_text("Vielen Dank")
    assert Subscription.objects.get(participant__email=ADDRESS).confirmed_at is not None

    # A milestone of a public project in the district reaches the new subscriber, with a way out in the header.
    milestone_save(
        actor=office,
        project=project,
        kind=MilestoneKind.OTHER,
        title="Bürgerversammlung in Spremberg",
        planned_date=timezone.localdate(),
        actual_date=timezone.localdate(),
    )
    message = _only_mail(run_jobs, mailoutbox)
    assert message.to == [ADDRESS]
    assert "Bürgerversammlung in Spremberg" in parts(message)["text/plain"]
    assert message.extra_headers["List-Unsubscribe"].startswith("<")

    # 4. "Meine Daten": requested from the footer, opened by the mailed link, everything deleted.
    page.goto(base + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Meine Daten").click()
    page.get_by_label("Ihre E-Mail-Adresse").fill(ADDRESS)
    page.get_by_role("button", name="Link anfordern").click()
    message = _only_mail(run_jobs, mailoutbox)
    plain = parts(message)["text/plain"]
    # The footer of every mail links the request page; the personal link carries the token.
    (mydata_url,) = [url for url in links(plain, "/mitmachen/meine-daten/") if not url.endswith("/meine-daten/")]
    page.goto(base + path_of(mydata_url))
    expect(page.get_by_text(TITLE).first).to_be_visible()
    expect(page.get_by_text("Spree-Neiße").first).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Alle Daten löschen").click()
    page.get_by_role("button", name="Jetzt endgültig löschen").click()
    expect(page.locator("h1")).to_contain_text("gelöscht")

    assert not Participant.objects.filter(email=ADDRESS).exists()
    assert not Idea.objects.filter(pk=idea.pk).exists()
    assert _remaining_mentions(ADDRESS) == []
    # The session keeps its agenda item: that is the workshop's record, not the resident's data.
    assert coming.agenda_items.filter(title__icontains="Sommerkino").exists()
    assert all(url.startswith(base) for url in requested), [u for u in requested if not u.startswith(base)]
