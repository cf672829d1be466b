"""The project register as CSV and the import of project lists: format, escaping, visibility, fixed
query counts, round trip, every kind of bad input with its German message, dry run, all-or-nothing
commit, the command and the office page (with axe in a real browser)."""

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.demo_personas import client_as, delegate_w2, workshop2, workshop4  # noqa: F401 (fixtures, see tests/demo_personas.py)
from tests.factories import PASSWORD, OrganizationFactory, ProjectFactory
from tests.pages import visible_text
from werkstatt.importers.projects_csv import CHANGED, NEW, REFUSED, UNCHANGED, import_projects
from werkstatt.organizations.models import FocusArea, Organization, Workshop
from werkstatt.projects import csv_format
from werkstatt.projects.models import Project, ProjectStatusChange
from werkstatt.projects.workflow import ProjectState

pytestmark = pytest.mark.django_db

EXPORT_URL = "/projekte/export.csv"
IMPORT_URL = "/office/projekte/import/"
TELEMEDICINE = "Telemedizinische Einbindung von Notärzten im Regionalleitstellenbereich Lausitz"
COTTBUS = "Stadt Cottbus/Chóśebuz"
REQUIRED = ["Titel", "Projektträger", "Federführende Werkstatt", "Förderinstrument", "Stand"]


# --- helpers ------------------------------------------------------------------------------------------


def _download(client: Client, query: str = "") -> tuple[Any, bytes]:
    response = client.get(EXPORT_URL + query)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def _rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 mit BOM erwartet"
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
    assert reader.fieldnames == list(csv_format.HEADERS)
    return list(reader)


def _by_title(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["Titel"]: row for row in rows}


def _csv(rows: list[dict[str, str]], headers: list[str] | None = None, *, encoding: str = "utf-8-sig") -> bytes:
    headers = headers or list(csv_format.HEADERS)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=headers, delimiter=";", lineterminator="\r\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def _new_row(**cells: str) -> dict[str, str]:
    row = {
        "Titel": "Ärztehaus Großräschen",
        "Projektträger": "Stadt Großräschen",
        "Federführende Werkstatt": "4",
        "Förderinstrument": "InvKG Arm 1",
        "Stand": "Projektidee",
    }
    row.update(cells)
    return row


def _dry(content: bytes, user: Any = None) -> Any:
    return import_projects(content, actor=user, dry_run=True)


def _commit(content: bytes, user: Any = None) -> Any:
    return import_projects(content, actor=user, dry_run=False)


def _only_row(report: Any) -> Any:
    assert not report.errors, report.errors
    assert len(report.rows) == 1, report.rows
    return report.rows[0]


def _reasons(report: Any) -> str:
    return " ".join(reason for row in report.rows for reason in row.reasons)


def _refused_without_change(content: bytes, row_counts: Any, office_user: Any) -> Any:
    """Both dry run and commit refuse ``content`` and store nothing; returns the commit's report."""
    before = row_counts()
    dry = _dry(content, office_user)
    report = _commit(content, office_user)
    assert dry.refused and report.refused
    assert not report.committed
    assert row_counts() == before
    return report


# --- export ---------------------------------------------------------------------------------------------


def test_export_is_excel_csv_with_bom_semicolons_crlf_decimal_commas_and_german_dates(demo, office_user):
    response, data = _download(client_as(office_user))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="projektregister-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert "private" in response["Cache-Control"]
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 3 and data.replace(b"\r\n", b"").count(b"\n") == 0
    header = data.decode("utf-8-sig").split("\r\n")[0]
    assert header.startswith("Nr.;Titel;Projektträger;Federführende Werkstatt;Weitere Werkstätten;")
    telemedicine = _by_title(_rows(data))[TELEMEDICINE]
    assert telemedicine["Projektträger"] == COTTBUS
    assert telemedicine["Federführende Werkstatt"] == "2"
    assert telemedicine["Weitere Werkstätten"] == "4"
    assert telemedicine["Förderinstrument"] == "InvKG Arm 1 (Land, über die ILB)"
    assert telemedicine["Stand"] == "bewilligt (Zuwendungsbescheid)"
    assert telemedicine["Gemeinde (Schlüssel)"] == "12052000"
    assert telemedicine["Landkreis (Schlüssel)"] == "12052"
    assert telemedicine["Gesamtkosten"] == "716000,00"
    assert telemedicine["Zuwendung"] == "644400,00"
    assert telemedicine["IMAG-bestätigt am"] == "06.03.2024"
    assert telemedicine["Bewilligt am"] == "15.07.2024"
    assert telemedicine["Schwerpunkte"] == "IUC-Modellregion Gesundheit"
    assert telemedicine["Öffentlich"] == "ja"


FORMULAS = ['=HYPERLINK("http://x","y")', "+49 355 Hotline", "-Minus", "@SUMME(A1)", "\tTab", "\rWagenrücklauf"]


