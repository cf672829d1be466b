"""The office's project pages: the fact sheet form, the steps, milestones, documents, projects in
sessions; German messages for bad input with nothing stored; fixed query counts per page."""

import datetime as dt
import decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AgendaItemFactory,
    ConsultationFactory,
    MeetingFactory,
    MilestoneFactory,
    OrganizationFactory,
    PersonFactory,
    ProjectFactory,
    ProjectStatusChangeFactory,
    UserFactory,
)
from tests.pages import count_queries, visible_text
from werkstatt.accounts.models import Role
from werkstatt.documents.services import file_create
from werkstatt.geo.models import Municipality
from werkstatt.geo.services import geo_reference_data_load
from werkstatt.meetings.models import AgendaItemKind
from werkstatt.meetings.workflow import MeetingState
from werkstatt.office.forms_projects import EuroField
from werkstatt.organizations.models import FocusArea
from werkstatt.projects.models import Consultation, ConsultationOutcome, Milestone, MilestoneKind, Project
from werkstatt.projects.services import project_put_on_agenda
from werkstatt.projects.workflow import FundingInstrument, ProjectState

pytestmark = pytest.mark.django_db

MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/MediaBox[0 0 595 842]/Parent 2 0 R>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _today() -> dt.date:
    return timezone.localdate()


def _text(response: Any) -> str:
    return visible_text(response.content.decode())


@pytest.fixture
def places(db: None) -> dict[str, Municipality]:
    geo_reference_data_load()
    return {
        "spremberg": Municipality.objects.get(ags="12071372"),
        "cottbus": Municipality.objects.get(ags="12052000"),
    }


@pytest.fixture
def office(client: Client, office_user: Any) -> Client:
    client.force_login(office_user)
    return client


@pytest.fixture
def bank(bank_user: Any) -> Client:
    client = Client()
    client.force_login(bank_user)
    return client


@pytest.fixture
def chancellery(chancellery_user: Any) -> Client:
    client = Client()
    client.force_login(chancellery_user)
    return client


def _fact_sheet(workshop: Any, municipality: Municipality, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "state": ProjectState.IDEA,
        "received_on": "",
        "note": "",
        "title": "Bürgerhaus Spremberg",
        "sponsor": "",
        "contact": "",
        "lead_workshop": str(workshop.pk),
        "instrument": FundingInstrument.INVKG_ARM1,
        "funding_area": "4",
        "total_cost": "",
        "eligible_cost": "",
        "grant": "",
        "municipality": str(municipality.pk),
        "district": "",
        "latitude": "",
        "longitude": "",
        "description": "Ein Haus für Vereine und Verwaltung.",
        "expected_effect": "",
        "expected_jobs": "",
        "planned_start": "",
        "planned_end": "",
        "public": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- German money input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("716.000,00", "716000.00"),
        ("716000", "716000"),
        ("716.000", "716000"),
        ("716 000 €", "716000"),
        ("716\u00a0000 EUR", "716000"),
        ("25.000,5", "25000.50"),
        ("1.234.567,89", "1234567.89"),
        ("716000,50", "716000.50"),
        ("", None),
    ],
)
def test_money_fields_read_german_amounts(typed, amount):
    field = EuroField(required=False)
    assert field.clean(typed) == (decimal.Decimal(amount) if amount is not None else None)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("716000.50", "„716000.50“ ist nicht eindeutig: Im Deutschen trennt der Punkt die Tausender."),
        ("1.5", "„1.5“ ist nicht eindeutig"),
        ("1,234.56", "Punkte trennen die Tausender, das Komma die Cent."),
        ("7.16.000", "Punkte trennen die Tausender, das Komma die Cent."),
        ("-5000", "Punkte trennen die Tausender, das Komma die Cent."),
        ("viel", "Punkte trennen die Tausender, das Komma die Cent."),
        ("25.000,505", "Bitte geben Sie höchstens zwei Nachkommastellen (Cent) an."),
        ("9.999.999.999.999", "Der Betrag ist zu groß"),
    ],
)
def test_money_fields_refuse_ambiguous_or_wrong_amounts_in_german(typed, message):
    form_field = EuroField(required=False)
    with pytest.raises(Exception) as refused:
        form_field.clean(typed)
    assert message in " ".join(refused.value.messages)  # type: ignore[attr-defined]


def test_money_fields_show_stored_amounts_the_german_way():
    assert EuroField().prepare_value(decimal.Decimal("716000.00")) == "716.000"
    assert EuroField().prepare_value(decimal.Decimal("25000.50")) == "25.000,50"


# --- creating and editing the fact sheet ------------------------------------------------------------------


