"""Comments of the public: the whole life of a comment through the real pages, the real worker and parsed mails,
and every kind of bad input (nothing changes, a German message says why)."""

import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.comments_support import (
    confirm,
    confirm_path,
    create_url,
    form_data,
    page_url,
    parts,
    public_project,
    published_meeting,
    submit_and_mail,
)
from tests.factories import MeetingFactory, ProjectFactory
from tests.pages import visible_text
from werkstatt.core.dates import format_datetime
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.participation.models import Comment, CommentReport, CommentStatus, Participant, RateLimitHit
from werkstatt.participation.services.comments import comment_publish, comment_submit
from werkstatt.participation.tokens import CONFIRM

pytestmark = pytest.mark.django_db


def text_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return visible_text(response.content.decode())


def follow_message(response) -> str:  # type: ignore[no-untyped-def]
    """The page a form redirected to, as the visitor sees it with the message on top."""
    return visible_text(response.content.decode())


# --- the whole life of a comment ----------------------------------------------------------------------------


def test_visitor_comment_waits_for_confirmation_then_for_release(
    workshop4, office_user, client, run_jobs, django_capture_on_commit_callbacks
):
    project = public_project(workshop4, title="Gesundheitszentrum Spremberg")
    response = client.post(create_url(project), form_data(body="Bitte auch an\nBusse denken."), follow=True)
    assert "Fast geschafft" in follow_message(response)
    comment = Comment.objects.get()
    assert comment.confirmed_at is None and comment.status == CommentStatus.PENDING
    assert comment.participant.email == "erika@example.org"  # type: ignore[union-attr]
    assert "Bitte auch an" not in text_of(client, page_url(project))

    comment.delete()
    comment, message = submit_and_mail(client, project, run_jobs, django_capture_on_commit_callbacks)
    parsed, text, html = parts(message)
    assert parsed["To"] == "erika@example.org"
    assert parsed["Subject"] == "Bitte bestätigen Sie Ihren Kommentar"
    assert "einen Kommentar zum Projekt „Gesundheitszentrum Spremberg“ geschrieben" in text
    assert "Gesundheitszentrum Spremberg" in html

    path = confirm_path(message)
    assert "Jetzt bestätigen" in text_of(client, path)
    comment.refresh_from_db()
    assert comment.confirmed_at is None, "opening the link must not confirm (link scanners)"
    result = visible_text(confirm(client, path).content.decode())
    assert "Ihr Kommentar erscheint, sobald er freigegeben ist" in result
    comment.refresh_from_db()
    assert comment.confirmed_at is not None and comment.status == CommentStatus.PENDING
    assert comment.participant.confirmed_at is not None  # type: ignore[union-attr]
    assert "Ein guter Plan." not in text_of(client, page_url(project))

    office = Client()
    office.force_login(office_user)
    queue = text_of(office, reverse("office:comment-queue"))
    assert "Ein guter Plan." in queue and "Gesundheitszentrum Spremberg" in queue
    assert "Werkstatt 4 – vor der Veröffentlichung prüfen" in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(reverse("office:comment-publish", args=[comment.pk]), follow=True)
    assert "Der Kommentar ist veröffentlicht" in follow_message(response)
    assert "Zurzeit wartet kein Kommentar auf Sie." in follow_message(response)
    assert run_jobs() == 1
    parsed, text, html = parts(mail.outbox[-1])
    assert parsed["To"] == "erika@example.org"
    assert parsed["Subject"] == "Ihr Kommentar ist veröffentlicht"
    assert f"/projekte/{project.pk}/#kommentare" in text and f"/projekte/{project.pk}/#kommentare" in html

    comment.refresh_from_db()
    page = text_of(client, page_url(project))
    assert f"Kommentare Erika M. {format_datetime(comment.created_at)} Ein guter Plan." in page
    assert "Uhr" in format_datetime(comment.created_at)