def test_formula_cells_are_escaped_with_a_quote(demo, office_user):
    sponsor = OrganizationFactory(name="=1+1 GmbH")
    for number, title in enumerate(FORMULAS):
        ProjectFactory(title=title, sponsor=sponsor, description=f"=cmd|' /C calc'!A{number}")
    _response, data = _download(client_as(office_user))
    rows = _rows(data)
    titles = {row["Titel"] for row in rows}
    for title in FORMULAS:
        assert "'" + title in titles
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(csv_format.FORMULA_STARTS), cell
    assert b";=HYPERLINK" not in data and b'"=HYPERLINK' not in data
    assert '\'=HYPERLINK(""http://x"",""y"")' in data.decode("utf-8-sig")


def test_money_stays_empty_for_the_public_until_the_finances_are_public(demo, office_user, anonymous):
    money = {"total_cost": Decimal("500000"), "eligible_cost": Decimal("400001"), "grant": Decimal("360000.50")}
    ProjectFactory(title="Beantragt", state=ProjectState.APPLIED, **money)
    ProjectFactory(title="Bewilligt, nicht freigegeben", state=ProjectState.APPROVED, **money)
    ProjectFactory(title="Bewilligt und freigegeben", state=ProjectState.APPROVED, public_finances=True, **money)
    ProjectFactory(title="Intern", public=False, **money)
    public = _by_title(_rows(_download(client_as())[1]))
    assert "Intern" not in public
    for title in ("Beantragt", "Bewilligt, nicht freigegeben"):
        assert (public[title]["Gesamtkosten"], public[title]["Förderfähige Kosten"], public[title]["Zuwendung"]) == (
            "",
            "",
            "",
        )
    assert public["Bewilligt und freigegeben"]["Zuwendung"] == "360000,50"
    office = _by_title(_rows(_download(client_as(office_user))[1]))
    assert office["Beantragt"]["Zuwendung"] == "360000,50"
    assert office["Intern"]["Gesamtkosten"] == "500000,00"


def test_export_applies_the_register_filters(demo, office_user):
    client = client_as(office_user)
    assert {r["Titel"] for r in _rows(_download(client, "?werkstatt=2")[1])} == {TELEMEDICINE}
    assert {r["Titel"] for r in _rows(_download(client, "?stand=presented")[1])} == {"WerteGesellschaft Lausitz"}
    assert {r["Titel"] for r in _rows(_download(client, "?foerderung=stark")[1])} == {"WerteGesellschaft Lausitz"}
    assert {r["Titel"] for r in _rows(_download(client, "?gemeinde=12052000")[1])} == {TELEMEDICINE}
    # A filter the register would ignore with a message is ignored here too.
    assert len(_rows(_download(client, "?werkstatt=zwei")[1])) == 2


def _export_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(EXPORT_URL)
        b"".join(response.streaming_content)
    return len(context.captured_queries)


def _portfolio(count: int, workshops: list[Workshop]) -> None:
    areas = list(FocusArea.objects.filter(workshop__in=workshops))
    for _ in range(count):
        project = ProjectFactory(lead_workshop=workshops[0], total_cost=Decimal("100000"))
        project.other_workshops.add(workshops[1])
        project.focus_areas.add(*areas[:1])


@pytest.mark.parametrize("persona", ["office_user", "anonymous", "delegate_w2"])
def test_export_costs_the_same_queries_for_5_and_for_50_projects(request, demo, persona):
    user = request.getfixturevalue(persona)
    client = client_as(None if persona == "anonymous" else user)
    workshops = [Workshop.objects.get(number=4), Workshop.objects.get(number=2)]
    _portfolio(3, workshops)  # with the two demo projects: 5
    small = _export_queries(client)
    assert len(_rows(_download(client)[1])) >= 5
    _portfolio(45, workshops)
    large = _export_queries(client)
    assert len(_rows(_download(client)[1])) >= 50
    assert small == large, (small, large)


# --- round trip ----------------------------------------------------------------------------------------


def test_export_then_import_changes_nothing(demo, office_user, row_counts):
    tricky = ProjectFactory(
        title='=HYPERLINK("http://x","y")',
        sponsor=Organization.objects.get(name=COTTBUS),
        lead_workshop=Workshop.objects.get(number=4),
        description='Zeile eins; mit Semikolon\nZeile zwei mit "Anführungszeichen"',
        expected_effect="-20 % CO₂",
        expected_jobs=12,
        total_cost=Decimal("1234567.89"),
        eligible_cost=Decimal("1000000"),
        grant=Decimal("25000"),
        latitude=Decimal("51.75630"),
        longitude=Decimal("14.33290"),
        planned_start=dt.date(2025, 1, 1),
        planned_end=dt.date(2026, 12, 31),
        funding_area="8",
        state=ProjectState.QUALIFICATION,
    )
    tricky.other_workshops.add(Workshop.objects.get(number=2))
    tricky.focus_areas.add(*FocusArea.objects.filter(workshop__number=4)[:2])
    _response, data = _download(client_as(office_user))
    before = row_counts()
    report = _commit(data, office_user)
    assert not report.refused, [(row.line, row.reasons) for row in report.rows]
    assert [row.outcome for row in report.rows] == [UNCHANGED] * 3
    assert row_counts() == before


