"""The minutes half of the back office: results with autosave and optimistic locking, approval in the
next session, comments on circulated minutes, errata, files; permissions per persona, bad input,
query counts, and the editor in a real browser."""

import datetime as dt
import io
import re
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, MembershipFactory, PersonFactory, UserFactory
from tests.pages import count_queries, visible_text
from werkstatt.documents.models import File
from werkstatt.documents.validators import validate_upload
from werkstatt.meetings import services
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, Erratum, Meeting, MinutesComment
from werkstatt.meetings.workflow import MinutesState
from werkstatt.organizations.models import MembershipRole, Workshop

pytestmark = pytest.mark.django_db

# The smallest PDF a reader opens: catalogue, page tree, one empty page.
MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/MediaBox[0 0 595 842]/Parent 2 0 R>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
OOXML = "application/vnd.openxmlformats-officedocument."
SAVED_AT = re.compile(r"Gespeichert um \d\d:\d\d Uhr")


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in entries.items():
            package.writestr(name, content)
    return buffer.getvalue()


def _ooxml(main: str) -> bytes:
    types = f'<Types><Override PartName="/main.xml" ContentType="{OOXML}{main}.main+xml"/></Types>'
    return _zip({"[Content_Types].xml": types.encode(), "main.xml": b"<x/>"})


def _odf(kind: str) -> bytes:
    return _zip({"mimetype": f"application/vnd.oasis.opendocument.{kind}".encode(), "content.xml": b"<x/>"})


# --- set-up ------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    """Uploads land in a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def minute_taker(workshop4: Workshop) -> Any:
    """A login that writes the minutes of the sessions below without being office, speaker or member."""
    user = UserFactory(username="protokoll", first_name="Paula", last_name="Protokoll")
    PersonFactory(body=workshop4.body, given_name="Paula", family_name="Protokoll", user=user)
    return user


@pytest.fixture
def delegate_w4(workshop4: Workshop) -> Any:
    user = UserFactory(username="delegierter-w4", first_name="Dirk", last_name="Delegierter")
    person = PersonFactory(body=workshop4.body, given_name="Dirk", family_name="Delegierter", user=user)
    MembershipFactory(person=person, workshop=workshop4, role=MembershipRole.DELEGATE)
    return user


def _session(
    workshop: Workshop, number: int, *, minute_taker: Any = None, held: bool = True, actor: Any = None
) -> Meeting:
    """A session planned with the standing agenda (1 Begrüßung, 2 Bestätigung, 3 Sachstand, 4 Sonstiges)."""
    meeting = services.meeting_plan(
        actor=actor,
        workshop=workshop,
        number=number,
        date=dt.date(2024, 3, 1) + dt.timedelta(days=30 * number),
        minute_taker=minute_taker.person if minute_taker is not None else None,
    )
    if held:
        meeting = services.meeting_mark_held(actor=actor, meeting=meeting)
    return meeting


def _item(meeting: Meeting, number: str = "1") -> AgendaItem:
    return AgendaItem.objects.get(meeting=meeting, number=number)


@pytest.fixture
def session(workshop4: Workshop, minute_taker: Any, office_user: Any) -> Meeting:
    """Held, minutes in draft, Paula Protokoll takes the minutes."""
    return _session(workshop4, 1, minute_taker=minute_taker, actor=office_user)


@pytest.fixture
def pair(workshop4: Workshop, minute_taker: Any, office_user: Any) -> tuple[Meeting, Meeting]:
    """Session A held with minutes circulated; session B held, its TOP 2 approves A's minutes."""
    a = _session(workshop4, 1, minute_taker=minute_taker, actor=office_user)
    services.agenda_item_save_result(
        actor=office_user, item=_item(a, "3"), result="<p>Sachstand vorgetragen.</p>", based_on_version=0
    )
    a = services.minutes_circulate(actor=office_user, meeting=a)
    b = _session(workshop4, 2, minute_taker=minute_taker, actor=office_user)
    approval = _item(b, "2")
    assert approval.kind == AgendaItemKind.MINUTES_APPROVAL and approval.approves_meeting_id == a.pk
    return a, b


def _approve(a: Meeting, b: Meeting, actor: Any) -> Meeting:
    return services.minutes_approve(actor=actor, approval_item=_item(b, "2"))


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _minutes_url(meeting: Meeting) -> str:
    return reverse("office:minutes", args=[meeting.pk])


def _save_url(item: AgendaItem) -> str:
    return reverse("office:result-save", args=[item.meeting_id, item.pk])


def _htmx(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, HTTP_HX_REQUEST="true")