def test_the_office_creates_an_idea_with_german_amounts_and_a_derived_district(
    office, office_user, workshop4, workshop2, places
):
    area = FocusArea.objects.create(workshop=workshop4, title="Wärmeversorgung (Modellprojekte)")
    sponsor = OrganizationFactory(name="Stadt Spremberg")
    response = office.post(
        reverse("office:project-create"),
        _fact_sheet(
            workshop4,
            places["spremberg"],
            received_on="2024-02-01",
            note="per E-Mail vom Bürgermeister",
            sponsor=str(sponsor.pk),
            total_cost="1.200.000,00",
            eligible_cost="1000000",
            other_workshops=[str(workshop2.pk)],
            focus_areas=[str(area.pk)],
            latitude="51,57889",
            longitude="14.37354",
        ),
    )
    project = Project.objects.get(title="Bürgerhaus Spremberg")
    assert response.status_code == 302
    assert response["Location"] == reverse("office:project-detail", args=[project.pk])
    assert project.state == ProjectState.IDEA
    assert project.total_cost == decimal.Decimal("1200000") and project.eligible_cost == decimal.Decimal("1000000")
    assert project.district == places["spremberg"].district
    assert project.latitude == decimal.Decimal("51.57889") and project.longitude == decimal.Decimal("14.37354")
    assert list(project.other_workshops.all()) == [workshop2]
    assert list(project.focus_areas.all()) == [area]
    change = project.status_changes.get()
    assert (change.to_state, change.decision_date, change.note, change.actor) == (
        ProjectState.IDEA,
        dt.date(2024, 2, 1),
        "per E-Mail vom Bürgermeister",
        office_user,
    )
    page = _text(office.get(response["Location"]))
    assert "Das Projekt „Bürgerhaus Spremberg“ ist angelegt (Projektidee)." in page
    assert "Gesamtkosten: 1.200.000 € · förderfähig: 1.000.000 €" in page


def test_a_project_may_start_with_a_submitted_fact_sheet(office, workshop4, places):
    office.post(reverse("office:project-create"), _fact_sheet(workshop4, places["cottbus"], state="submitted"))
    assert Project.objects.get().state == ProjectState.SUBMITTED


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"total_cost": "716.000,00", "eligible_cost": "716.000,00", "grant": "700.000"},
            "grant",
            "Die Zuwendung von 700.000 EUR ist mehr als 90 % der förderfähigen Kosten (höchstens 644.400 EUR).",
        ),
        (
            {"total_cost": "30.000", "eligible_cost": "30.000", "grant": "20.000"},
            "grant",
            "Eine Zuwendung beträgt mindestens 25.000 EUR; angegeben sind 20.000 EUR.",
        ),
        ({"public_finances": "on"}, "public_finances", "erst nach der Bewilligung veröffentlicht werden"),
        ({"total_cost": "716000.50"}, "total_cost", "„716000.50“ ist nicht eindeutig"),
        ({"eligible_cost": "800.000", "total_cost": "700.000"}, None, "nicht höher sein als die Gesamtkosten"),
        ({"received_on": "2999-01-01"}, "received_on", "Das Eingangsdatum darf nicht in der Zukunft liegen."),
        ({"title": ""}, "title", "Bitte geben Sie den Titel des Projekts an."),
        ({"latitude": "51,5"}, "latitude", "Breite und Länge werden nur zusammen angegeben."),
        ({"planned_start": "2025-05-01", "planned_end": "2025-01-01"}, None, "Das geplante Ende darf nicht vor"),
    ],
)
def test_bad_fact_sheets_are_refused_in_german_and_store_nothing(
    office, workshop4, places, row_counts, changes, field, message
):
    before = row_counts()
    response = office.post(reverse("office:project-create"), _fact_sheet(workshop4, places["cottbus"], **changes))
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field or "__all__", [])
    assert any(message in error for error in errors), form.errors
    page = _text(response)
    assert "Bitte prüfen Sie Ihre Eingaben" in page and message in page
    assert row_counts() == before


def test_focus_areas_of_a_workshop_the_project_is_not_in_are_refused(office, workshop4, workshop2, places, row_counts):
    stray = FocusArea.objects.create(workshop=workshop2, title="Digitale Verwaltung")
    before = row_counts()
    response = office.post(
        reverse("office:project-create"),
        _fact_sheet(workshop4, places["cottbus"], focus_areas=[str(stray.pk)]),
    )
    assert "Schwerpunkte gehören zu einer der Werkstätten des Projekts: Digitale Verwaltung" in _text(response)
    assert row_counts() == before