# --- bad input, each refused in German with nothing stored -----------------------------------------------


def test_wrong_columns_are_named_and_nothing_is_read(demo, office_user, row_counts):
    content = _csv([{"Projektname": "X", "Farbe": "blau"}], ["Nr.", "Projektname", "Projektträger", "Farbe"])
    report = _refused_without_change(content, row_counts, office_user)
    text = " ".join(report.errors)
    assert "Unbekannte Spalten: „Projektname“, „Farbe“." in text
    assert "Es fehlen die Pflichtspalten „Titel“, „Federführende Werkstatt“, „Förderinstrument“, „Stand“." in text
    assert not report.rows


def test_headers_may_differ_in_case_and_spacing_but_not_repeat(demo, office_user, row_counts):
    loose = _csv([_new_row()], REQUIRED).replace(
        "Federführende Werkstatt".encode(), b"  federf\xc3\xbchrende  WERKSTATT "
    )
    assert _only_row(_dry(loose, office_user)).outcome == NEW
    twice = "Titel;Titel;Projektträger;Federführende Werkstatt;Förderinstrument;Stand\r\na;b;c;4;STARK;Projektidee\r\n"
    report = _refused_without_change(twice.encode(), row_counts, office_user)
    assert "Doppelte Spalten: „Titel“." in report.errors


def test_a_windows_1252_file_is_read_with_a_warning_and_its_umlauts_arrive(demo, office_user, row_counts):
    row = _new_row(Titel="Ärztehaus Großräschen – Süd", Beschreibung="Praxisräume für Hausärztinnen")
    content = _csv([row], [*REQUIRED, "Beschreibung"], encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    before = row_counts()
    dry = _dry(content, office_user)
    assert row_counts() == before
    assert any("Windows-1252" in warning for warning in dry.warnings)
    assert _only_row(dry).outcome == NEW
    report = _commit(content, office_user)
    assert report.committed
    project = Project.objects.get(title="Ärztehaus Großräschen – Süd")
    assert project.description == "Praxisräume für Hausärztinnen"
    assert project.sponsor.name == "Stadt Großräschen"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("716.000,00", Decimal("716000")),
        ("716000", Decimal("716000")),
        ("716000,5", Decimal("716000.5")),
        ("716.000 €", Decimal("716000")),
        ("1.234.567,89", Decimal("1234567.89")),
    ],
)
def test_money_with_decimal_commas_is_accepted(demo, office_user, cell, expected):
    report = _commit(_csv([_new_row(Gesamtkosten=cell)], [*REQUIRED, "Gesamtkosten"]), office_user)
    assert report.committed, _reasons(report)
    assert Project.objects.get(title="Ärztehaus Großräschen").total_cost == expected


@pytest.mark.parametrize("cell", ["716000.50", "1,234.56", "716000.5"])
def test_money_with_decimal_points_is_refused_asking_for_the_german_format(demo, office_user, row_counts, cell):
    report = _refused_without_change(
        _csv([_new_row(Gesamtkosten=cell)], [*REQUIRED, "Gesamtkosten"]), row_counts, office_user
    )
    row = _only_row(report)
    assert row.outcome == REFUSED
    assert row.reasons == [
        f"Gesamtkosten: „{cell}“ ist in englischer Schreibweise; bitte im deutschen Format mit Dezimalkomma, "
        "z. B. 716.000,50."
    ]


def test_other_malformed_cells_name_their_column(demo, office_user, row_counts):
    row = _new_row(
        Gesamtkosten="viel",
        **{"Geplanter Beginn": "31.02.2025", "Geplantes Ende": "Sommer", "Öffentlich": "vielleicht"},
        **{"Gemeinde (Schlüssel)": "123", "Förderinstrument": "Lotto"},
    )
    headers = [*REQUIRED, "Gesamtkosten", "Geplanter Beginn", "Geplantes Ende", "Öffentlich", "Gemeinde (Schlüssel)"]
    reasons = _only_row(_refused_without_change(_csv([row], headers), row_counts, office_user)).reasons
    text = " ".join(reasons)
    assert "Gesamtkosten: „viel“ ist keine Zahl" in text
    assert "Geplanter Beginn: „31.02.2025“ ist kein gültiges Datum." in text
    assert "Geplantes Ende: „Sommer“ ist kein Datum; erwartet wird TT.MM.JJJJ" in text
    assert "Öffentlich: „vielleicht“: bitte „ja“ oder „nein“ angeben." in text
    assert "Gemeinde (Schlüssel): „123“ ist kein Gemeindeschlüssel; er hat 8 Ziffern." in text
    assert "Förderinstrument: „Lotto“ ist kein bekannter Förderinstrument." in text


def test_duplicate_rows_are_refused_naming_both_rows(demo, office_user, row_counts):
    content = _csv([_new_row(), _new_row(Titel="Anderes Projekt"), _new_row()], REQUIRED)
    report = _refused_without_change(content, row_counts, office_user)
    assert [row.outcome for row in report.rows] == [NEW, NEW, REFUSED]
    assert report.rows[2].reasons[0] == (
        "Doppelt: Zeile 4 beschreibt dasselbe Projekt wie Zeile 2. Jedes Projekt darf nur einmal in der Datei stehen."
    )