def test_rejected_comment_is_never_shown_and_the_author_gets_the_reason(
    workshop4, office_user, client, run_jobs, django_capture_on_commit_callbacks
):
    project = public_project(workshop4)
    comment, message = submit_and_mail(
        client, project, run_jobs, django_capture_on_commit_callbacks, body="Alles Quatsch!"
    )
    confirm(client, confirm_path(message))
    office = Client()
    office.force_login(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(
            reverse("office:comment-reject", args=[comment.pk]), {"reason": "Bitte bleiben Sie sachlich."}
        )
    assert response.status_code == 302
    assert run_jobs() == 1
    parsed, text, html = parts(mail.outbox[-1])
    assert parsed["Subject"] == "Ihr Kommentar wurde nicht veröffentlicht"
    assert "Begründung: Bitte bleiben Sie sachlich." in text
    assert "Bitte bleiben Sie sachlich." in html and "Alles Quatsch!" in text
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED
    assert comment.moderated_by == office_user
    assert "Alles Quatsch!" not in text_of(client, page_url(project))
    assert "Alles Quatsch!" not in text_of(office, reverse("office:comment-queue"))


def test_post_moderation_workshop_shows_the_comment_at_once_after_confirmation(
    workshop4, client, run_jobs, django_capture_on_commit_callbacks
):
    workshop4.comment_moderation = "post"
    workshop4.save()
    project = public_project(workshop4)
    assert "Kommentare erscheinen sofort" in text_of(client, page_url(project))
    comment, message = submit_and_mail(client, project, run_jobs, django_capture_on_commit_callbacks)
    assert "Ein guter Plan." not in text_of(client, page_url(project))
    result = visible_text(confirm(client, confirm_path(message)).content.decode())
    assert "Ihr Kommentar ist veröffentlicht." in result
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED and comment.published_at is not None
    assert "Ein guter Plan." in text_of(client, page_url(project))


def test_comment_on_published_minutes(workshop4, office_user, client, run_jobs, django_capture_on_commit_callbacks):
    meeting = published_meeting(workshop4, number=16)
    comment, message = submit_and_mail(
        client, meeting, run_jobs, django_capture_on_commit_callbacks, body="Danke für das Protokoll."
    )
    assert "zum Protokoll der Sitzung „16. Sitzung der Werkstatt 4“" in parts(message)[1]
    confirm(client, confirm_path(message))
    comment_publish(actor=office_user, comment=comment)
    text = text_of(client, page_url(meeting))
    assert text.index("Ergebnisse") < text.index("Kommentare") < text.index("Danke für das Protokoll.")


def test_logged_in_user_comments_under_the_account_without_confirmation(
    workshop4, delegate_w2, office_user, client, run_jobs, django_capture_on_commit_callbacks
):
    project = public_project(workshop4)
    client.force_login(delegate_w2)
    html = client.get(page_url(project)).content.decode()
    assert 'name="email"' not in html
    assert 'value="Dana Delegierte"' in html  # the display name is suggested, and can be changed
    assert "eine Bestätigung per E-Mail ist nicht nötig" in visible_text(html)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            create_url(project), {"body": "Als Mitglied: gute Idee.", "author_name": ""}, follow=True
        )
    assert "Ihr Kommentar erscheint, sobald er freigegeben ist" in follow_message(response)
    assert run_jobs() == 0 and not mail.outbox
    comment = Comment.objects.get()
    assert comment.user == delegate_w2 and comment.participant is None and comment.confirmed_at is not None
    assert not Participant.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        comment_publish(actor=office_user, comment=comment)
    run_jobs()
    assert mail.outbox[-1].to == [delegate_w2.email]
    assert "Anonym" in text_of(Client(), page_url(project))


def test_report_then_resolve_keeps_the_comment(workshop4, office_user, client):
    project = public_project(workshop4)
    comment = comment_submit(actor=office_user, project=project, body="Sachlicher Hinweis.")
    comment_publish(actor=office_user, comment=comment)
    report_url = reverse("participation:comment-report", args=[comment.pk])
    assert f'href="{report_url}"' in client.get(page_url(project)).content.decode()
    response = client.post(report_url, {"reason": "Stimmt nicht.", "website": ""}, follow=True)
    assert "Vielen Dank für Ihre Meldung" in follow_message(response)
    report = CommentReport.objects.get()
    assert [f.name for f in CommentReport._meta.concrete_fields] == [
        "id", "comment", "reason", "created_at", "resolved_at", "resolved_by"
    ]  # fmt: skip
    assert report.reason == "Stimmt nicht."

    office = Client()
    office.force_login(office_user)
    queue = text_of(office, reverse("office:comment-queue"))
    assert "Gemeldet: Sachlicher Hinweis." in queue and "Stimmt nicht." in queue and "1 offene Meldung" in queue
    office.post(reverse("office:comment-report-resolve", args=[comment.pk]))
    report.refresh_from_db()
    assert report.resolved_by == office_user
    assert "Sachlicher Hinweis." not in text_of(office, reverse("office:comment-queue"))
    assert "Sachlicher Hinweis." in text_of(client, page_url(project))