def test_the_office_edits_the_fact_sheet_and_sees_the_stored_amounts_in_german(office, workshop4, places):
    project = ProjectFactory(
        lead_workshop=workshop4, municipality=places["cottbus"], district=places["cottbus"].district
    )
    url = reverse("office:project-edit", args=[project.pk])
    form_page = office.get(url).content.decode()
    assert 'value="Projekt' in form_page
    response = office.post(
        url,
        _fact_sheet(
            workshop4,
            places["spremberg"],
            title="Bürgerhaus Spremberg/Grodk",
            total_cost="716.000,00",
            eligible_cost="716.000",
            grant="644.400,00",
            state=None,
        ),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Bürgerhaus Spremberg/Grodk"
    assert project.grant == decimal.Decimal("644400")
    # The district follows the new municipality.
    assert project.district == places["spremberg"].district
    assert 'value="644.400"' in office.get(url).content.decode()


def test_the_instrument_is_fixed_after_the_recommendation(office, workshop4, places):
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.RECOMMENDED)
    url = reverse("office:project-edit", args=[project.pk])
    page = office.get(url).content.decode()
    assert "Nach der Empfehlung kann das Förderinstrument nicht mehr geändert werden." in page
    office.post(url, _fact_sheet(workshop4, places["cottbus"], instrument=FundingInstrument.STARK, state=None))
    project.refresh_from_db()
    assert project.instrument == FundingInstrument.INVKG_ARM1


def test_money_may_be_public_once_approved(office, workshop4, places):
    project = ProjectFactory(
        lead_workshop=workshop4,
        state=ProjectState.APPROVED,
        total_cost=decimal.Decimal("716000"),
        eligible_cost=decimal.Decimal("716000"),
        grant=decimal.Decimal("644400"),
        approved_on=dt.date(2024, 7, 15),
    )
    office.post(
        reverse("office:project-edit", args=[project.pk]),
        _fact_sheet(
            workshop4,
            places["cottbus"],
            state=None,
            total_cost="716.000",
            eligible_cost="716.000",
            grant="644.400",
            public_finances="on",
        ),
    )
    project.refresh_from_db()
    assert project.public_finances and project.finances_are_public


# --- steps ------------------------------------------------------------------------------------------------


def _step_url(project: Project, target: str) -> str:
    return reverse("office:project-step", args=[project.pk, target])


def test_each_role_sees_the_forms_of_its_own_steps(office, bank, chancellery, workshop4):
    submitted = ProjectFactory(lead_workshop=workshop4, state=ProjectState.SUBMITTED)
    forwarded = ProjectFactory(lead_workshop=workshop4, state=ProjectState.FORWARDED)
    applied = ProjectFactory(lead_workshop=workshop4, state=ProjectState.APPLIED)

    def steps(client: Client, project: Project) -> str:
        return _text(client.get(reverse("office:project-detail", args=[project.pk])))

    assert "„In die Qualifizierung nehmen“ erfassen" in steps(office, submitted)
    assert "„Vom Projektträger zurückgezogen“ erfassen" in steps(office, submitted)
    assert "Von diesem Stand aus erfassen Sie keinen Schritt; ihn erfassen andere Beteiligte." in steps(bank, submitted)
    assert "„Bestätigung durch die IMAG“ erfassen" in steps(chancellery, forwarded)
    assert "„Bestätigung durch die IMAG“ erfassen" not in steps(office, forwarded)
    assert "„Zuwendungsbescheid erteilt“ erfassen" in steps(bank, applied)
    assert "„Zuwendungsbescheid erteilt“ erfassen" not in steps(chancellery, applied)