def test_the_same_project_by_number_and_by_title_is_a_duplicate(demo, office_user, row_counts):
    telemedicine = Project.objects.get(title=TELEMEDICINE)
    rows = [
        {"Nr.": str(telemedicine.pk), "Titel": TELEMEDICINE, "Projektträger": COTTBUS},
        {"Nr.": "", "Titel": TELEMEDICINE.upper(), "Projektträger": COTTBUS.lower()},
    ]
    report = _refused_without_change(
        _csv(rows, ["Nr.", "Titel", "Projektträger", *REQUIRED[2:]]), row_counts, office_user
    )
    assert report.rows[1].reasons[0].startswith("Doppelt: Zeile 3 beschreibt dasselbe Projekt wie Zeile 2.")


def test_a_formula_in_a_cell_is_refused(demo, office_user, row_counts):
    content = _csv([_new_row(Titel='=HYPERLINK("http://x","y")')], REQUIRED)
    row = _only_row(_refused_without_change(content, row_counts, office_user))
    assert row.reasons == [
        'Titel: Formeln werden nicht importiert („=HYPERLINK("http://x","y")“); bitte nur Werte eintragen.'
    ]


def test_a_quoted_formula_from_the_export_is_text(demo, office_user):
    report = _commit(_csv([_new_row(Titel="'=Gleichung für alle")], REQUIRED), office_user)
    assert report.committed
    assert Project.objects.filter(title="=Gleichung für alle").exists()


def test_a_grant_above_90_percent_is_refused(demo, office_user, row_counts):
    row = _new_row(**{"Förderfähige Kosten": "100.000,00", "Zuwendung": "95.000,00"})
    reasons = _only_row(
        _refused_without_change(_csv([row], [*REQUIRED, "Förderfähige Kosten", "Zuwendung"]), row_counts, office_user)
    ).reasons
    assert reasons == [
        "Zuwendung: Die Zuwendung von 95.000 EUR ist mehr als 90 % der förderfähigen Kosten (höchstens 90.000 EUR)."
    ]


def test_a_grant_below_25000_is_refused(demo, office_user, row_counts):
    row = _new_row(**{"Förderfähige Kosten": "100.000,00", "Zuwendung": "20.000"})
    reasons = _only_row(
        _refused_without_change(_csv([row], [*REQUIRED, "Förderfähige Kosten", "Zuwendung"]), row_counts, office_user)
    ).reasons
    assert reasons == ["Zuwendung: Eine Zuwendung beträgt mindestens 25.000 EUR; angegeben sind 20.000 EUR."]


def test_an_unknown_workshop_is_refused(demo, office_user, row_counts):
    row = _new_row(**{"Federführende Werkstatt": "9", "Weitere Werkstätten": "2, 7, 8"})
    reasons = _only_row(
        _refused_without_change(_csv([row], [*REQUIRED, "Weitere Werkstätten"]), row_counts, office_user)
    ).reasons
    assert reasons == [
        "Federführende Werkstatt: Die Werkstatt 9 gibt es nicht.",
        "Weitere Werkstätten: Die Werkstätten 7, 8 gibt es nicht.",
    ]


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b" \r\n\r\n"])
def test_an_empty_file_is_refused(demo, office_user, row_counts, content):
    assert _refused_without_change(content, row_counts, office_user).errors == ["Die Datei ist leer."]


def test_a_header_without_rows_is_refused(demo, office_user, row_counts):
    report = _refused_without_change(_csv([], REQUIRED), row_counts, office_user)
    assert report.errors == ["Die Datei enthält nur die Kopfzeile, keine Projekte."]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "Das ist keine CSV-Datei: sie enthält Binärdaten."),
        (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", "Das ist eine Excel- oder ZIP-Datei, keine CSV-Datei."),
        ("Titel;Stand".encode("utf-16"), "Die Datei ist in UTF-16 („Unicode-Text“) gespeichert."),
        (b"Titel;Stand\x07\x1b", "Das ist keine CSV-Datei: sie enthält Binärdaten."),
    ],
)
def test_a_file_that_is_not_a_csv_is_refused(demo, office_user, row_counts, content, message):
    report = _refused_without_change(content, row_counts, office_user)
    assert report.errors[0].startswith(message)


def test_an_unclosed_quote_is_refused_with_the_row(demo, office_user, row_counts):
    content = (";".join(REQUIRED) + '\r\n"Offen;Stadt;4;STARK;Projektidee\r\n').encode()
    report = _refused_without_change(content, row_counts, office_user)
    assert "kein gültiges CSV" in report.errors[0]


def test_a_row_with_more_cells_than_the_header_is_refused(demo, office_user, row_counts):
    content = (";".join(REQUIRED) + "\r\nA;Stadt;4;STARK;Projektidee;zu viel\r\n").encode()
    row = _only_row(_refused_without_change(content, row_counts, office_user))
    assert row.reasons == ["Die Zeile hat mehr Felder (6) als die Kopfzeile (5); ist ein Trennzeichen zu viel?"]