def test_reported_comment_is_withdrawn_with_reason(
    workshop4, office_user, client, run_jobs, django_capture_on_commit_callbacks
):
    workshop4.comment_moderation = "post"
    workshop4.save()
    project = public_project(workshop4)
    comment, message = submit_and_mail(client, project, run_jobs, django_capture_on_commit_callbacks, body="Werbung!")
    confirm(client, confirm_path(message))
    assert "Werbung!" in text_of(client, page_url(project))
    client.post(reverse("participation:comment-report", args=[comment.pk]), {"reason": "Werbung", "website": ""})
    office = Client()
    office.force_login(office_user)
    queue = text_of(office, reverse("office:comment-queue"))
    assert "Gemeldet: Werbung!" in queue and "sofort veröffentlichen, danach prüfen" in queue
    with django_capture_on_commit_callbacks(execute=True):
        office.post(reverse("office:comment-reject", args=[comment.pk]), {"reason": "Werbung ist nicht erlaubt."})
    assert run_jobs() == 1
    parsed, text, _html = parts(mail.outbox[-1])
    assert parsed["Subject"] == "Ihr Kommentar wurde entfernt"
    assert "wurde von der Website entfernt" in text and "Begründung: Werbung ist nicht erlaubt." in text
    assert "Werbung!" not in text_of(client, page_url(project))
    assert CommentReport.objects.get().resolved_at is not None
    assert "Werbung!" not in text_of(office, reverse("office:comment-queue"))


def test_official_answer_is_shown_under_the_comment_and_marked(workshop4, office_user, speaker_w4, client):
    project = public_project(workshop4)
    comment = comment_submit(actor=office_user, project=project, body="Wann geht es los?", author_name="Max")
    comment_publish(actor=office_user, comment=comment)
    office = Client()
    office.force_login(office_user)
    detail = reverse("office:comment-detail", args=[comment.pk])
    assert "Offiziell antworten" in text_of(office, page_url(project))
    response = office.post(
        reverse("office:comment-answer", args=[comment.pk]), {"text": "Im Frühjahr.", "zurueck": "kommentar"}
    )
    assert response.status_code == 302 and response["Location"] == detail
    speaker = Client()
    speaker.force_login(speaker_w4)
    speaker.post(reverse("office:comment-answer", args=[comment.pk]), {"text": "Die Werkstatt berät im März."})
    answers = list(Comment.objects.filter(is_official=True).order_by("pk"))
    assert [(a.reply_to, a.status, a.user, a.author_name) for a in answers] == [
        (comment, CommentStatus.PUBLISHED, office_user, "Geschäftsstelle"),
        (comment, CommentStatus.PUBLISHED, speaker_w4, "Werkstatt 4"),
    ]
    text = text_of(client, page_url(project))
    assert text.index("Wann geht es los?") < text.index("Offizielle Antwort der Geschäftsstelle")
    assert "Offizielle Antwort der Geschäftsstelle" in text and "Im Frühjahr." in text
    assert "Offizielle Antwort der Werkstatt 4" in text
    assert "Offiziell antworten" not in text  # the public does not see the moderators' link
    # An answer is not reported and not answered itself.
    assert client.get(reverse("participation:comment-report", args=[answers[0].pk])).status_code == 404


# --- bad input: nothing changes, a German message says why ----------------------------------------------------


def test_unconfirmed_comment_is_never_shown_and_cannot_be_released(
    workshop4, office_user, client, run_jobs, django_capture_on_commit_callbacks
):
    project = public_project(workshop4)
    comment, _message = submit_and_mail(client, project, run_jobs, django_capture_on_commit_callbacks)
    office = Client()
    office.force_login(office_user)
    assert "Ein guter Plan." not in text_of(office, reverse("office:comment-queue"))
    response = office.post(reverse("office:comment-publish", args=[comment.pk]), follow=True)
    assert "Die E-Mail-Adresse ist noch nicht bestätigt" in follow_message(response)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING and comment.published_at is None
    assert "Ein guter Plan." not in text_of(client, page_url(project))


def test_reused_confirmation_link_changes_nothing(workshop4, client, run_jobs, django_capture_on_commit_callbacks):
    project = public_project(workshop4)
    comment, message = submit_and_mail(client, project, run_jobs, django_capture_on_commit_callbacks)
    path = confirm_path(message)
    confirm(client, path)
    comment.refresh_from_db()
    first = comment.confirmed_at
    result = visible_text(confirm(client, path).content.decode())
    assert "Bereits bestätigt" in result and "Dieser Kommentar ist bereits bestätigt." in result
    comment.refresh_from_db()
    assert comment.confirmed_at == first