def test_an_office_step_is_recorded_with_actor_and_note_and_shown_in_the_history(office, office_user, workshop4):
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.SUBMITTED)
    response = office.post(
        _step_url(project, ProjectState.QUALIFICATION),
        {"schritt-qualification-decision_date": "", "schritt-qualification-note": "Gespräch mit ILB und MWAE"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.state == ProjectState.QUALIFICATION
    change = project.status_changes.get()
    assert (change.actor, change.note, change.from_state) == (office_user, "Gespräch mit ILB und MWAE", "submitted")
    page = _text(office.get(response["Location"]))
    assert "„In die Qualifizierung nehmen“ ist erfasst: Das Projekt ist jetzt „in Qualifizierung“." in page
    assert "Gespräch mit ILB und MWAE" in page and "Gesa Geschäftsstelle" in page


def test_the_chancellery_confirms_with_a_decision_date(chancellery, workshop4):
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.FORWARDED)
    response = chancellery.post(
        _step_url(project, ProjectState.CONFIRMED), {"schritt-confirmed-decision_date": "2024-03-06"}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.state, project.confirmed_on) == (ProjectState.CONFIRMED, dt.date(2024, 3, 6))


@pytest.mark.parametrize(
    ("state", "target", "data", "message"),
    [
        (ProjectState.FORWARDED, "confirmed", {}, "Bitte geben Sie das Datum der Entscheidung an."),
        (
            ProjectState.FORWARDED,
            "confirmed",
            {"decision_date": "2999-01-01"},
            "Das Datum der Entscheidung darf nicht in der Zukunft liegen.",
        ),
        (ProjectState.SUBMITTED, "withdrawn", {}, "Bitte begründen Sie diesen Schritt in der Bemerkung."),
    ],
)
def test_incomplete_steps_are_refused_in_german_and_change_nothing(
    office, chancellery, workshop4, row_counts, state, target, data, message
):
    project = ProjectFactory(lead_workshop=workshop4, state=state)
    client = chancellery if target == "confirmed" else office
    before = row_counts()
    response = client.post(_step_url(project, target), {f"schritt-{target}-{k}": v for k, v in data.items()})
    assert response.status_code == 200
    assert message in _text(response)
    assert row_counts() == before
    project.refresh_from_db()
    assert project.state == state


def test_an_approval_before_the_confirmation_is_refused_in_german(bank, workshop4, row_counts):
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.FORWARDED)
    before = row_counts()
    response = bank.post(
        _step_url(project, ProjectState.APPROVED),
        {
            "schritt-approved-decision_date": "2024-07-15",
            "schritt-approved-total_cost": "716.000",
            "schritt-approved-eligible_cost": "716.000",
            "schritt-approved-grant": "644.400",
        },
        follow=True,
    )
    assert "Eine Bewilligung vor der Bestätigung durch die IMAG ist nicht möglich" in _text(response)
    assert row_counts() == before
    project.refresh_from_db()
    assert project.state == ProjectState.FORWARDED


@pytest.mark.parametrize(
    ("grant", "message"),
    [
        ("700.000,00", "Die Zuwendung von 700.000 EUR ist mehr als 90 % der förderfähigen Kosten"),
        ("20.000", "Eine Zuwendung beträgt mindestens 25.000 EUR"),
        ("650000.50", "„650000.50“ ist nicht eindeutig"),
        ("", "Bitte geben Sie die Zuwendung an."),
    ],
)
def test_an_approval_with_wrong_grant_figures_is_refused_in_german(bank, workshop4, row_counts, grant, message):
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.APPLIED)
    before = row_counts()
    response = bank.post(
        _step_url(project, ProjectState.APPROVED),
        {
            "schritt-approved-decision_date": "2024-07-15",
            "schritt-approved-total_cost": "716.000,00",
            "schritt-approved-eligible_cost": "716.000,00",
            "schritt-approved-grant": grant,
        },
    )
    assert response.status_code == 200
    assert message in _text(response)
    assert row_counts() == before
    project.refresh_from_db()
    assert (project.state, project.grant) == (ProjectState.APPLIED, None)


def test_the_bank_records_the_approval_with_decimal_commas(bank, workshop4):
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.APPLIED)
    response = bank.post(
        _step_url(project, ProjectState.APPROVED),
        {
            "schritt-approved-decision_date": "2024-07-15",
            "schritt-approved-total_cost": "716.000,00",
            "schritt-approved-eligible_cost": "716.000,00",
            "schritt-approved-grant": "644.400,00",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.state, project.approved_on, project.grant) == (
        ProjectState.APPROVED,
        dt.date(2024, 7, 15),
        decimal.Decimal("644400"),
    )
    assert "Zuwendung: 644.400 € (90,0 %)" in _text(bank.get(response["Location"]))


def test_session_steps_are_not_taken_on_the_project_page(office, workshop4, row_counts):
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.PRESENTED)
    page = _text(office.get(reverse("office:project-detail", args=[project.pk])))
    assert "Vorstellung und Votum der Werkstatt werden beim Projekt-TOP einer Sitzung erfasst" in page
    before = row_counts()
    response = office.post(_step_url(project, ProjectState.RECOMMENDED), {}, follow=True)
    assert "Dieser Schritt wird als Ergebnis einer Werkstattsitzung erfasst" in _text(response)
    assert row_counts() == before


def test_an_unknown_step_is_refused_in_german(office, workshop4):
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.COMPLETED)
    response = office.post(_step_url(project, "fliegen"), {}, follow=True)
    assert "dieser Stand ist endgültig" in _text(response)


# --- milestones -------------------------------------------------------------------------------------------