def test_a_comma_separated_file_is_read_with_a_note(demo, office_user):
    content = (",".join(REQUIRED) + '\r\nKomma-Projekt,"Stadt Cottbus/Chóśebuz",4,STARK,Projektidee\r\n').encode()
    report = _dry(content, office_user)
    assert _only_row(report).outcome == NEW
    assert "Die Datei ist mit Kommas statt Semikolons getrennt; sie wurde so gelesen." in report.warnings


# --- state and decision dates ----------------------------------------------------------------------------


def test_the_state_of_an_existing_project_changes_only_through_the_steps(demo, office_user, row_counts):
    telemedicine = Project.objects.get(title=TELEMEDICINE)
    row = {"Nr.": str(telemedicine.pk), "Titel": TELEMEDICINE, "Projektträger": COTTBUS, "Stand": "in Umsetzung"}
    row |= {"Federführende Werkstatt": "2", "Förderinstrument": "InvKG Arm 1", "Bewilligt am": "16.07.2024"}
    reasons = _only_row(
        _refused_without_change(_csv([row], ["Nr.", *REQUIRED, "Bewilligt am"]), row_counts, office_user)
    ).reasons
    assert reasons == [
        "Stand: „in Umsetzung“ weicht vom Projekt ab („bewilligt (Zuwendungsbescheid)“); "
        "Stand ändert sich nur über die Prozessschritte.",
        "Bewilligt am: „16.07.2024“ weicht vom Projekt ab („15.07.2024“); "
        "Bewilligt am ändert sich nur über die Prozessschritte.",
    ]


def test_a_new_project_starts_as_idea_or_submitted_and_gets_no_invented_history(demo, office_user, row_counts):
    content = _csv(
        [_new_row(Stand="bewilligt (Zuwendungsbescheid)", **{"IMAG-bestätigt am": "06.03.2024"})],
        [*REQUIRED, "IMAG-bestätigt am"],
    )
    reasons = " ".join(_only_row(_refused_without_change(content, row_counts, office_user)).reasons)
    assert "Stand: Ein neues Projekt beginnt als „Projektidee“ oder „Projektsteckbrief eingereicht“" in reasons
    assert "IMAG-bestätigt am: Ein neues Projekt hat noch keine Entscheidungsdaten" in reasons
    report = _commit(_csv([_new_row(Stand="Projektsteckbrief eingereicht")], REQUIRED), office_user)
    assert report.committed
    assert Project.objects.get(title="Ärztehaus Großräschen").state == ProjectState.SUBMITTED


# --- dry run and commit ----------------------------------------------------------------------------------


def _mixed_file() -> bytes:
    """A new project, a change to the telemedicine project (by Nr.) and one to the STARK project (by title)."""
    telemedicine = Project.objects.get(title=TELEMEDICINE)
    rows = [
        _new_row(**{"Gemeinde (Schlüssel)": "12066112", "Gesamtkosten": "80.000", "Weitere Werkstätten": "2"}),
        {
            "Nr.": str(telemedicine.pk),
            "Titel": TELEMEDICINE,
            "Projektträger": COTTBUS,
            "Federführende Werkstatt": "2",
            "Förderinstrument": "InvKG Arm 1 (Land, über die ILB)",
            "Stand": "bewilligt (Zuwendungsbescheid)",
            "Gemeinde (Schlüssel)": "12052000",
            "Gesamtkosten": "716.000,00",
            "Weitere Werkstätten": "4",
            "Erwartete Arbeitsplätze": "14",
        },
        {
            "Titel": "WerteGesellschaft Lausitz",
            "Projektträger": "hochschule für nachhaltige  entwicklung eberswalde",
            "Federführende Werkstatt": "4",
            "Förderinstrument": "STARK",
            "Stand": "",
            "Gemeinde (Schlüssel)": "12071372",
            "Gesamtkosten": "",
            "Erwartete Arbeitsplätze": "",
        },
    ]
    return _csv(
        rows,
        ["Nr.", *REQUIRED, "Gemeinde (Schlüssel)", "Gesamtkosten", "Weitere Werkstätten", "Erwartete Arbeitsplätze"],
    )


def test_dry_run_reports_every_row_and_stores_nothing(demo, office_user, row_counts):
    before = row_counts()
    report = _dry(_mixed_file(), office_user)
    assert row_counts() == before
    assert not report.committed and not report.refused
    assert [(row.line, row.outcome) for row in report.rows] == [(2, NEW), (3, CHANGED), (4, CHANGED)]
    new, telemedicine, stark = report.rows
    assert new.changes == ["Projektträger „Stadt Großräschen“ wird neu angelegt."]
    assert telemedicine.changes == ["Erwartete Arbeitsplätze: (leer) → 14"]
    assert stark.nr == Project.objects.get(title="WerteGesellschaft Lausitz").pk
    assert stark.changes == ["Gemeinde (Schlüssel): (leer) → Spremberg/Grodk (12071372)"]
    assert (
        report.summary == "Probelauf, nichts gespeichert. Beim Import: 1 neu, 2 geändert, 0 unverändert, 0 abgelehnt."
    )
    assert not Organization.objects.filter(name="Stadt Großräschen").exists()