def test_expired_and_forged_links_are_refused(workshop4, client, run_jobs, django_capture_on_commit_callbacks):
    project = public_project(workshop4)
    comment, message = submit_and_mail(client, project, run_jobs, django_capture_on_commit_callbacks)

    class EightDaysAgo(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 8 * 24 * 3600)

    expired = EightDaysAgo(salt=CONFIRM).sign_object(["comment", comment.pk], compress=True)
    response = client.post(reverse("participation:confirm", args=[expired]))
    assert response.status_code == 400
    assert "Dieser Bestätigungslink ist abgelaufen" in visible_text(response.content.decode())

    path = confirm_path(message)
    forged = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    response = client.post(forged)
    assert response.status_code == 400
    assert "Dieser Link ist ungültig" in visible_text(response.content.decode())

    other = signing.dumps(["comment", comment.pk], salt="werkstatt.participation.unsubscribe", compress=True)
    assert client.post(reverse("participation:confirm", args=[other])).status_code == 400
    comment.refresh_from_db()
    assert comment.confirmed_at is None

    comment.delete()
    response = client.post(path)
    assert response.status_code == 400
    assert "Zu diesem Link gibt es keine Einsendung mehr" in visible_text(response.content.decode())


def test_html_and_scripts_are_shown_as_text(workshop4, office_user, client):
    project = public_project(workshop4)
    body = '<script>alert("x")</script> <b>fett</b> <a href="javascript:alert(1)">klick</a>'
    comment = comment_submit(actor=office_user, project=project, body=body, author_name="<img src=x onerror=alert(1)>")
    comment_publish(actor=office_user, comment=comment)
    assert Comment.objects.get(pk=comment.pk).body == body  # stored as typed
    for url in (page_url(project), reverse("participation:comment-report", args=[comment.pk])):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<b>fett</b>" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
    office = Client()
    office.force_login(office_user)
    queue_html = office.get(reverse("office:comment-detail", args=[comment.pk])).content.decode()
    assert "<script>alert" not in queue_html and "&lt;script&gt;" in queue_html


def _refused(client: Client, url: str, data: dict[str, str], message: str, status: int = 400) -> None:
    response = client.post(url, data)
    assert response.status_code == status, response.status_code
    assert message in visible_text(response.content.decode())


def test_bad_comments_are_refused_with_a_german_message_and_change_nothing(workshop4, client):
    project = public_project(workshop4)
    url = create_url(project)
    cases = [
        (
            form_data(body="x" * 1_000_000),
            "Ihr Kommentar ist zu lang: höchstens 2.000 Zeichen, eingegeben wurden 1.000.000.",
        ),
        (
            form_data(body="a https://a.example b www.b.example c http://c.example"),
            "enthält 3 Links; erlaubt sind höchstens 2",
        ),
        (form_data(body="   "), "Bitte schreiben Sie Ihren Kommentar."),
        (form_data(email=""), "Bitte geben Sie Ihre E-Mail-Adresse an."),
        (form_data(email="kein-at-zeichen"), "Bitte geben Sie eine gültige E-Mail-Adresse an"),
        (form_data(author_name="N" * 81), "Bitte höchstens 80 Zeichen."),
        (form_data(website="http://spam.example"), "Ihre Einsendung konnte nicht angenommen werden."),
    ]  # fmt: skip
    for data, message in cases:
        _refused(client, url, data, message)
    assert not Comment.objects.exists() and not Participant.objects.exists()
    assert not RateLimitHit.objects.exists(), "refused input does not count against the limit"
    assert not mail.outbox


def test_a_flood_of_comments_is_stopped_by_the_rate_limit(workshop4, client, settings):
    settings.PARTICIPATION_RATE_LIMITS = {**settings.PARTICIPATION_RATE_LIMITS, "comment": (3, 30)}
    project = public_project(workshop4)
    for n in range(3):
        assert client.post(create_url(project), form_data(body=f"Kommentar {n}")).status_code == 302
    _refused(client, create_url(project), form_data(body="Noch einer"), "zu viele Einsendungen")
    other = Client(REMOTE_ADDR="198.51.100.7")
    _refused(other, create_url(project), form_data(body="Andere IP, gleiche Adresse"), "zu viele Einsendungen")
    assert Comment.objects.count() == 3
    assert other.post(create_url(project), form_data(email="jemand@example.org")).status_code == 302