def test_the_bank_adds_edits_and_deletes_a_milestone(bank, workshop4):
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.IMPLEMENTATION)
    response = bank.post(
        reverse("office:milestone-add", args=[project.pk]),
        {"meilenstein-kind": MilestoneKind.GROUND_BREAKING, "meilenstein-planned_date": "2025-04-01"},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(project=project)
    assert (milestone.kind, milestone.planned_date) == (MilestoneKind.GROUND_BREAKING, dt.date(2025, 4, 1))
    edit = reverse("office:milestone-edit", args=[project.pk, milestone.pk])
    assert bank.get(edit).status_code == 200
    response = bank.post(edit, {"kind": "ground_breaking", "planned_date": "2025-04-01", "actual_date": "2025-04-03"})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.actual_date == dt.date(2025, 4, 3)
    delete = reverse("office:milestone-delete", args=[project.pk, milestone.pk])
    assert "Meilenstein löschen?" in _text(bank.get(delete))
    bank.post(delete)
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    assert milestone.history.filter(history_type="-").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "opening", "actual_date": "2999-05-01"},
            "Ein Meilenstein kann nicht in der Zukunft stattgefunden haben; bitte „geplant am“ nutzen.",
        ),
        ({"kind": "other", "planned_date": "2025-05-01"}, "Ein sonstiger Meilenstein braucht eine Bezeichnung."),
        ({"kind": "opening"}, "Bitte geben Sie an, wann der Meilenstein geplant ist oder stattfand."),
    ],
)
def test_bad_milestones_are_refused_in_german_and_store_nothing(office, workshop4, row_counts, data, message):
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.IMPLEMENTATION)
    before = row_counts()
    response = office.post(
        reverse("office:milestone-add", args=[project.pk]), {f"meilenstein-{k}": v for k, v in data.items()}
    )
    assert response.status_code == 200
    assert message in _text(response)
    assert row_counts() == before


def test_editing_a_milestone_into_the_future_changes_nothing(office, workshop4):
    milestone = MilestoneFactory(project=ProjectFactory(lead_workshop=workshop4), kind="opening")
    response = office.post(
        reverse("office:milestone-edit", args=[milestone.project_id, milestone.pk]),
        {"kind": "opening", "planned_date": "2024-06-01", "actual_date": (_today() + dt.timedelta(days=1)).isoformat()},
    )
    assert "Ein Meilenstein kann nicht in der Zukunft stattgefunden haben" in _text(response)
    milestone.refresh_from_db()
    assert milestone.actual_date is None


def test_a_milestone_of_another_project_is_not_found(office, workshop4):
    milestone = MilestoneFactory(project=ProjectFactory(lead_workshop=workshop4))
    other = ProjectFactory(lead_workshop=workshop4)
    assert office.get(reverse("office:milestone-edit", args=[other.pk, milestone.pk])).status_code == 404


# --- documents --------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_office_uploads_a_document_which_the_bank_may_download(
    media, office, bank, delegate_w2, workshop4, workshop2
):
    project = ProjectFactory(lead_workshop=workshop2)
    response = office.post(
        reverse("office:project-file-upload", args=[project.pk]),
        {
            "dokument-file": SimpleUploadedFile("Steckbrief.pdf", MINIMAL_PDF, "application/pdf"),
            "dokument-name": "Projektsteckbrief",
        },
    )
    assert response.status_code == 302
    document = project.files.get()
    assert (document.name, document.public, document.mime_type) == ("Projektsteckbrief", False, "application/pdf")
    assert "Die Datei „Projektsteckbrief“ ist hochgeladen (nur intern sichtbar)." in _text(
        office.get(response["Location"])
    )
    download = reverse("office:file-download", args=[document.pk])
    assert bank.get(download).status_code == 200
    member = Client()
    member.force_login(delegate_w2)
    assert member.get(download).status_code == 403


def test_a_file_that_is_not_what_it_claims_is_refused_in_german(media, office, workshop4, row_counts):
    project = ProjectFactory(lead_workshop=workshop4)
    before = row_counts()
    response = office.post(
        reverse("office:project-file-upload", args=[project.pk]),
        {"dokument-file": SimpleUploadedFile("Steckbrief.pdf", b"MZ\x90\x00 kein PDF", "application/pdf")},
    )
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in _text(response)
    assert row_counts() == before


# --- projects in sessions ---------------------------------------------------------------------------------


def _held_meeting(workshop: Any, days_ago: int = 7) -> Any:
    return MeetingFactory(workshop=workshop, state=MeetingState.HELD, date=_today() - dt.timedelta(days=days_ago))