def test_commit_creates_and_changes_through_the_services_with_history(demo, office_user):
    report = _commit(_mixed_file(), office_user)
    assert report.committed, _reasons(report)
    assert report.summary == "Importiert: 1 neu, 2 geändert, 0 unverändert, 0 abgelehnt."
    new = Project.objects.get(title="Ärztehaus Großräschen")
    assert (new.state, new.municipality.ags, new.district.ags) == (ProjectState.IDEA, "12066112", "12066")
    assert new.total_cost == Decimal("80000")
    assert [w.number for w in new.other_workshops.all()] == [2]
    assert new.sponsor.name == "Stadt Großräschen"
    change = ProjectStatusChange.objects.get(project=new)
    assert (change.from_state, change.to_state, change.actor) == ("", ProjectState.IDEA, office_user)
    assert change.note == "Aus einer CSV-Projektliste importiert"
    assert new.history.get().history_user == office_user
    telemedicine = Project.objects.get(title=TELEMEDICINE)
    assert telemedicine.expected_jobs == 14
    latest = telemedicine.history.first()
    assert (latest.history_user, latest.history_change_reason) == (office_user, "CSV-Import")
    stark = Project.objects.get(title="WerteGesellschaft Lausitz")
    assert (stark.municipality.ags, stark.district.ags) == ("12071372", "12071")
    # Imported again, the same file changes nothing.
    again = _dry(_mixed_file(), office_user)
    assert [row.outcome for row in again.rows] == [UNCHANGED] * 3  # the new one is found by title and sponsor


def test_one_refused_row_stores_nothing_of_the_others(demo, office_user, row_counts):
    rows = [_new_row(), _new_row(Titel="Zweites Projekt", **{"Federführende Werkstatt": "9"})]
    report = _refused_without_change(_csv(rows, REQUIRED), row_counts, office_user)
    assert [row.outcome for row in report.rows] == [NEW, REFUSED]
    assert report.summary.startswith("Nichts gespeichert: 1 Zeile ist abgelehnt")
    assert not Project.objects.filter(title="Ärztehaus Großräschen").exists()


def test_sponsors_are_matched_ignoring_case_and_spaces_else_created_once(demo, office_user):
    rows = [
        _new_row(Titel="Erstes", Projektträger="  stadt   cottbus/CHÓŚEBUZ "),
        _new_row(Titel="Zweites", Projektträger="Verein Neu e. V."),
        _new_row(Titel="Drittes", Projektträger="verein neu e. v."),
    ]
    organizations = Organization.objects.count()
    report = _commit(_csv(rows, REQUIRED), office_user)
    assert report.committed, _reasons(report)
    assert Project.objects.get(title="Erstes").sponsor.name == COTTBUS
    assert Organization.objects.count() == organizations + 1
    assert Project.objects.get(title="Drittes").sponsor == Project.objects.get(title="Zweites").sponsor


def test_an_unknown_number_is_refused(demo, office_user, row_counts):
    row = _new_row(**{"Nr.": "99999"})
    assert _only_row(_refused_without_change(_csv([row], ["Nr.", *REQUIRED]), row_counts, office_user)).reasons == [
        "Nr.: Ein Projekt mit der Nr. 99999 gibt es nicht."
    ]


def test_a_change_of_instrument_after_the_recommendation_is_refused_by_the_service(demo, office_user, row_counts):
    telemedicine = Project.objects.get(title=TELEMEDICINE)
    row = {"Nr.": str(telemedicine.pk), "Titel": TELEMEDICINE, "Projektträger": COTTBUS}
    row |= {"Federführende Werkstatt": "2", "Förderinstrument": "STARK", "Stand": ""}
    reasons = _only_row(_refused_without_change(_csv([row], ["Nr.", *REQUIRED]), row_counts, office_user)).reasons
    assert reasons[0].startswith("Förderinstrument: Das Förderinstrument kann nach der Empfehlung nicht mehr")


def test_only_the_office_may_import(speaker_w4, bank_user, demo):
    from django.core.exceptions import PermissionDenied

    for user in (speaker_w4, bank_user):
        with pytest.raises(PermissionDenied):
            _dry(_csv([_new_row()], REQUIRED), user)


# --- the command -----------------------------------------------------------------------------------------