def test_no_comments_on_non_public_projects_or_unpublished_minutes(workshop4, office_user, client, row_counts):
    hidden = ProjectFactory(body=workshop4.body, lead_workshop=workshop4, public=False)
    draft = MeetingFactory(workshop=workshop4, state=MeetingState.HELD, minutes_state=MinutesState.APPROVED)
    planned = MeetingFactory(workshop=workshop4, state=MeetingState.PLANNED)
    closed = "Hierzu können keine Kommentare geschrieben werden"
    office = Client()
    office.force_login(office_user)
    for target in (hidden, draft, planned):
        for who in (client, office):
            response = who.post(create_url(target), form_data())
            assert response.status_code == 404
            assert closed in visible_text(response.content.decode())
            assert who.get(create_url(target)).status_code == 404
        assert 'id="kommentare"' not in office.get(page_url(target)).content.decode()
    for url in ("/mitmachen/kommentare/projekt/999999/", "/mitmachen/kommentare/sitzung/999999/"):
        assert client.post(url, form_data()).status_code == 404
    with pytest.raises(ValidationError, match=closed):
        comment_submit(actor=office_user, project=hidden, body="Direkt")
    with pytest.raises(ValidationError, match=closed):
        comment_submit(actor=AnonymousUser(), meeting=draft, body="Direkt", email="a@example.org")
    assert not Comment.objects.exists() and not Participant.objects.exists() and not RateLimitHit.objects.exists()


def test_comments_disappear_when_the_project_is_no_longer_public(workshop4, office_user, client):
    project = public_project(workshop4)
    comment = comment_submit(actor=office_user, project=project, body="Sichtbar?")
    comment_publish(actor=office_user, comment=comment)
    project.public = False
    project.save()
    office = Client()
    office.force_login(office_user)
    assert "Sichtbar?" not in text_of(office, page_url(project))
    assert client.get(reverse("participation:comment-report", args=[comment.pk])).status_code == 404


def test_bad_reports_are_refused(workshop4, office_user, client, settings):
    settings.PARTICIPATION_RATE_LIMITS = {**settings.PARTICIPATION_RATE_LIMITS, "report": (0, 2)}
    project = public_project(workshop4)
    pending = comment_submit(actor=office_user, project=project, body="Wartet.")
    published = comment_submit(actor=office_user, project=project, body="Steht da.")
    comment_publish(actor=office_user, comment=published)
    response = client.post(reverse("participation:comment-report", args=[pending.pk]), {"reason": "x"})
    assert response.status_code == 404
    assert "Diesen Kommentar gibt es nicht oder er ist nicht veröffentlicht." in visible_text(response.content.decode())
    url = reverse("participation:comment-report", args=[published.pk])
    _refused(client, url, {"reason": ""}, "Bitte geben Sie an, warum Sie den Kommentar melden.")
    _refused(client, url, {"reason": "x" * 501}, "Der Grund ist zu lang: höchstens 500 Zeichen")
    _refused(client, url, {"reason": "Spam", "website": "x"}, "Ihre Einsendung konnte nicht angenommen werden.")
    assert not CommentReport.objects.exists()
    for _n in range(2):
        assert client.post(url, {"reason": "Spam"}).status_code == 302
    _refused(client, url, {"reason": "Spam"}, "zu viele Einsendungen")
    assert CommentReport.objects.count() == 2


def test_moderation_refuses_bad_actions(workshop4, office_user, client):
    project = public_project(workshop4)
    comment = comment_submit(actor=office_user, project=project, body="Text.")
    office = Client()
    office.force_login(office_user)
    for reason in ("", "   "):
        response = office.post(reverse("office:comment-reject", args=[comment.pk]), {"reason": reason}, follow=True)
        assert "Bitte geben Sie einen Grund an" in follow_message(response)
    response = office.post(reverse("office:comment-answer", args=[comment.pk]), {"text": "Antwort"}, follow=True)
    assert "Offiziell beantwortet werden nur veröffentlichte Kommentare" in follow_message(response)
    response = office.post(reverse("office:comment-report-resolve", args=[comment.pk]), follow=True)
    assert "Zu diesem Kommentar gibt es keine offenen Meldungen." in follow_message(response)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING and comment.rejection_reason == ""
    assert not Comment.objects.filter(is_official=True).exists()
    comment_publish(actor=office_user, comment=comment)
    response = office.post(reverse("office:comment-publish", args=[comment.pk]), follow=True)
    assert "Dieser Kommentar ist bereits veröffentlicht." in follow_message(response)
    response = office.post(reverse("office:comment-answer", args=[comment.pk]), {"text": ""}, follow=True)
    assert "Bitte schreiben Sie die Antwort." in follow_message(response)
    assert office.get(reverse("office:comment-publish", args=[comment.pk])).status_code == 405
    assert not Comment.objects.filter(is_official=True).exists()