def test_the_office_puts_a_hearable_project_on_the_agenda(office, workshop4):
    meeting = MeetingFactory(workshop=workshop4, date=_today() + dt.timedelta(days=14))
    AgendaItemFactory(meeting=meeting, number="1", order=1, title="Begrüßung")
    AgendaItemFactory(meeting=meeting, number="2", order=2, title="Sonstiges")
    hearable = ProjectFactory(lead_workshop=workshop4, title="Wärmenetz Forst", state=ProjectState.QUALIFICATION)
    ProjectFactory(lead_workshop=workshop4, title="Schon bewilligt", state=ProjectState.APPROVED)
    presenter = PersonFactory(given_name="Petra", family_name="Projekt", function="Geschäftsführerin")
    agenda = reverse("office:agenda", args=[meeting.pk])
    page = office.get(agenda).content.decode()
    assert "Projekt auf die Tagesordnung setzen" in page
    assert "Wärmenetz Forst (Werkstatt 4, in Qualifizierung)" in page and "Schon bewilligt" not in page
    response = office.post(
        reverse("office:agenda-project-add", args=[meeting.pk]),
        {"projekt-project": str(hearable.pk), "projekt-number": "1.1", "projekt-presenter": str(presenter.pk)},
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get(project=hearable, meeting=meeting)
    item = consultation.agenda_item
    assert (item.number, item.kind, item.title) == (
        "1.1",
        AgendaItemKind.PROJECT_PRESENTATION,
        "Vorstellung Investitionsprojekt „Wärmenetz Forst“",
    )
    assert [p.person for p in item.presenters.all()] == [presenter]
    assert consultation.authoritative
    assert list(meeting.agenda_items.order_by("order").values_list("number", flat=True)) == ["1", "1.1", "2"]
    page = _text(office.get(agenda))
    assert "„Wärmenetz Forst“ steht als TOP 1.1 auf der Tagesordnung." in page
    assert "Beratung: Wärmenetz Forst – Ergebnis offen" in page


@pytest.mark.parametrize(
    ("number", "message"),
    [("", "Bitte geben Sie die TOP-Nummer an."), ("vier", "TOP-Nummer")],
)
def test_putting_a_project_on_the_agenda_refuses_bad_input_in_german(office, workshop4, row_counts, number, message):
    meeting = MeetingFactory(workshop=workshop4, date=_today() + dt.timedelta(days=14))
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.QUALIFICATION)
    before = row_counts()
    response = office.post(
        reverse("office:agenda-project-add", args=[meeting.pk]),
        {"projekt-project": str(project.pk), "projekt-number": number},
    )
    assert response.status_code == 200
    assert message in _text(response)
    assert row_counts() == before


def test_a_project_already_on_the_agenda_is_not_offered_again(office, workshop4, row_counts):
    meeting = MeetingFactory(workshop=workshop4, date=_today() + dt.timedelta(days=14))
    project = ProjectFactory(lead_workshop=workshop4, title="Wärmenetz Forst", state=ProjectState.QUALIFICATION)
    project_put_on_agenda(actor=None, project=project, meeting=meeting, number="3")
    before = row_counts()
    response = office.post(
        reverse("office:agenda-project-add", args=[meeting.pk]),
        {"projekt-project": str(project.pk), "projekt-number": "4"},
    )
    assert "Projekt: Dieses Projekt kann nicht auf diese Tagesordnung" in _text(response)
    assert row_counts() == before


def _consultation_url(consultation: Consultation) -> str:
    return reverse("office:consultation", args=[consultation.meeting_id, consultation.pk])


def test_the_lead_workshops_recommendation_moves_the_project(office, office_user, workshop4):
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.QUALIFICATION)
    meeting = _held_meeting(workshop4)
    consultation = project_put_on_agenda(actor=None, project=project, meeting=meeting, number="5")
    item_page = office.get(reverse("office:agenda-item", args=[meeting.pk, consultation.agenda_item_id]))
    assert "Ergebnis erfassen" in _text(item_page) and "Vorstellung erfassen" in _text(item_page)
    prefix = f"ergebnis-{consultation.pk}"
    response = office.post(
        _consultation_url(consultation), {"aktion": "ergebnis", f"{prefix}-outcome": "recommendation"}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.state, project.presented_on, project.recommended_on) == (
        ProjectState.RECOMMENDED,
        meeting.date,
        meeting.date,
    )
    consultation.refresh_from_db()
    assert consultation.outcome_recorded_by == office_user
    page = _text(office.get(response["Location"]))
    assert "Das Ergebnis „konsensuale Empfehlung“ ist erfasst; das Projekt ist „zur Weiterleitung empfohlen“." in page
    assert "Ergebnis erfassen" not in page


