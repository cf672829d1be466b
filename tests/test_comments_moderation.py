"""Who moderates which comments, the dashboard's link, the setting on the workshop, and fixed query counts on the
pages with comments (project, session, queue, dashboard)."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests.comments_support import (
    page_url,
    public_project,
    published_meeting,
)
from tests.factories import MeetingFactory, UserFactory
from tests.pages import count_queries, visible_text
from werkstatt.accounts.models import Role
from werkstatt.meetings.selectors import meetings_with_minutes_visible_to
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.participation.models import Comment, CommentReport, CommentStatus
from werkstatt.participation.selectors_comments import comments_to_moderate, minutes_are_public
from werkstatt.participation.services.comments import (
    comment_answer_officially,
    comment_publish,
    comment_reject,
    comment_report,
    comment_submit,
)

pytestmark = pytest.mark.django_db


def _comment(target: Any, author: Any, *, body: str = "Ein Kommentar.", published: bool = False) -> Comment:
    key = "project" if hasattr(target, "lead_workshop") else "meeting"
    comment = comment_submit(actor=author, body=body, **{key: target})
    if published:
        comment = comment_publish(actor=None, comment=comment)
    return comment


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- who moderates ---------------------------------------------------------------------------------------------


def test_speaker_of_w4_moderates_w4_only(workshop4, workshop2, speaker_w4, office_user):
    mine = _comment(public_project(workshop4), office_user, body="Zu Werkstatt 4")
    on_minutes = _comment(published_meeting(workshop4), office_user, body="Zum Protokoll der W4")
    other = _comment(public_project(workshop2), office_user, body="Zu Werkstatt 2")
    speaker = _login(speaker_w4)
    queue = visible_text(speaker.get(reverse("office:comment-queue")).content.decode())
    assert "Zu Werkstatt 4" in queue and "Zum Protokoll der W4" in queue
    assert "Zu Werkstatt 2" not in queue
    assert "2 Kommentare warten auf Sie" in queue
    assert list(comments_to_moderate(speaker_w4)) == [on_minutes, mine]  # newest first

    assert speaker.get(reverse("office:comment-detail", args=[other.pk])).status_code == 404
    for name, data in (
        ("office:comment-publish", {}),
        ("office:comment-reject", {"reason": "Nein"}),
        ("office:comment-answer", {"text": "Antwort"}),
        ("office:comment-report-resolve", {}),
    ):
        assert speaker.post(reverse(name, args=[other.pk]), data).status_code == 404
    other.refresh_from_db()
    assert other.status == CommentStatus.PENDING and other.rejection_reason == ""
    with pytest.raises(PermissionDenied):
        comment_publish(actor=speaker_w4, comment=other)

    assert speaker.post(reverse("office:comment-publish", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.status == CommentStatus.PUBLISHED and mine.moderated_by == speaker_w4
    office_queue = visible_text(_login(office_user).get(reverse("office:comment-queue")).content.decode())
    assert "Zu Werkstatt 2" in office_queue and "Zum Protokoll der W4" in office_queue


def test_delegates_members_and_the_public_do_not_moderate(workshop4, delegate_w2, office_user, client):
    comment = _comment(public_project(workshop4), office_user)
    delegate = _login(delegate_w2)
    assert delegate.get(reverse("office:comment-queue")).status_code == 403
    assert delegate.post(reverse("office:comment-publish", args=[comment.pk])).status_code == 403
    bank = _login(UserFactory(role=Role.BANK))
    assert bank.get(reverse("office:comment-queue")).status_code == 403
    assert bank.post(reverse("office:comment-reject", args=[comment.pk]), {"reason": "x"}).status_code == 403
    response = client.get(reverse("office:comment-queue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(reverse("office:comment-publish", args=[comment.pk])).status_code == 302
    for actor in (delegate_w2, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            comment_reject(actor=actor, comment=comment, reason="Nein")
        assert list(comments_to_moderate(actor)) == []
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    html = delegate.get(page_url(comment.project)).content.decode()
    assert reverse("office:comment-queue") not in html


def test_a_project_without_lead_workshop_is_moderated_by_the_office_only(workshop4, speaker_w4, office_user):
    project = public_project(workshop4)
    project.lead_workshop = None
    project.save()
    comment = _comment(project, office_user)
    assert list(comments_to_moderate(speaker_w4)) == []
    with pytest.raises(PermissionDenied):
        comment_publish(actor=speaker_w4, comment=comment)
    comment_publish(actor=office_user, comment=comment)


def test_dashboard_links_the_queue_with_the_open_count(workshop4, workshop2, office_user, speaker_w4, delegate_w2):
    _comment(public_project(workshop4), office_user)
    _comment(public_project(workshop2), office_user)
    reported = _comment(public_project(workshop4), office_user, published=True)
    comment_report(actor=None, comment=reported, reason="Falsch")
    _comment(public_project(workshop4), office_user, published=True)  # published, no report: not open
    for user, expected in ((office_user, 3), (speaker_w4, 2)):
        html = _login(user).get(reverse("office:dashboard")).content.decode()
        assert f'href="{reverse("office:comment-queue")}">Kommentare moderieren ({expected} offen)</a>' in html
    assert "Kommentare moderieren" not in _login(delegate_w2).get(reverse("office:dashboard")).content.decode()


def test_the_workshop_setting_is_edited_in_the_admin(workshop4, client):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    html = client.get(reverse("admin:organizations_workshop_change", args=[workshop4.pk])).content.decode()
    assert 'name="comment_moderation"' in html and "sofort veröffentlichen, danach prüfen" in html
    assert (
        "Moderation der Kommentare" in client.get(reverse("admin:organizations_workshop_changelist")).content.decode()
    )


def test_minutes_are_public_agrees_with_the_session_selector(workshop4):
    meetings = [
        MeetingFactory(workshop=workshop4, state=state, minutes_state=minutes)
        for state in MeetingState.values
        for minutes in MinutesState.values
    ]
    public = set(meetings_with_minutes_visible_to(AnonymousUser()).values_list("pk", flat=True))
    assert public
    assert {m.pk for m in meetings if minutes_are_public(m)} == public


# --- fixed query counts ----------------------------------------------------------------------------------------


def _many_comments(target: Any, office_user: Any, n: int) -> None:
    for i in range(n):
        comment = _comment(target, office_user, body=f"Kommentar {i}", published=True)
        comment_answer_officially(actor=office_user, comment=comment, text=f"Antwort {i}")
        comment_report(actor=None, comment=comment, reason="Meldung")
        _comment(target, office_user, body=f"Wartend {i}")
        rejected = _comment(target, office_user, body=f"Abgelehnt {i}")
        comment_reject(actor=office_user, comment=rejected, reason="Nein")


@pytest.mark.parametrize("persona", [None, "office_user", "speaker_w4", "delegate_w2"])
def test_project_and_session_pages_cost_the_same_with_0_or_many_comments(workshop4, office_user, request, persona):
    client = Client()
    if persona:
        client.force_login(request.getfixturevalue(persona))
    project = public_project(workshop4)
    meeting = published_meeting(workshop4)
    empty_project = public_project(workshop4)
    empty_meeting = published_meeting(workshop4)
    for target in (project, meeting):
        _many_comments(target, office_user, 6)
    counts = {
        "project": [count_queries(client, page_url(empty_project)), count_queries(client, page_url(project))],
        "meeting": [count_queries(client, page_url(empty_meeting)), count_queries(client, page_url(meeting))],
    }
    assert counts["project"][0] == counts["project"][1], counts
    assert counts["meeting"][0] == counts["meeting"][1], counts
    text = visible_text(client.get(page_url(project)).content.decode())
    assert (
        text.count("Offizielle Antwort der Geschäftsstelle") == 6 and "Wartend" not in text and "Abgelehnt" not in text
    )


def test_the_comments_cost_one_query_on_a_public_page(workshop4, office_user, client):
    """The section adds one query (its comments) for the public and none where there is no section."""
    project = public_project(workshop4)
    hidden = public_project(workshop4, public=False)
    office = _login(office_user)
    with_section = count_queries(office, page_url(project))
    without_section = count_queries(office, page_url(hidden))
    assert with_section == without_section + 1
    assert count_queries(client, page_url(project)) == EXPECTED_PUBLIC_PROJECT_PAGE


EXPECTED_PUBLIC_PROJECT_PAGE = 8  # the project page for an anonymous visitor: 7 before the comments, + 1


@pytest.mark.parametrize("persona", ["office_user", "speaker_w4"])
def test_queue_and_dashboard_cost_the_same_with_1_or_many_comments(workshop4, office_user, request, persona):
    client = _login(request.getfixturevalue(persona))
    project = public_project(workshop4)
    meeting = published_meeting(workshop4)
    first = _comment(project, office_user)
    detail = reverse("office:comment-detail", args=[first.pk])
    urls = [reverse("office:comment-queue"), reverse("office:dashboard"), detail]
    before = [count_queries(client, url) for url in urls]
    _many_comments(project, office_user, 5)
    _many_comments(meeting, office_user, 5)
    for _n in range(3):
        comment_report(actor=None, comment=Comment.objects.filter(status="published", is_official=False)[0], reason="x")
    first = comment_publish(actor=office_user, comment=first)
    comment_answer_officially(actor=office_user, comment=first, text="Antwort")
    comment_report(actor=None, comment=first, reason="Falsch")
    after = [count_queries(client, url) for url in urls]
    assert after == before
    assert max(before) <= 15, before
    queue = visible_text(client.get(urls[0]).content.decode())
    assert "21 Kommentare warten auf Sie" in queue  # 11 reported + 10 waiting
    assert CommentReport.objects.filter(resolved_at__isnull=True).count() >= 11
