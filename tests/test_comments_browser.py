"""Comments in a real browser: a resident writes a comment on a public project, confirms it with the link from
the mail, the office releases it in the queue, and it is on the page. axe (WCAG 2.1 AA) on every page on the way."""

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.comments_support import (
    confirm_path,
    page_url,
    parts,
    public_project,
    published_meeting,
)
from tests.test_office_browser import log_in
from werkstatt.participation.models import Comment, CommentReport, CommentStatus
from werkstatt.participation.services.comments import comment_answer_officially, comment_publish, comment_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_comments_confirms_office_releases(workshop4, office_user, live_server, page: Page, axe, run_jobs):
    project = public_project(workshop4, title="Gesundheitszentrum Spremberg")
    run_jobs()  # the new project's event, told to nobody: there is no subscriber
    page.goto(live_server.url + page_url(project))
    expect(page.get_by_role("heading", name="Kommentare", exact=True)).to_be_visible()
    expect(page.get_by_text("Noch keine Kommentare.")).to_be_visible()
    axe(page)

    # Without an account, the form is on a page of its own (the project page is the same for every visitor).
    page.get_by_role("link", name="Zum Kommentarformular").click()
    expect(page.locator("h1")).to_have_text("Kommentar schreiben")
    axe(page)
    # An empty comment: the form comes back with a German message, accessible.
    page.get_by_role("button", name="Kommentar absenden").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte schreiben Sie Ihren Kommentar.")
    axe(page)

    page.get_by_label("Ihr Kommentar", exact=True).fill("Bitte an die Busverbindung denken.\nDanke!")
    page.get_by_label("Angezeigter Name").fill("Erika aus Spremberg")
    page.get_by_label("Ihre E-Mail-Adresse").fill("erika@example.org")
    page.get_by_role("button", name="Kommentar absenden").click()
    expect(page.get_by_role("status")).to_contain_text("Fast geschafft")
    expect(page.get_by_text("Bitte an die Busverbindung denken.")).to_have_count(0)

    assert run_jobs() == 1
    message = mail.outbox[-1]
    assert parts(message)[0]["Subject"] == "Bitte bestätigen Sie Ihren Kommentar"
    page.goto(live_server.url + confirm_path(message))
    axe(page)
    page.get_by_role("button", name="Jetzt bestätigen").click()
    expect(page.get_by_role("status")).to_contain_text("Ihr Kommentar erscheint, sobald er freigegeben ist")
    assert Comment.objects.get().status == CommentStatus.PENDING

    log_in(page, live_server.url, office_user.username)
    page.get_by_role("link", name="Kommentare moderieren (1 offen)").click()
    expect(page.locator("h1")).to_have_text("Kommentare moderieren")
    expect(page.get_by_role("article")).to_contain_text("Bitte an die Busverbindung denken.")
    axe(page)
    page.get_by_role("button", name="Freigeben").click()
    expect(page.get_by_role("status")).to_contain_text("Der Kommentar ist veröffentlicht")
    expect(page.get_by_text("Zurzeit wartet kein Kommentar auf Sie.")).to_be_visible()
    assert run_jobs() == 1
    assert parts(mail.outbox[-1])[0]["Subject"] == "Ihr Kommentar ist veröffentlicht"

    page.context.clear_cookies()
    page.goto(live_server.url + page_url(project))
    comment = page.get_by_role("article")
    expect(comment.get_by_role("heading", name="Erika aus Spremberg")).to_be_visible()
    expect(comment).to_contain_text("Bitte an die Busverbindung denken.")
    expect(comment).to_contain_text("Danke!")
    expect(comment).to_contain_text(" Uhr")


def _published(target: Any, office_user: Any, body: str) -> Comment:
    key = "project" if hasattr(target, "lead_workshop") else "meeting"
    comment = comment_publish(actor=office_user, comment=comment_submit(actor=office_user, body=body, **{key: target}))
    comment_answer_officially(actor=office_user, comment=comment, text="Danke, wir nehmen das auf.")
    return comment


def test_pages_with_comments_report_page_and_queue_are_accessible(
    workshop4, office_user, speaker_w4, live_server, page: Page, axe
):
    project = public_project(workshop4)
    meeting = published_meeting(workshop4, number=16)
    _published(project, office_user, "Zum Projekt: <b>gut</b>")
    on_minutes = _published(meeting, office_user, "Zum Protokoll: klar und verständlich.")
    comment_submit(actor=office_user, project=project, body="Wartet noch.")

    page.goto(live_server.url + page_url(project))
    expect(page.get_by_text("Zum Projekt: <b>gut</b>")).to_be_visible()
    expect(page.get_by_text("Offizielle Antwort der Geschäftsstelle")).to_be_visible()
    axe(page)

    page.goto(live_server.url + page_url(meeting))
    expect(page.get_by_text("Zum Protokoll: klar und verständlich.")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Kommentar melden").click()
    expect(page.locator("h1")).to_have_text("Kommentar melden")
    axe(page)
    page.get_by_role("button", name="Meldung absenden").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte geben Sie an, warum Sie den Kommentar melden.")
    axe(page)
    page.get_by_label("Warum melden Sie diesen Kommentar?").fill("Das stimmt so nicht.")
    page.get_by_role("button", name="Meldung absenden").click()
    expect(page.get_by_role("status")).to_contain_text("Vielen Dank für Ihre Meldung")
    assert CommentReport.objects.get().comment == on_minutes

    log_in(page, live_server.url, speaker_w4.username)
    page.goto(live_server.url + reverse("office:comment-queue"))
    expect(page.get_by_text("2 Kommentare warten auf Sie")).to_be_visible()
    expect(page.get_by_text("Das stimmt so nicht.", exact=False)).to_be_visible()
    axe(page)
    page.goto(live_server.url + reverse("office:comment-detail", args=[on_minutes.pk]))
    axe(page)
    page.get_by_role("textbox", name="Offizielle Antwort").fill("Die Werkstatt prüft das.")
    page.get_by_role("button", name="Antwort veröffentlichen").click()
    expect(page.get_by_role("status")).to_contain_text("Die offizielle Antwort ist veröffentlicht.")
    expect(page.get_by_text("Offizielle Antwort der Werkstatt 4")).to_be_visible()
    # Withdraw the reported comment with a reason: it leaves the page.
    page.get_by_label("Grund für das Zurückziehen").fill("Nicht sachlich.")
    page.get_by_role("button", name="Zurückziehen").click()
    expect(page.get_by_role("status")).to_contain_text("nicht (mehr) veröffentlicht")
    page.context.clear_cookies()
    page.goto(live_server.url + page_url(meeting))
    expect(page.get_by_text("Zum Protokoll: klar und verständlich.")).to_have_count(0)
    expect(page.get_by_text("Noch keine Kommentare.")).to_be_visible()