def test_a_recommendation_with_conditions_needs_the_conditions(office, workshop4, row_counts):
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.QUALIFICATION)
    consultation = project_put_on_agenda(actor=None, project=project, meeting=_held_meeting(workshop4), number="5")
    prefix = f"ergebnis-{consultation.pk}"
    before = row_counts()
    response = office.post(
        _consultation_url(consultation), {"aktion": "ergebnis", f"{prefix}-outcome": "recommendation_conditions"}
    )
    assert response.status_code == 200
    assert "Bitte nennen Sie die Auflagen der Empfehlung." in _text(response)
    assert row_counts() == before
    response = office.post(
        _consultation_url(consultation),
        {
            "aktion": "ergebnis",
            f"{prefix}-outcome": "recommendation_conditions",
            f"{prefix}-conditions": "Wirtschaftlichkeitsbetrachtung nachreichen",
        },
    )
    consultation.refresh_from_db()
    assert consultation.outcome == ConsultationOutcome.RECOMMENDATION_WITH_CONDITIONS
    assert "Wirtschaftlichkeitsbetrachtung nachreichen" in project.status_changes.last().note


def test_an_outcome_waits_until_the_session_is_held(office, workshop4, row_counts):
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.QUALIFICATION)
    meeting = MeetingFactory(workshop=workshop4, date=_today() + dt.timedelta(days=3))
    consultation = project_put_on_agenda(actor=None, project=project, meeting=meeting, number="5")
    page = _text(office.get(_consultation_url(consultation)))
    assert "Das Ergebnis wird erfasst, wenn die Sitzung durchgeführt wurde." in page
    assert "Ergebnis erfassen" not in page
    before = row_counts()
    response = office.post(
        _consultation_url(consultation),
        {"aktion": "ergebnis", f"ergebnis-{consultation.pk}-outcome": "recommendation"},
    )
    assert "Das Ergebnis wird erfasst, wenn die Sitzung durchgeführt wurde." in _text(response)
    assert row_counts() == before


def test_another_workshops_outcome_does_not_move_the_project(office, workshop4, workshop2):
    project = ProjectFactory(lead_workshop=workshop2, state=ProjectState.QUALIFICATION)
    consultation = project_put_on_agenda(actor=None, project=project, meeting=_held_meeting(workshop4), number="5")
    assert not consultation.authoritative
    page = _text(office.get(_consultation_url(consultation)))
    assert "Vorstellung erfassen" not in page
    office.post(
        _consultation_url(consultation), {"aktion": "ergebnis", f"ergebnis-{consultation.pk}-outcome": "notice"}
    )
    project.refresh_from_db()
    consultation.refresh_from_db()
    assert (consultation.outcome, project.state) == (ConsultationOutcome.NOTICE, ProjectState.QUALIFICATION)


def test_recording_the_presentation_moves_the_project_to_presented(office, workshop4):
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.QUALIFICATION)
    meeting = _held_meeting(workshop4)
    consultation = project_put_on_agenda(actor=None, project=project, meeting=meeting, number="5")
    response = office.post(_consultation_url(consultation), {"aktion": "vorstellung"}, follow=True)
    assert "ist erfasst; das Projekt ist „in der federführenden Werkstatt vorgestellt“" in _text(response)
    project.refresh_from_db()
    assert (project.state, project.presented_on) == (ProjectState.PRESENTED, meeting.date)
    change = project.status_changes.get()
    assert (change.consultation, change.decision_date) == (consultation, meeting.date)
    # Later, the vote: the project is presented already and goes straight on.
    office.post(
        _consultation_url(consultation), {"aktion": "ergebnis", f"ergebnis-{consultation.pk}-outcome": "deferral"}
    )
    project.refresh_from_db()
    assert project.state == ProjectState.DEFERRED
    assert office.post(_consultation_url(consultation), {"aktion": "fliegen"}).status_code == 400


# --- the list and the dashboard ---------------------------------------------------------------------------