def test_command_prints_the_report_in_german_and_stores_nothing_on_a_dry_run(demo, tmp_path, row_counts):
    path = tmp_path / "projekte.csv"
    path.write_bytes(_mixed_file())
    before = row_counts()
    out = io.StringIO()
    call_command("import_projects", str(path), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Zeile 2: neu – Ärztehaus Großräschen" in text
    assert f"Zeile 3: geändert – {TELEMEDICINE} (Nr. " in text
    assert "    Erwartete Arbeitsplätze: (leer) → 14" in text
    assert "Probelauf, nichts gespeichert. Beim Import: 1 neu, 2 geändert, 0 unverändert, 0 abgelehnt." in text
    assert row_counts() == before


def test_command_commits_with_the_named_user(demo, tmp_path, office_user):
    path = tmp_path / "projekte.csv"
    path.write_bytes(_csv([_new_row()], REQUIRED))
    out = io.StringIO()
    call_command("import_projects", str(path), "--user", office_user.username, stdout=out)
    assert "Importiert: 1 neu, 0 geändert, 0 unverändert, 0 abgelehnt." in out.getvalue()
    assert Project.objects.get(title="Ärztehaus Großräschen").history.get().history_user == office_user


def test_command_fails_with_the_reasons_when_a_row_is_refused(demo, tmp_path, row_counts):
    path = tmp_path / "projekte.csv"
    path.write_bytes(_csv([_new_row(**{"Federführende Werkstatt": "9"})], REQUIRED))
    before = row_counts()
    out = io.StringIO()
    # CommandError is what makes manage.py exit with status 1.
    with pytest.raises(CommandError, match="Nichts gespeichert: 1 Zeile ist abgelehnt"):
        call_command("import_projects", str(path), stdout=out)
    assert (
        "Zeile 2: abgelehnt – Ärztehaus Großräschen\n    Federführende Werkstatt: Die Werkstatt 9 gibt es nicht."
        in (out.getvalue())
    )
    assert row_counts() == before


def test_command_refuses_a_missing_file_and_an_unknown_user(speaker_w4, demo, tmp_path):
    with pytest.raises(CommandError, match="lässt sich nicht lesen"):
        call_command("import_projects", str(tmp_path / "fehlt.csv"))
    path = tmp_path / "projekte.csv"
    path.write_bytes(_csv([_new_row()], REQUIRED))
    with pytest.raises(CommandError, match="Einen Benutzer „niemand“ gibt es nicht"):
        call_command("import_projects", str(path), "--user", "niemand")
    with pytest.raises(CommandError, match="Projektlisten importiert die Geschäftsstelle"):
        call_command("import_projects", str(path), "--user", speaker_w4.username)


# --- the office page -------------------------------------------------------------------------------------


def _upload(content: bytes, name: str = "projekte.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_import_page_is_for_the_office_only(speaker_w4, delegate_w2, demo, bank_user, office_user):
    response = client_as().get(IMPORT_URL)
    assert response.status_code == 302 and response["Location"].startswith("/konto/anmelden/?next=")
    for user in (speaker_w4, bank_user, delegate_w2):
        client = client_as(user)
        assert client.get(IMPORT_URL).status_code == 403
        assert client.post(IMPORT_URL, {"file": _upload(_csv([_new_row()], REQUIRED))}).status_code == 403
        assert client.post(reverse("office:project-import-commit"), {"sha256": "0" * 64}).status_code == 403
    response = client_as(office_user).get(IMPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert f'href="{reverse("exports:project-register-csv")}"' in html
    assert "Projektliste importieren" in visible_text(html)


def test_import_page_previews_then_commits_the_same_file(demo, office_user, row_counts):
    client = client_as(office_user)
    before = row_counts()
    response = client.post(IMPORT_URL, {"file": _upload(_mixed_file())})
    assert response.status_code == 200
    assert row_counts() == before
    text = visible_text(response.content.decode())
    assert "Vorschau: projekte.csv" in text
    assert "Geprüft, noch nichts gespeichert: 1 neu, 2 geändert, 0 unverändert, 0 abgelehnt." in text
    assert "2 neu – Ärztehaus Großräschen Projektträger „Stadt Großräschen“ wird neu angelegt." in text
    assert "Erwartete Arbeitsplätze: (leer) → 14" in text
    sha256 = response.context["commit_form"]["sha256"].value()
    assert client.post(reverse("office:project-import-commit"), {"sha256": "f" * 64}).status_code == 302
    assert row_counts() == before  # a different file's hash commits nothing
    response = client.post(reverse("office:project-import-commit"), {"sha256": sha256}, follow=True)
    assert response.redirect_chain[-1][0] == IMPORT_URL
    assert "Importiert: 1 neu, 2 geändert, 0 unverändert, 0 abgelehnt." in visible_text(response.content.decode())
    assert Project.objects.filter(title="Ärztehaus Großräschen").exists()
    # The session forgot the file: a second click imports nothing twice.
    response = client.post(reverse("office:project-import-commit"), {"sha256": sha256}, follow=True)
    assert "Die geprüfte Datei liegt nicht mehr vor." in visible_text(response.content.decode())
    assert Project.objects.filter(title="Ärztehaus Großräschen").count() == 1


def test_import_page_shows_refused_rows_without_an_import_button(demo, office_user, row_counts):
    before = row_counts()
    content = _csv([_new_row(), _new_row(Titel="Zweites", **{"Federführende Werkstatt": "9"})], REQUIRED)
    response = client_as(office_user).post(IMPORT_URL, {"file": _upload(content)})
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("office:project-import-commit") not in html
    text = visible_text(html)
    assert "Nicht importierbar" in text
    assert "3 abgelehnt – Zweites Federführende Werkstatt: Die Werkstatt 9 gibt es nicht." in text
    assert row_counts() == before


def test_import_page_refuses_unreadable_files_in_the_error_summary(demo, office_user, row_counts, settings):
    client = client_as(office_user)
    before = row_counts()
    response = client.post(IMPORT_URL, {"file": _upload(b"\x89PNG\r\n\x1a\n\x00\x00", "bild.csv")})
    assert response.status_code == 422
    text = visible_text(response.content.decode())
    assert "Bitte prüfen Sie Ihre Eingaben" in text
    assert "CSV-Datei: Das ist keine CSV-Datei: sie enthält Binärdaten." in text
    response = client.post(IMPORT_URL, {"file": _upload(b"")})
    assert "Die Datei ist leer." in visible_text(response.content.decode())
    response = client.post(IMPORT_URL, {})
    assert "Bitte wählen Sie eine CSV-Datei aus." in visible_text(response.content.decode())
    settings.WERKSTATT_MAX_UPLOAD_MB = 1
    big = _csv([_new_row(Beschreibung="x" * (2 * 1024 * 1024))], [*REQUIRED, "Beschreibung"])
    response = client.post(IMPORT_URL, {"file": _upload(big)})
    assert response.status_code == 422
    assert "Die Datei ist größer als 1 MB." in visible_text(response.content.decode())
    assert row_counts() == before


def test_import_page_costs_the_same_queries_whatever_the_register_holds(demo, office_user):
    client = client_as(office_user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(IMPORT_URL).status_code == 200
        return len(context.captured_queries)

    small = queries()
    _portfolio(30, [Workshop.objects.get(number=4), Workshop.objects.get(number=2)])
    assert queries() == small


# --- in a real browser -----------------------------------------------------------------------------------


def _log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + reverse("login"))
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Arbeitsbereich")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_page_flow_has_no_accessibility_violations(demo, office_user, live_server, page: Page, axe, tmp_path):
    refused = tmp_path / "fehlerhaft.csv"
    refused.write_bytes(
        _csv(
            [_new_row(Zuwendung="20.000,00", **{"Förderfähige Kosten": "100.000"})],
            [*REQUIRED, "Förderfähige Kosten", "Zuwendung"],
        )
    )
    good = tmp_path / "projekte.csv"
    good.write_bytes(_csv([_new_row()], REQUIRED))
    _log_in(page, live_server.url, office_user.username)
    page.goto(live_server.url + IMPORT_URL)
    expect(page.locator("h1")).to_have_text("Projektliste importieren")
    axe(page)
    page.get_by_role("button", name="Datei prüfen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte wählen Sie eine CSV-Datei aus.")
    axe(page)
    page.get_by_label("CSV-Datei").set_input_files(str(refused))
    page.get_by_role("button", name="Datei prüfen").click()
    expect(page.get_by_role("table")).to_contain_text("mindestens 25.000 EUR")
    axe(page)
    page.get_by_label("CSV-Datei").set_input_files(str(good))
    page.get_by_role("button", name="Datei prüfen").click()
    expect(page.get_by_role("table")).to_contain_text("Ärztehaus Großräschen")
    axe(page)
    page.get_by_role("button", name="Importieren").click()
    expect(page.get_by_role("status").first).to_contain_text("Importiert: 1 neu")
    axe(page)
    assert Project.objects.filter(title="Ärztehaus Großräschen", sponsor__name="Stadt Großräschen").exists()


def test_the_register_link_carries_the_page_filters():
    from django.template.loader import render_to_string

    html = render_to_string("exports/_register_csv_link.html", {"query": "werkstatt=4&stand=approved"})
    assert html.strip() == (
        '<a class="kern-link" href="/projekte/export.csv?werkstatt=4&amp;stand=approved" download>'
        "Als CSV herunterladen</a>"
    )


def test_cells_accept_the_forms_excel_users_type():
    assert csv_format.parse_date("2024-07-15") == csv_format.parse_date("15.07.2024") == dt.date(2024, 7, 15)
    assert csv_format.parse_date("5.7.2024") == dt.date(2024, 7, 5)
    assert csv_format.parse_funding_area("3") == csv_format.parse_funding_area("3 – Öffentliche Fürsorge") == "3"
    assert csv_format.parse_funding_area("verkehr") == "2"
    assert csv_format.parse_instrument("stark") == csv_format.parse_instrument("STARK (Bund, über das BAFA)")
    assert csv_format.parse_instrument("JTF") == "jtf"
    assert csv_format.parse_state("projektidee") == ProjectState.IDEA
    assert csv_format.parse_bool("X") is True and csv_format.parse_bool("Nein") is False
    assert csv_format.parse_workshop_numbers("2, 4;5") == [2, 4, 5]
    assert csv_format.parse_decimal("51,7563", 5, money=False) == Decimal("51.7563")
    with pytest.raises(csv_format.CellError, match="mehr als 2 Nachkommastellen"):
        csv_format.parse_decimal("1,234", 2, money=True)
    with pytest.raises(csv_format.CellError, match="nicht negativ"):
        csv_format.parse_decimal("-5,00", 2, money=True)