def _messages_text(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- access ------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(session):
    item = _item(session)
    for response in (
        _client().get(_minutes_url(session)),
        _client().post(_save_url(item), {"result": "<p>x</p>", "based_on_version": 0}),
        _client().post(reverse("office:comment-add", args=[session.pk]), {"text": "x"}),
        _client().post(reverse("office:file-upload", args=[session.pk]), {}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/anmelden/?next=")
    assert _item(session).result == ""


def test_delegate_of_another_workshop_is_refused_in_german(session, delegate_w2):
    client = _client(delegate_w2)
    response = client.get(_minutes_url(session))
    assert response.status_code == 403
    assert "Keine Berechtigung" in response.content.decode()
    item = _item(session)
    assert client.post(_save_url(item), {"result": "<p>fremd</p>", "based_on_version": 0}).status_code == 403
    assert _item(session).result == ""


@pytest.mark.parametrize("persona", ["office_user", "speaker_w4", "minute_taker"])
def test_those_who_write_the_minutes_get_the_editor(request, session, persona):
    response = _client(request.getfixturevalue(persona)).get(_minutes_url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="result"' in html and 'name="based_on_version"' in html
    assert 'data-command="insertUnorderedList"' in html
    text = visible_text(html)
    assert "Ergebnis zu TOP 1" in text
    assert "Aufzählung" in text and "Nummerierung" in text and "Fett" in text and "Kursiv" in text


def test_delegate_of_the_workshop_sees_no_draft_but_reads_circulated_minutes_without_editor(
    session, delegate_w4, office_user
):
    client = _client(delegate_w4)
    assert client.get(_minutes_url(session)).status_code == 403
    services.minutes_circulate(actor=office_user, meeting=session)
    response = client.get(_minutes_url(session))
    assert response.status_code == 200
    assert 'name="result"' not in response.content.decode()
    assert "Anmerkung zu diesem TOP schreiben" in visible_text(response.content.decode())


def test_minutes_page_uses_a_strict_csp_and_loads_htmx_and_the_editor_as_files(session, office_user):
    response = _client(office_user).get(_minutes_url(session))
    html = response.content.decode()
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert re.search(r'<script src="[^"]*django_htmx/htmx-2\.min\.js" defer></script>', html)
    assert re.search(r'<script src="[^"]*office/editor\.js" defer></script>', html)
    assert "<script>" not in html and " style=" not in html and " onclick=" not in html


def test_session_overview_links_the_minutes_with_the_number_of_comments(pair, office_user, delegate_w4):
    a, _b = pair
    services.minutes_comment_add(actor=delegate_w4, meeting=a, text="Bitte ergänzen.")
    text = visible_text(_client(office_user).get(reverse("office:meeting-detail", args=[a.pk])).content.decode())
    assert "Protokoll Stand: an Mitglieder versandt · 1 Anmerkung der Mitglieder" in text
    html = _client(office_user).get(reverse("office:meeting-detail", args=[a.pk])).content.decode()
    assert f'href="{_minutes_url(a)}"' in html


def test_office_may_publish_approved_minutes_but_the_speaker_may_not(pair, office_user, speaker_w4):
    a, b = pair
    _approve(a, b, office_user)
    url = reverse("office:meeting-action", args=[a.pk, "veroeffentlichen"])
    assert _client(speaker_w4).post(url).status_code == 403
    assert Meeting.objects.get(pk=a.pk).minutes_state == MinutesState.APPROVED
    response = _client(office_user).post(url, follow=True)
    assert "Das Protokoll ist veröffentlicht." in _messages_text(response)
    assert Meeting.objects.get(pk=a.pk).minutes_state == MinutesState.PUBLISHED


# --- results -----------------------------------------------------------------------------------


def test_result_saves_as_a_plain_form_with_post_redirect_get(session, minute_taker):
    item = _item(session)
    client = _client(minute_taker)
    response = client.post(_save_url(item), {"result": "<ul><li>Begrüßt</li></ul>", "based_on_version": 0})
    assert response.status_code == 302
    assert response["Location"] == f"{_minutes_url(session)}#ergebnis-{item.pk}"
    item.refresh_from_db()
    assert item.result == "<ul><li>Begrüßt</li></ul>"
    assert item.result_version == 1
    assert item.history.first().history_user == minute_taker
    page = client.get(response["Location"])
    assert re.search(r"Das Ergebnis zu TOP 1 ist gespeichert \(\d\d:\d\d Uhr\)\.", _messages_text(page))
    assert 'value="1"' in page.content.decode()


def test_result_autosave_through_htmx_answers_with_the_time_and_the_new_version(session, minute_taker):
    item = _item(session)
    response = _htmx(_client(minute_taker), _save_url(item), {"result": "<p>Erster Satz.</p>", "based_on_version": 0})
    assert response.status_code == 200
    html = response.content.decode()
    assert SAVED_AT.search(html)
    assert f'id="version-{item.pk}" value="1" hx-swap-oob="true"' in html
    assert "<html" not in html
    assert _item(session).result == "<p>Erster Satz.</p>"


def test_second_save_on_the_same_version_is_refused_and_shows_both_versions(session, minute_taker, speaker_w4):
    item = _item(session)
    first = _htmx(_client(minute_taker), _save_url(item), {"result": "<p>Text von Paula.</p>", "based_on_version": 0})
    assert first.status_code == 200
    second = _htmx(_client(speaker_w4), _save_url(item), {"result": "<p>Text von Sven.</p>", "based_on_version": 0})
    assert second.status_code == 409
    assert second["HX-Retarget"] == f"#ergebnis-{item.pk}"
    assert second["HX-Reswap"] == "outerHTML"
    text = visible_text(second.content.decode())
    assert "Dieses Ergebnis wurde inzwischen von jemand anderem geändert. Ihr Text wurde nicht gespeichert" in text
    assert "Gespeicherte Fassung" in text and "Text von Paula." in text
    assert "Ihre Fassung (nicht gespeichert)" in text and "Text von Sven." in text
    assert "von Paula Protokoll" in text
    assert "Gespeicherte Fassung übernehmen" in text and "Meine Fassung übernehmen" in text
    item.refresh_from_db()
    assert (item.result, item.result_version) == ("<p>Text von Paula.</p>", 1)


def test_conflict_without_javascript_renders_the_whole_page_with_both_versions(session, minute_taker, office_user):
    item = _item(session)
    _client(minute_taker).post(_save_url(item), {"result": "<p>Erste Fassung</p>", "based_on_version": 0})
    response = _client(office_user).post(_save_url(item), {"result": "<p>Zweite Fassung</p>", "based_on_version": 0})
    assert response.status_code == 409
    text = visible_text(response.content.decode())
    assert "Ergebnisprotokoll" in text
    assert "Erste Fassung" in text and "Zweite Fassung" in text
    assert _item(session).result == "<p>Erste Fassung</p>"


def test_taking_over_either_version_after_a_conflict(session, minute_taker, speaker_w4):
    item = _item(session)
    _htmx(_client(minute_taker), _save_url(item), {"result": "<p>Paula</p>", "based_on_version": 0})
    client = _client(speaker_w4)
    # "Gespeicherte Fassung übernehmen": the editor comes back with the stored text and version.
    stored = client.get(_save_url(item), HTTP_HX_REQUEST="true")
    assert stored.status_code == 200 and stored["HX-Retarget"] == f"#ergebnis-{item.pk}"
    assert "&lt;p&gt;Paula&lt;/p&gt;" in stored.content.decode()
    assert f'id="version-{item.pk}" value="1"' in stored.content.decode()
    without_js = client.get(_save_url(item))
    assert without_js.status_code == 302 and without_js["Location"].endswith(f"#ergebnis-{item.pk}")
    # "Meine Fassung übernehmen": saved on top of the version the conflict showed.
    mine = _htmx(client, _save_url(item), {"result": "<p>Sven</p>", "based_on_version": 1, "take_over": "mine"})
    assert mine.status_code == 200 and mine["HX-Retarget"] == f"#ergebnis-{item.pk}"
    assert SAVED_AT.search(mine.content.decode())
    item.refresh_from_db()
    assert (item.result, item.result_version) == ("<p>Sven</p>", 2)


def test_saving_the_same_text_twice_is_no_conflict(session, minute_taker):
    item = _item(session)
    client = _client(minute_taker)
    _htmx(client, _save_url(item), {"result": "<p>Gleich</p>", "based_on_version": 0})
    again = _htmx(client, _save_url(item), {"result": "<p>Gleich</p>", "based_on_version": 0})
    assert again.status_code == 200
    assert _item(session).result_version == 1


@pytest.mark.parametrize(
    ("dirty", "kept", "named"),
    [
        ("<p>Ergebnis</p><script>alert(1)</script>", "<p>Ergebnis</p>", "Skripte"),
        ('<p onclick="steal()">Ergebnis</p>', "<p>Ergebnis</p>", "Ereignis-Attribute wie onclick"),
        (
            '<p><a href="javascript:alert(1)">Link</a></p>',
            '<p><a rel="noopener noreferrer">Link</a></p>',
            "javascript:",
        ),
        ('<p><img src=x onerror="alert(1)">Bild</p>', "<p>Bild</p>", "Ereignis-Attribute wie onclick"),
    ],
)
def test_dangerous_markup_is_removed_and_the_writer_is_told(session, minute_taker, dirty, kept, named):
    item = _item(session)
    response = _htmx(_client(minute_taker), _save_url(item), {"result": dirty, "based_on_version": 0})
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#ergebnis-{item.pk}"
    text = visible_text(response.content.decode())
    assert "Nicht erlaubte Inhalte wurden entfernt:" in text and named in text
    assert "Gespeichert ist die bereinigte Fassung." in text
    stored = _item(session).result
    assert stored == kept
    for bad in ("<script", "onclick", "onerror", "javascript:"):
        assert bad not in stored


def test_dangerous_markup_without_javascript_is_reported_after_the_redirect(session, minute_taker):
    item = _item(session)
    client = _client(minute_taker)
    response = client.post(
        _save_url(item), {"result": "<p>Gut</p><script>x()</script>", "based_on_version": 0}, follow=True
    )
    assert "Nicht erlaubte Inhalte wurden entfernt: Skripte." in _messages_text(response)
    assert _item(session).result == "<p>Gut</p>"
    assert "<script>x()" not in response.content.decode()


def test_a_stale_form_without_version_is_refused(session, minute_taker):
    item = _item(session)
    response = _htmx(_client(minute_taker), _save_url(item), {"result": "<p>x</p>"})
    assert response.status_code == 422
    assert "Die Seite ist veraltet" in response.content.decode()
    assert _item(session).result == ""


def test_an_item_of_another_session_is_not_found(session, workshop4, office_user):
    other = _session(workshop4, 5, actor=office_user)
    foreign = _item(other)
    url = reverse("office:result-save", args=[session.pk, foreign.pk])
    assert _client(office_user).post(url, {"result": "<p>x</p>", "based_on_version": 0}).status_code == 404


# --- approval ----------------------------------------------------------------------------------


def test_approval_item_of_a_held_session_offers_the_button_and_approves(pair, minute_taker, row_counts):
    a, b = pair
    client = _client(minute_taker)
    page = visible_text(client.get(_minutes_url(b)).content.decode())
    assert "Protokoll der 1. Sitzung bestätigen" in page
    approval = _item(b, "2")
    response = client.post(reverse("office:minutes-approve", args=[b.pk, approval.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{_minutes_url(b)}#top-{approval.pk}"
    a.refresh_from_db()
    assert a.minutes_state == MinutesState.APPROVED
    assert a.history.first().history_change_reason.startswith("Bestätigt in: 2. Sitzung der Werkstatt 4, TOP 2")
    assert "<p>Das Protokoll der 1. Sitzung wird bestätigt.</p>" in _item(b, "2").result
    after = client.get(response["Location"])
    assert "Das Protokoll der 1. Sitzung ist bestätigt. Es wird nicht mehr geändert" in _messages_text(after)
    assert "Das Protokoll der 1. Sitzung ist bestätigt." in visible_text(after.content.decode())
    assert "Protokoll der 1. Sitzung bestätigen" not in visible_text(after.content.decode())


def test_approving_twice_is_refused_and_changes_nothing(pair, office_user, row_counts):
    _a, b = pair
    client = _client(office_user)
    url = reverse("office:minutes-approve", args=[b.pk, _item(b, "2").pk])
    client.post(url)
    before = row_counts()
    response = client.post(url, follow=True)
    assert "Das Protokoll der Sitzung vom 31.03.2024 ist bereits bestätigt." in _messages_text(response)
    assert row_counts() == before


def test_approving_in_a_session_that_has_not_been_held_is_refused(workshop4, office_user, row_counts):
    a = _session(workshop4, 1, actor=office_user)
    services.minutes_circulate(actor=office_user, meeting=a)
    b = _session(workshop4, 2, held=False, actor=office_user)
    client = _client(office_user)
    assert "wird bestätigt, sobald diese Sitzung durchgeführt ist" in visible_text(
        client.get(_minutes_url(b)).content.decode()
    )
    before = row_counts()
    response = client.post(reverse("office:minutes-approve", args=[b.pk, _item(b, "2").pk]), follow=True)
    assert "diese Sitzung hat noch nicht stattgefunden" in _messages_text(response)
    assert row_counts() == before
    assert Meeting.objects.get(pk=a.pk).minutes_state == MinutesState.CIRCULATED


def test_approving_minutes_that_were_never_circulated_is_refused(workshop4, office_user, row_counts):
    _session(workshop4, 1, actor=office_user)
    b = _session(workshop4, 2, actor=office_user)
    client = _client(office_user)
    assert "ist noch nicht an die Mitglieder versandt" in visible_text(client.get(_minutes_url(b)).content.decode())
    before = row_counts()
    response = client.post(reverse("office:minutes-approve", args=[b.pk, _item(b, "2").pk]), follow=True)
    assert "Der Protokollentwurf muss zuerst an die Mitglieder versandt werden." in _messages_text(response)
    assert row_counts() == before


def test_a_delegate_cannot_approve(pair, delegate_w4):
    a, b = pair
    response = _client(delegate_w4).post(reverse("office:minutes-approve", args=[b.pk, _item(b, "2").pk]))
    assert response.status_code == 403
    assert Meeting.objects.get(pk=a.pk).minutes_state == MinutesState.CIRCULATED


def test_demo_session_17_cannot_approve_the_already_published_minutes_of_session_16(demo, office_user):
    workshop = Workshop.objects.get(number=4)
    s17 = services.meeting_plan(actor=office_user, workshop=workshop, number=17, date=dt.date(2025, 5, 20))
    services.meeting_mark_held(actor=office_user, meeting=s17)
    approval = _item(s17, "2")
    assert approval.approves_meeting.number == 16
    client = _client(office_user)
    assert "Das Protokoll der 16. Sitzung ist bestätigt." in visible_text(
        client.get(_minutes_url(s17)).content.decode()
    )
    response = client.post(reverse("office:minutes-approve", args=[s17.pk, approval.pk]), follow=True)
    assert "Das Protokoll der Sitzung vom 24.01.2024 ist bereits bestätigt." in _messages_text(response)
    assert Meeting.objects.get(workshop=workshop, number=16).minutes_state == MinutesState.PUBLISHED


def test_approved_minutes_refuse_every_edit_and_keep_their_text(pair, office_user, minute_taker, row_counts):
    a, b = pair
    item = _item(a, "3")
    _approve(a, b, office_user)
    client = _client(office_user)
    page = client.get(_minutes_url(a)).content.decode()
    assert 'name="result"' not in page and "Sachstand vorgetragen." in page
    before = row_counts()
    locked = "Das Protokoll dieser Sitzung ist bestätigt und kann nicht mehr geändert werden."
    plain = client.post(_save_url(item), {"result": "<p>Nachträglich</p>", "based_on_version": 1}, follow=True)
    assert locked in _messages_text(plain)
    htmx = _htmx(_client(minute_taker), _save_url(item), {"result": "<p>Nachträglich</p>", "based_on_version": 1})
    assert htmx.status_code == 422 and locked in htmx.content.decode()
    upload = client.post(
        reverse("office:file-upload", args=[a.pk]),
        {"file": _upload("spaet.pdf", MINIMAL_PDF), "kind": "presentation", "visibility": "usual"},
        follow=True,
    )
    assert locked in _messages_text(upload)
    comment = client.post(reverse("office:comment-add", args=[a.pk]), {"text": "Zu spät"})
    assert comment.status_code == 403
    assert row_counts() == before
    assert _item(a, "3").result == "<p>Sachstand vorgetragen.</p>"


# --- comments ----------------------------------------------------------------------------------


def test_members_comment_on_items_and_on_the_whole_circulated_minutes(pair, delegate_w4, office_user):
    a, _b = pair
    item = _item(a, "3")
    client = _client(delegate_w4)
    response = client.post(
        reverse("office:comment-add", args=[a.pk]), {"text": "Bitte die Zahl prüfen.", "agenda_item": item.pk}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#top-{item.pk}")
    client.post(reverse("office:comment-add", args=[a.pk]), {"text": "Insgesamt einverstanden."})
    comments = list(MinutesComment.objects.filter(meeting=a).order_by("pk"))
    assert [(c.agenda_item_id, c.author, c.text) for c in comments] == [
        (item.pk, delegate_w4, "Bitte die Zahl prüfen."),
        (None, delegate_w4, "Insgesamt einverstanden."),
    ]
    text = visible_text(_client(office_user).get(_minutes_url(a)).content.decode())
    assert "Anmerkungen der Mitglieder (1)" in text
    assert "Dirk Delegierter am" in text and "Bitte die Zahl prüfen." in text
    assert "Anmerkungen zum ganzen Protokoll" in text and "Insgesamt einverstanden." in text


def test_circulating_mails_the_members_a_link_to_the_minutes_page(
    session, office_user, delegate_w4, django_capture_on_commit_callbacks, mailoutbox, settings
):
    client = _client(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("office:meeting-action", args=[session.pk, "protokoll-versenden"]))
    assert response.status_code == 302
    assert Meeting.objects.get(pk=session.pk).minutes_state == MinutesState.CIRCULATED
    (mail,) = mailoutbox
    assert mail.bcc == [delegate_w4.email]
    assert f"{settings.WERKSTATT_BASE_URL}{_minutes_url(session)}" in mail.body
    assert "hinterlassen Sie Ihre Anmerkungen" in mail.body


def test_an_empty_comment_gets_a_german_error_and_nothing_is_saved(pair, delegate_w4):
    a, _b = pair
    response = _client(delegate_w4).post(reverse("office:comment-add", args=[a.pk]), {"text": "  "})
    assert response.status_code == 422
    assert "Bitte schreiben Sie Ihre Anmerkung." in visible_text(response.content.decode())
    assert not MinutesComment.objects.exists()


def test_comments_only_while_circulated_and_only_by_members(session, delegate_w4, delegate_w2, office_user):
    url = reverse("office:comment-add", args=[session.pk])
    assert _client(office_user).post(url, {"text": "Entwurf"}).status_code == 403
    services.minutes_circulate(actor=office_user, meeting=session)
    assert _client(delegate_w2).post(url, {"text": "Fremd"}).status_code == 403
    assert _client(delegate_w4).post(url, {"text": "Passt"}).status_code == 302
    assert MinutesComment.objects.count() == 1


def test_a_comment_on_an_item_of_another_session_is_not_found(pair, delegate_w4, workshop4, office_user):
    a, b = pair
    response = _client(delegate_w4).post(
        reverse("office:comment-add", args=[a.pk]), {"text": "x", "agenda_item": _item(b, "1").pk}
    )
    assert response.status_code == 404
    assert not MinutesComment.objects.exists()


# --- errata ------------------------------------------------------------------------------------


def test_office_adds_an_erratum_that_the_public_sees_once_published(pair, office_user, client):
    a, b = pair
    _approve(a, b, office_user)
    item = _item(a, "3")
    office = _client(office_user)
    response = office.post(
        reverse("office:erratum-add", args=[a.pk]),
        {"agenda_item": item.pk, "text": "Es muss 12 statt 21 heißen.\n\n<script>alert(1)</script>"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#berichtigungen")
    erratum = Erratum.objects.get()
    assert erratum.agenda_item == item and erratum.author == office_user
    assert erratum.text == "<p>Es muss 12 statt 21 heißen.</p><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    office_text = visible_text(office.get(_minutes_url(a)).content.decode())
    assert "Berichtigungen zu diesem TOP" in office_text and "Es muss 12 statt 21 heißen." in office_text
    public_url = reverse("portal:meeting-detail", args=[a.pk])
    assert "Es muss 12 statt 21 heißen." not in visible_text(client.get(public_url).content.decode())
    services.minutes_publish(actor=office_user, meeting=a)
    public = client.get(public_url).content.decode()
    text = visible_text(public)
    assert text.index("Ergebnisse") < text.index("Berichtigungen") < text.index("Es muss 12 statt 21 heißen.")
    assert "zu TOP 3 Aktueller Sachstand der Projekte der Werkstatt 4" in text
    assert "<script>alert(1)" not in public
    assert _item(a, "3").result == "<p>Sachstand vorgetragen.</p>"


def test_erratum_on_a_hidden_item_stays_off_the_public_page(pair, office_user, client):
    a, b = pair
    hidden = services.agenda_item_create(actor=office_user, meeting=a, number="5", title="Personalien", public=False)
    a = _approve(a, b, office_user)
    services.erratum_add(actor=office_user, meeting=a, agenda_item=hidden, text="Geheime Berichtigung")
    services.minutes_publish(actor=office_user, meeting=a)
    text = visible_text(client.get(reverse("portal:meeting-detail", args=[a.pk])).content.decode())
    assert "Geheime Berichtigung" not in text and "Berichtigungen" not in text


def test_erratum_to_unapproved_minutes_is_refused(pair, office_user):
    a, _b = pair
    response = _client(office_user).post(reverse("office:erratum-add", args=[a.pk]), {"text": "Zu früh"}, follow=True)
    assert "wird direkt berichtigt, nicht durch ein Erratum" in _messages_text(response)
    assert not Erratum.objects.exists()


def test_speaker_may_not_add_errata(pair, office_user, speaker_w4):
    a, b = pair
    _approve(a, b, office_user)
    assert _client(speaker_w4).post(reverse("office:erratum-add", args=[a.pk]), {"text": "x"}).status_code == 403
    assert not Erratum.objects.exists()


# --- files -------------------------------------------------------------------------------------


def _post_file(client: Client, meeting: Meeting, upload: SimpleUploadedFile, **fields: Any) -> Any:
    data = {"file": upload, "kind": "presentation", "visibility": "usual", **fields}
    return client.post(reverse("office:file-upload", args=[meeting.pk]), data)


def test_a_real_pdf_is_stored_checked_and_attached_to_the_session(session, minute_taker):
    client = _client(minute_taker)
    response = _post_file(client, session, _upload("Präsentation ILB.pdf", MINIMAL_PDF, "application/pdf"))
    assert response.status_code == 302 and response["Location"].endswith("#anlagen")
    document = session.files.get()
    assert document.name == "Präsentation ILB"
    assert document.file_name == "Präsentation ILB.pdf"
    assert document.mime_type == "application/pdf" and document.size == len(MINIMAL_PDF)
    assert len(document.sha512) == 128 and document.public
    assert document.history.first().history_user == minute_taker
    with document.file.open("rb") as stored:
        assert stored.read() == MINIMAL_PDF
    assert "Die Datei „Präsentation ILB“ ist hochgeladen (öffentlich)." in _messages_text(
        client.get(response["Location"])
    )


def test_an_attendance_list_is_internal_unless_chosen_otherwise(session, office_user):
    _post_file(_client(office_user), session, _upload("liste.pdf", MINIMAL_PDF), kind="attendance")
    document = session.files.get()
    assert document.name == "Liste der Teilnehmenden" and not document.public
    _post_file(
        _client(office_user), session, _upload("liste2.pdf", MINIMAL_PDF), kind="attendance", visibility="public"
    )
    assert session.files.get(file_name="liste2.pdf").public


def test_a_file_per_agenda_item(session, office_user):
    item = _item(session, "3")
    response = _post_file(
        _client(office_user),
        session,
        _upload("folien.pptx", _ooxml("presentationml.presentation")),
        agenda_item=item.pk,
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#top-{item.pk}")
    assert item.files.get().mime_type == OOXML + "presentationml.presentation"
    assert not session.files.exists()
    assert "folien" in visible_text(_client(office_user).get(_minutes_url(session)).content.decode())


def _no_stored_files(settings: Any) -> bool:
    root = settings.MEDIA_ROOT
    return not root.exists() or not any(path.is_file() for path in root.rglob("*"))


def test_a_text_file_named_pdf_is_refused_and_nothing_remains(session, office_user, row_counts, settings):
    before = row_counts()
    response = _post_file(
        _client(office_user), session, _upload("bericht.pdf", b"Nur Text, kein PDF.", "application/pdf")
    )
    assert response.status_code == 422
    text = visible_text(response.content.decode())
    assert "Bitte prüfen Sie Ihre Eingaben" in text
    assert "Die Datei ist kein PDF, obwohl sie so heißt." in text
    assert row_counts() == before
    assert _no_stored_files(settings)


def test_an_oversize_upload_is_refused_without_being_stored(session, office_user, row_counts, settings):
    settings.WERKSTATT_MAX_UPLOAD_MB = 1
    before = row_counts()
    big = MINIMAL_PDF + b"0" * (3 * 1024 * 1024)
    response = _post_file(_client(office_user), session, _upload("riesig.pdf", big, "application/pdf"))
    assert response.status_code == 422
    assert "Die Datei ist größer als 1 MB." in visible_text(response.content.decode())
    assert row_counts() == before
    assert _no_stored_files(settings)


def test_the_upload_limit_defaults_to_50_mb():
    from django.conf import settings as django_settings

    assert django_settings.WERKSTATT_MAX_UPLOAD_MB == 50
    assert django_settings.FILE_UPLOAD_HANDLERS[0] == "werkstatt.documents.uploads.SizeLimitUploadHandler"


def test_a_file_type_that_is_not_allowed_is_refused(session, office_user):
    response = _post_file(_client(office_user), session, _upload("tool.exe", b"MZ\x90\x00"))
    assert response.status_code == 422
    assert (
        "Dateien mit der Endung „.exe“ können nicht hochgeladen werden. "
        "Erlaubt sind PDF, DOCX, PPTX, XLSX, ODT, ODP, ODS, PNG und JPEG." in visible_text(response.content.decode())
    )
    assert not File.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("a.pdf", MINIMAL_PDF, "application/pdf"),
        ("a.docx", _ooxml("wordprocessingml.document"), OOXML + "wordprocessingml.document"),
        ("a.pptx", _ooxml("presentationml.presentation"), OOXML + "presentationml.presentation"),
        ("a.xlsx", _ooxml("spreadsheetml.sheet"), OOXML + "spreadsheetml.sheet"),
        ("a.odt", _odf("text"), "application/vnd.oasis.opendocument.text"),
        ("a.odp", _odf("presentation"), "application/vnd.oasis.opendocument.presentation"),
        ("a.ods", _odf("spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet"),
        ("a.png", PNG, "image/png"),
        ("a.JPG", JPEG, "image/jpeg"),
        ("a.jpeg", JPEG, "image/jpeg"),
    ],
)
def test_every_allowed_type_is_recognised_by_its_content(name, content, mime):
    assert validate_upload(_upload(name, content)).mime_type == mime


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.docx", _ooxml("spreadsheetml.sheet"), "Die Datei ist kein Word-Dokument (DOCX), obwohl sie so heißt."),
        (
            "a.docx",
            _zip({"word/document.xml": b"<x/>"}),
            "Die Datei ist kein Word-Dokument (DOCX), obwohl sie so heißt.",
        ),
        ("a.xlsx", b"PK\x03\x04 kaputt", "Die Datei ist keine Excel-Tabelle (XLSX), obwohl sie so heißt."),
        ("a.pptx", MINIMAL_PDF, "Die Datei ist keine PowerPoint-Präsentation (PPTX), obwohl sie so heißt."),
        ("a.odt", _odf("spreadsheet"), "Die Datei ist kein OpenDocument-Text (ODT), obwohl sie so heißt."),
        ("a.png", JPEG, "Die Datei ist kein PNG-Bild, obwohl sie so heißt."),
        ("a.jpg", PNG, "Die Datei ist kein JPEG-Bild, obwohl sie so heißt."),
        ("a.pdf", b"", "Die Datei ist leer."),
        ("ohne-endung", MINIMAL_PDF, "Dateien ohne Endung können nicht hochgeladen werden."),
    ],
)
def test_files_whose_content_does_not_match_their_name_are_refused(name, content, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        validate_upload(_upload(name, content))
    assert message in refused.value.messages[0]


def test_internal_files_are_downloaded_only_by_those_who_read_internally(
    session, office_user, delegate_w4, delegate_w2, client
):
    _post_file(_client(office_user), session, _upload("liste.pdf", MINIMAL_PDF), kind="attendance")
    _post_file(_client(office_user), session, _upload("folien.pdf", MINIMAL_PDF))
    internal, public = session.files.get(public=False), session.files.get(public=True)
    internal_url = reverse("office:file-download", args=[internal.pk])
    response = _client(delegate_w4).get(internal_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="liste.pdf"'
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert _client(delegate_w2).get(internal_url).status_code == 403
    assert client.get(internal_url).status_code == 302
    assert _client(delegate_w2).get(reverse("office:file-download", args=[public.pk])).status_code == 200


def test_the_public_page_lists_only_public_files_whoever_looks(session, office_user, client):
    _post_file(_client(office_user), session, _upload("liste.pdf", MINIMAL_PDF), kind="attendance")
    _post_file(_client(office_user), session, _upload("folien.pdf", MINIMAL_PDF), name="Folien der ILB")
    url = reverse("portal:meeting-detail", args=[session.pk])
    for viewer in (client, _client(office_user)):
        text = visible_text(viewer.get(url).content.decode())
        assert "Folien der ILB" in text
        assert "Liste der Teilnehmenden" not in text


# --- query counts ------------------------------------------------------------------------------


def _grow_minutes(meeting: Meeting, office_user: Any, commenter: Any, *, items: int) -> None:
    """More items, each with presenters, a result, two files and two comments; more session files."""
    from werkstatt.meetings.services import PresenterInput

    speaker = PersonFactory(body=meeting.workshop.body)
    for n in range(10, 10 + items):
        item = services.agenda_item_create(
            actor=office_user,
            meeting=meeting,
            number=str(n),
            title=f"Punkt {n}",
            result=f"<ul><li>Ergebnis {n}</li></ul>",
            presenters=[PresenterInput(person=speaker, function="Referent"), PresenterInput(group_label="Alle")],
        )
        for k in range(2):
            services.meeting_file_upload(
                actor=office_user, meeting=meeting, agenda_item=item, upload=_upload(f"f{n}-{k}.pdf", MINIMAL_PDF)
            )
    for k in range(3):
        services.meeting_file_upload(actor=office_user, meeting=meeting, upload=_upload(f"s{k}.pdf", MINIMAL_PDF))


def _comment_everywhere(meeting: Meeting, commenter: Any) -> None:
    meeting = Meeting.objects.get(pk=meeting.pk)
    for item in meeting.agenda_items.all():
        for k in range(2):
            services.minutes_comment_add(actor=commenter, meeting=meeting, agenda_item=item, text=f"Anmerkung {k}")
    services.minutes_comment_add(actor=commenter, meeting=meeting, text="Zum Ganzen")


@pytest.mark.parametrize("persona", ["office_user", "minute_taker"])
def test_minutes_page_costs_the_same_number_of_queries_however_much_it_holds(
    request, workshop4, office_user, minute_taker, delegate_w4, persona
):
    small = _session(workshop4, 1, minute_taker=minute_taker, actor=office_user)
    big = _session(workshop4, 2, minute_taker=minute_taker, actor=office_user)
    _grow_minutes(big, office_user, delegate_w4, items=8)
    client = _client(request.getfixturevalue(persona))
    draft_small, draft_big = count_queries(client, _minutes_url(small)), count_queries(client, _minutes_url(big))
    assert draft_small == draft_big
    for meeting in (small, big):
        services.minutes_circulate(actor=office_user, meeting=meeting)
    _comment_everywhere(big, delegate_w4)
    assert count_queries(client, _minutes_url(small)) == count_queries(client, _minutes_url(big))
    assert draft_big <= 14, draft_big


def test_approved_minutes_page_costs_the_same_with_many_errata(workshop4, office_user, delegate_w4):
    pages = []
    for number, errata in ((1, 1), (3, 6)):
        a = _session(workshop4, number, actor=office_user)
        if errata > 1:
            _grow_minutes(a, office_user, delegate_w4, items=4)
        services.minutes_circulate(actor=office_user, meeting=a)
        _comment_everywhere(a, delegate_w4)
        b = _session(workshop4, number + 1, actor=office_user)
        a = _approve(a, b, office_user)
        for k in range(errata):
            item = a.agenda_items.order_by("order")[k % a.agenda_items.count()]
            services.erratum_add(actor=office_user, meeting=a, agenda_item=item if k % 2 else None, text=f"B {k}")
        pages.append(a)
    client = _client(office_user)
    assert count_queries(client, _minutes_url(pages[0])) == count_queries(client, _minutes_url(pages[1]))


def test_public_session_page_with_errata_costs_the_same_as_without(pair, office_user, client):
    a, b = pair
    a = services.minutes_publish(actor=office_user, meeting=_approve(a, b, office_user))
    url = reverse("portal:meeting-detail", args=[a.pk])
    without = count_queries(client, url)
    for k in range(5):
        services.erratum_add(actor=office_user, meeting=a, agenda_item=_item(a, "3") if k % 2 else None, text=f"B {k}")
    assert count_queries(client, url) == without


# --- in a real browser -------------------------------------------------------------------------


def _login(page: Any, live_server: Any, user: Any) -> None:
    page.goto(live_server.url + "/konto/anmelden/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/office/$"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_minute_taker_writes_a_bullet_list_with_the_toolbar_and_it_survives_a_reload(
    live_server, page, axe, session, minute_taker
):
    from playwright.sync_api import expect

    item = _item(session)
    _login(page, live_server, minute_taker)
    page.goto(live_server.url + _minutes_url(session))
    editor = page.locator(f"#ergebnis-{item.pk}-text-bearbeiten")
    expect(editor).to_be_visible()
    expect(page.locator(f"#ergebnis-{item.pk}-text")).to_be_hidden()
    axe(page)
    editor.click()
    toolbar = page.get_by_role("toolbar", name="Formatierung des Ergebnisses zu TOP 1")
    toolbar.get_by_role("button", name="Aufzählung").click()
    page.keyboard.type("Begrüßung durch den Sprecher")
    page.keyboard.press("Enter")
    page.keyboard.type("Vorstellung der Gäste")
    expect(page.locator(f"#status-{item.pk}")).to_contain_text(SAVED_AT, timeout=10_000)
    saved = _item(session)
    assert saved.result == "<ul><li>Begrüßung durch den Sprecher</li><li>Vorstellung der Gäste</li></ul>"
    page.reload()
    items = page.locator(f"#ergebnis-{item.pk}-text-bearbeiten ul > li")
    expect(items).to_have_text(["Begrüßung durch den Sprecher", "Vorstellung der Gäste"])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_keyboard_user_formats_with_the_toolbar_and_autosave_keeps_up_with_typing(
    live_server, page, session, minute_taker
):
    from playwright.sync_api import expect

    item = _item(session)
    _login(page, live_server, minute_taker)
    page.goto(live_server.url + _minutes_url(session))
    editor = page.locator(f"#ergebnis-{item.pk}-text-bearbeiten")
    editor.focus()
    page.keyboard.type("Erster Absatz. ")
    page.wait_for_timeout(2500)  # the first autosave goes out while the writer goes on
    # Shift+Tab from the text reaches the toolbar's last button; arrow keys move along it.
    page.keyboard.press("Shift+Tab")
    expect(page.locator(":focus")).to_have_text("Link")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator(":focus")).to_have_text("Fett")
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_id(f"ergebnis-{item.pk}-text-bearbeiten")
    page.keyboard.type("fett")
    expect(page.locator(f"#status-{item.pk}")).to_contain_text(SAVED_AT, timeout=10_000)
    page.wait_for_function(f"() => document.querySelector('#version-{item.pk}').value >= '2'", timeout=10_000)
    page.wait_for_timeout(500)
    saved = _item(session)
    assert "<b>fett</b>" in saved.result and "Erster Absatz." in saved.result
    assert "Gleichzeitig bearbeitet" not in page.content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_conflict_in_the_browser_shows_both_versions_and_passes_axe(
    live_server, page, axe, session, minute_taker, office_user
):
    from playwright.sync_api import expect

    item = _item(session)
    _login(page, live_server, minute_taker)
    page.goto(live_server.url + _minutes_url(session))
    services.agenda_item_save_result(
        actor=office_user, item=item, result="<p>Von der Geschäftsstelle</p>", based_on_version=0
    )
    page.locator(f"#ergebnis-{item.pk}-text-bearbeiten").click()
    page.keyboard.type("Von Paula")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Gleichzeitig bearbeitet", timeout=10_000)
    expect(alert).to_contain_text("Von der Geschäftsstelle")
    expect(alert).to_contain_text("Von Paula")
    axe(page)
    page.get_by_role("button", name="Meine Fassung übernehmen").click()
    expect(page.locator(f"#ergebnis-{item.pk}-text-bearbeiten")).to_have_text("Von Paula")
    assert _item(session).result == "<p>Von Paula</p>"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_circulated_and_approved_minutes_pages_and_the_public_errata_pass_axe(
    live_server, page, axe, workshop4, office_user, minute_taker, delegate_w4
):
    from playwright.sync_api import expect

    a = _session(workshop4, 1, minute_taker=minute_taker, actor=office_user)
    services.meeting_file_upload(actor=office_user, meeting=a, upload=_upload("liste.pdf", MINIMAL_PDF), public=False)
    a = services.minutes_circulate(actor=office_user, meeting=a)
    services.minutes_comment_add(actor=delegate_w4, meeting=a, agenda_item=_item(a, "1"), text="Bitte ergänzen.")
    b = _session(workshop4, 2, minute_taker=minute_taker, actor=office_user)
    _login(page, live_server, delegate_w4)
    page.goto(live_server.url + _minutes_url(a))
    expect(page.locator("h1")).to_have_text("Ergebnisprotokoll")
    axe(page)
    page.get_by_text("Anmerkung zu diesem TOP schreiben").first.click()
    axe(page)
    page.context.clear_cookies()
    _login(page, live_server, office_user)
    page.goto(live_server.url + _minutes_url(b))
    page.get_by_role("button", name="Protokoll der 1. Sitzung bestätigen").click()
    expect(page.get_by_role("status").first).to_contain_text("Das Protokoll der 1. Sitzung ist bestätigt.")
    axe(page)
    page.goto(live_server.url + _minutes_url(a))
    page.get_by_label("Berichtigung", exact=True).fill("In TOP 1 fehlt der Name des Gastes.")
    page.get_by_role("button", name="Berichtigung vermerken").click()
    expect(page.get_by_text("In TOP 1 fehlt der Name des Gastes.")).to_be_visible()
    axe(page)
    page.goto(live_server.url + reverse("office:meeting-detail", args=[a.pk]))
    axe(page)
    page.get_by_role("button", name="Protokoll veröffentlichen").click()
    page.goto(live_server.url + reverse("portal:meeting-detail", args=[a.pk]))
    expect(page.get_by_role("heading", name="Berichtigungen")).to_be_visible()
    axe(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_german_403_page_passes_axe(live_server, page, axe, session, delegate_w2):
    _login(page, live_server, delegate_w2)
    response = page.goto(live_server.url + _minutes_url(session))
    assert response is not None and response.status == 403
    axe(page)


def test_minutes_page_after_a_failed_upload_keeps_the_form_open_with_the_error(session, office_user):
    response = _post_file(_client(office_user), session, _upload("x.pdf", b"kaputt"))
    html = response.content.decode()
    assert '<details class="kern-accordion" open>' in html
    assert 'id="fehler"' in html