def test_the_list_shows_all_projects_with_the_users_steps_and_german_filter_messages(office, bank, workshop4):
    ProjectFactory(lead_workshop=workshop4, title="Öffentliches Projekt", state=ProjectState.SUBMITTED)
    ProjectFactory(lead_workshop=workshop4, title="Internes Projekt", state=ProjectState.APPLIED, public=False)
    page = _text(office.get(reverse("office:project-list")))
    assert "2 Projekte" in page
    assert "Internes Projekt Organisation" in page and "nicht öffentlich Werkstatt 4 im Antragsverfahren" in page
    assert "Neues Projekt anlegen" in page
    assert reverse("office:project-import") in office.get(reverse("office:project-list")).content.decode()
    mine = _text(bank.get(reverse("office:project-list") + "?meine=1"))
    assert "1 Projekt " in mine and "Internes Projekt" in mine and "Öffentliches Projekt" not in mine
    assert "Neues Projekt anlegen" not in mine and "Projektliste importieren" not in mine
    odd = _text(office.get(reverse("office:project-list") + "?stand=fliegend&kreis=12"))
    assert "Den Wert „fliegend“ gibt es für „Stand“ nicht; er wurde ignoriert." in odd
    assert "„Landkreis“ erwartet einen amtlichen Schlüssel mit 5 Ziffern" in odd


def test_the_dashboard_leads_to_the_projects(office, bank, speaker_w4, workshop4):
    ProjectFactory(lead_workshop=workshop4, state=ProjectState.CONFIRMED)
    assert "0 Projekte warten auf einen Schritt von Ihnen" in _text(office.get(reverse("office:dashboard")))
    assert "1 Projekt wartet auf einen Schritt von Ihnen" in _text(bank.get(reverse("office:dashboard")))
    speaker = Client()
    speaker.force_login(speaker_w4)
    assert "Alle Projekte" not in _text(speaker.get(reverse("office:dashboard")))


# --- query counts -----------------------------------------------------------------------------------------


def _grow(project: Project, meeting_workshop: Any, n: int) -> None:
    """Give ``project`` ``n`` more status changes, milestones, consultations and documents."""
    for i in range(n):
        actor = UserFactory(role=Role.OFFICE)
        meeting = MeetingFactory(workshop=meeting_workshop, state=MeetingState.HELD)
        item = AgendaItemFactory(meeting=meeting, kind=AgendaItemKind.PROJECT_PRESENTATION)
        consultation = ConsultationFactory(project=project, meeting=meeting, agenda_item=item)
        ProjectStatusChangeFactory(project=project, actor=actor, consultation=consultation, note=f"Schritt {i}")
        MilestoneFactory(project=project, kind="other", title=f"Meilenstein {i}")
        project.files.add(file_create(actor=None, name=f"Anlage {i}"))
        project.other_workshops.add(MeetingFactory().workshop)


@pytest.mark.parametrize("role", ["office", "bank"])
def test_office_project_pages_cost_a_fixed_number_of_queries(role, workshop4, places, request):
    user = request.getfixturevalue(f"{role}_user")
    client = Client()
    client.force_login(user)
    project = ProjectFactory(lead_workshop=workshop4, state=ProjectState.IMPLEMENTATION, municipality=places["cottbus"])
    for _i in range(2):
        ProjectFactory(lead_workshop=workshop4)
    _grow(project, workshop4, 2)
    meeting = MeetingFactory(workshop=workshop4, date=_today() + dt.timedelta(days=10))
    AgendaItemFactory(meeting=meeting, number="1", order=1)
    consultation = project_put_on_agenda(
        actor=None, project=ProjectFactory(lead_workshop=workshop4), meeting=meeting, number="9"
    )
    milestone = project.milestones.first()
    urls = {
        "list": reverse("office:project-list"),
        "list-filtered": reverse("office:project-list") + "?werkstatt=4&stand=qualification&meine=1",
        "detail": reverse("office:project-detail", args=[project.pk]),
        "edit": reverse("office:project-edit", args=[project.pk]),
        "create": reverse("office:project-create"),
        "milestone-edit": reverse("office:milestone-edit", args=[project.pk, milestone.pk]),
        "milestone-delete": reverse("office:milestone-delete", args=[project.pk, milestone.pk]),
        "consultation": _consultation_url(consultation),
        "agenda": reverse("office:agenda", args=[meeting.pk]),
        "agenda-item": reverse("office:agenda-item", args=[meeting.pk, consultation.agenda_item_id]),
        "dashboard": reverse("office:dashboard"),
    }
    if role != "office":
        for name in ("edit", "create", "agenda-item"):
            urls.pop(name)
    before = {name: count_queries(client, url) for name, url in urls.items()}
    _grow(project, workshop4, 8)
    for _i in range(20):
        ProjectFactory(lead_workshop=workshop4, state=ProjectState.QUALIFICATION)
    for _i in range(5):
        project_put_on_agenda(
            actor=None,
            project=ProjectFactory(lead_workshop=workshop4),
            meeting=meeting,
            number=str(20 + _i),
        )
    after = {name: count_queries(client, url) for name, url in urls.items()}
    assert after == before
    assert max(before.values()) <= 25, before
