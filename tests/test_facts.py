"""The page "Zahlen und Fakten" (portal:facts) and its CSV files: every figure against counts by hand on a
built portfolio, with non-public projects and unpublished money that the public must not see."""

import csv
import datetime as dt
import decimal
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from tests.factories import MilestoneFactory, ProjectFactory, WorkshopFactory
from tests.pages import count_queries, visible_text
from werkstatt.exports import catalogue
from werkstatt.geo.models import District
from werkstatt.geo.services import geo_reference_data_load
from werkstatt.portal import facts
from werkstatt.projects import statistics
from werkstatt.projects.models import MilestoneKind, Project
from werkstatt.projects.selectors import project_finances_visible_q, projects_visible_to
from werkstatt.projects.workflow import PIPELINE_ORDER, FundingInstrument, ProjectState

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
FACTS = "/zahlen-und-fakten/"
S = ProjectState
I = FundingInstrument  # noqa: E741


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def portfolio(body):
    """Ten projects in two workshops; P9 and P10 are not public, P5's money is not published.

    By hand, for the public: P1–P8. States: idea, qualification, confirmed, approved, implementation,
    completed on the main line (6), rejected and deferred aside (2)."""
    geo_reference_data_load()
    w1 = WorkshopFactory(body=body, number=1, title="Wirtschaft, Arbeit und Fachkräfte")
    w2 = WorkshopFactory(body=body, number=2, title="Innovation und Digitalisierung")
    district = {d.ags: d for d in District.objects.all()}
    cottbus, ee, spn, lds = district["12052"], district["12062"], district["12071"], district["12061"]

    def project(title, state, workshop, where, instrument=I.INVKG_ARM1, **fields):
        return ProjectFactory(
            body=body, title=title, state=state, lead_workshop=workshop, district=where, instrument=instrument, **fields
        )

    p = {}
    p[1] = project("P1", S.IDEA, w1, cottbus)
    p[2] = project("P2", S.QUALIFICATION, w1, ee, I.STARK)
    p[3] = project("P3", S.CONFIRMED, w2, cottbus, confirmed_on=d("2021-03-15"))
    p[4] = project(
        "P4",
        S.APPROVED,
        w2,
        cottbus,
        confirmed_on=d("2021-05-10"),
        approved_on=d("2022-01-10"),
        grant=decimal.Decimal("100000"),
        eligible_cost=decimal.Decimal("200000"),
        public_finances=True,
    )
    p[5] = project(
        "P5",
        S.IMPLEMENTATION,
        w1,
        ee,
        I.JTF,
        confirmed_on=d("2022-11-01"),
        approved_on=d("2023-02-01"),
        grant=decimal.Decimal("50000"),
        eligible_cost=decimal.Decimal("60000"),
        public_finances=False,
    )
    p[6] = project(
        "P6",
        S.COMPLETED,
        w2,
        spn,
        confirmed_on=d("2020-12-10"),  # before the time line starts: counted in its first quarter
        approved_on=d("2021-08-01"),
        grant=decimal.Decimal("300000"),
        eligible_cost=decimal.Decimal("400000"),
        public_finances=True,
    )
    p[7] = project("P7", S.REJECTED, w1, None, I.OTHER)
    p[8] = project("P8", S.DEFERRED, w2, lds, I.STARK)
    p[9] = project(
        "P9 (nicht öffentlich)",
        S.APPROVED,
        w1,
        cottbus,
        public=False,
        confirmed_on=d("2021-06-01"),
        approved_on=d("2022-03-01"),
        grant=decimal.Decimal("1000000"),
        eligible_cost=decimal.Decimal("2000000"),
        public_finances=True,  # without the project being public, the money is not public either
    )
    p[10] = project("P10 (nicht öffentlich)", S.IDEA, None, None, public=False)
    MilestoneFactory(project=p[4], kind=MilestoneKind.GROUND_BREAKING, planned_date=None, actual_date=d("2022-05-01"))
    MilestoneFactory(project=p[4], kind=MilestoneKind.OPENING, planned_date=d("2025-06-01"))
    MilestoneFactory(
        project=p[6], kind=MilestoneKind.COMMISSIONING, planned_date=d("2023-01-01"), actual_date=d("2023-03-01")
    )
    # Planned for 2022, happened in 2023: counts in 2023.
    MilestoneFactory(
        project=p[6], kind=MilestoneKind.TOPPING_OUT, planned_date=d("2022-09-01"), actual_date=d("2023-01-15")
    )
    MilestoneFactory(project=p[9], kind=MilestoneKind.OPENING, planned_date=None, actual_date=d("2022-01-01"))
    return p


ANONYMOUS = AnonymousUser()


# --- the figures, by hand -----------------------------------------------------------------------


def test_funnel_counts_reached_at_least_by_pipeline_order_and_side_exits_apart(portfolio):
    funnel = statistics.state_funnel(ANONYMOUS)
    current = {stage.state: stage.current for stage in funnel.stages}
    reached = {stage.state: stage.reached for stage in funnel.stages}
    assert [stage.state for stage in funnel.stages] == list(PIPELINE_ORDER)
    assert current == {
        **dict.fromkeys(PIPELINE_ORDER, 0),
        S.IDEA: 1,
        S.QUALIFICATION: 1,
        S.CONFIRMED: 1,
        S.APPROVED: 1,
        S.IMPLEMENTATION: 1,
        S.COMPLETED: 1,
    }
    assert reached == {
        S.IDEA: 6,
        S.SUBMITTED: 5,
        S.QUALIFICATION: 5,
        S.PRESENTED: 4,
        S.RECOMMENDED: 4,
        S.FORWARDED: 4,
        S.CONFIRMED: 4,
        S.APPLIED: 3,
        S.APPROVED: 3,
        S.IMPLEMENTATION: 2,
        S.COMPLETED: 1,
    }
    assert {side.state: side.count for side in funnel.exits} == {S.DEFERRED: 1, S.WITHDRAWN: 0, S.REJECTED: 1}
    assert funnel.on_main_line == 6 and funnel.total == 8
    # Never widening: every stage has at most as many projects as the one before.
    assert all(a.reached >= b.reached for a, b in zip(funnel.stages, funnel.stages[1:], strict=False))


def test_office_counts_the_non_public_projects_too(portfolio, office_user):
    funnel = statistics.state_funnel(office_user)
    assert funnel.total == 10
    assert {s.state: s.current for s in funnel.stages}[S.IDEA] == 2
    workshops = {row.label: row.count for row in statistics.projects_per_workshop(office_user)}
    assert workshops == {"Werkstatt 1": 5, "Werkstatt 2": 4, "ohne federführende Werkstatt": 1}


def test_projects_per_workshop_district_and_instrument(portfolio):
    workshops = statistics.projects_per_workshop(ANONYMOUS)
    assert [(row.key, row.label, row.count, row.detail) for row in workshops] == [
        ("1", "Werkstatt 1", 4, "Wirtschaft, Arbeit und Fachkräfte"),
        ("2", "Werkstatt 2", 4, "Innovation und Digitalisierung"),
    ]
    districts = statistics.projects_per_district(ANONYMOUS)
    assert [(row.ags, row.projects) for row in districts.rows] == [
        ("12052", 3),  # Cottbus: P1, P3, P4 (P9 is not public)
        ("12061", 1),  # Dahme-Spreewald: P8
        ("12062", 2),  # Elbe-Elster: P2, P5
        ("12066", 0),
        ("12071", 1),  # Spree-Neiße: P6
        ("", 1),  # P7
    ]
    assert districts.rows[-1].name == "ohne Landkreis"
    instruments = {row.key: row.count for row in statistics.projects_per_instrument(ANONYMOUS)}
    assert instruments == {"invkg_arm1": 4, "stark": 2, "invkg_arm2": 0, "jtf": 1, "other": 1}


def test_grants_per_inhabitant_count_only_published_money_divided_by_the_population(portfolio):
    districts = statistics.projects_per_district(ANONYMOUS)
    by_ags = {row.ags: row for row in districts.rows}
    cottbus = by_ags["12052"]
    # Only P4: P9's million is not public.
    assert cottbus.grant_sum == decimal.Decimal("100000") and cottbus.grant_projects == 1
    assert cottbus.population == 100219 and cottbus.population_date == d("2018-12-31")
    assert cottbus.per_inhabitant == decimal.Decimal("1.00")  # 100000 / 100219 = 0.9978…
    assert by_ags["12071"].per_inhabitant == decimal.Decimal("2.62")  # 300000 / 114429 = 2.6217…
    assert by_ags["12062"].grant_sum == 0 and by_ags["12062"].per_inhabitant == decimal.Decimal("0.00")  # P5 hidden
    assert districts.total.population == 596829
    assert districts.total.grant_sum == decimal.Decimal("400000")
    assert districts.total.per_inhabitant == decimal.Decimal("0.67")  # 400000 / 596829 = 0.6702…
    assert districts.population_dates == [d("2018-12-31")]


def test_the_office_sees_every_grant_per_inhabitant(portfolio, office_user):
    by_ags = {row.ags: row for row in statistics.projects_per_district(office_user).rows}
    assert by_ags["12052"].grant_sum == decimal.Decimal("1100000")
    assert by_ags["12052"].per_inhabitant == decimal.Decimal("10.98")  # 1100000 / 100219 = 10.976…
    assert by_ags["12062"].per_inhabitant == decimal.Decimal("0.49")  # 50000 / 102638 = 0.487…


def test_finances_filter_agrees_with_the_rule_for_every_project(portfolio, office_user, speaker_w4):
    from werkstatt.accounts import rules

    for user in (ANONYMOUS, office_user, speaker_w4):
        in_sql = set(projects_visible_to(user).filter(project_finances_visible_q(user)).values_list("pk", flat=True))
        by_rule = {p.pk for p in projects_visible_to(user) if rules.can_view_project_finances(user, p)}
        assert in_sql == by_rule, user


def test_population_date_changed_by_an_operator_is_the_one_used(portfolio):
    District.objects.filter(ags="12052").update(population=98000, population_date=d("2023-12-31"))
    districts = statistics.projects_per_district(ANONYMOUS)
    assert {row.ags: row.per_inhabitant for row in districts.rows}["12052"] == decimal.Decimal("1.02")
    assert districts.population_dates == [d("2018-12-31"), d("2023-12-31")]
    assert districts.total.population_date is None  # mixed dates: the table names each
    figure = facts.grants_figure(ANONYMOUS)
    assert "31.12.2018, 31.12.2023" in figure.table.caption


def test_milestones_per_year_by_kind_actual_date_first(portfolio):
    result = statistics.milestones_per_year(ANONYMOUS)
    table = {year.year: ({k: n for k, n in year.counts.items() if n}, year.done) for year in result.years}
    assert table == {
        2022: ({MilestoneKind.GROUND_BREAKING: 1}, 1),
        2023: ({MilestoneKind.COMMISSIONING: 1, MilestoneKind.TOPPING_OUT: 1}, 2),
        2024: ({}, 0),
        2025: ({MilestoneKind.OPENING: 1}, 0),
    }
    assert [kind for kind, _label in result.kinds] == list(MilestoneKind.values)


def test_confirmations_per_quarter_cumulative_from_march_2021(portfolio):
    quarters = statistics.confirmations_per_quarter(ANONYMOUS, today=d("2023-05-01"))
    assert [(q.label, q.confirmed, q.cumulative) for q in quarters] == [
        ("1. Quartal 2021", 2, 2),  # P3 and, from before, P6
        ("2. Quartal 2021", 1, 3),  # P4 (P9 is not public)
        ("3. Quartal 2021", 0, 3),
        ("4. Quartal 2021", 0, 3),
        ("1. Quartal 2022", 0, 3),
        ("2. Quartal 2022", 0, 3),
        ("3. Quartal 2022", 0, 3),
        ("4. Quartal 2022", 1, 4),  # P5
        ("1. Quartal 2023", 0, 4),
        ("2. Quartal 2023", 0, 4),
    ]
    assert quarters[0].last_day == d("2021-03-31") and quarters[1].last_day == d("2021-06-30")


# --- the page -----------------------------------------------------------------------------------


def _page(client: Client | None = None):
    response = (client or Client()).get(FACTS)
    assert response.status_code == 200
    return response.content.decode(), lxml_html.fromstring(response.content)


def _table(doc, key: str) -> list[list[str]]:
    table = doc.xpath(f'//table[@data-figure="{key}"]')[0]
    return [[cell.text_content().strip() for cell in row.xpath("./th|./td")] for row in table.xpath(".//tr")]


def test_page_shows_every_figure_as_german_table_with_caption_and_headers(portfolio):
    page, doc = _page()
    text = visible_text(page)
    assert doc.xpath("//h1")[0].text_content() == "Zahlen und Fakten"
    for key in facts.FIGURES:
        table = doc.xpath(f'//table[@data-figure="{key}"]')[0]
        assert table.xpath("./caption")[0].text_content().strip()
        assert table.xpath(".//thead//th[@scope='col']")
        assert all(row.xpath("./th[@scope='row']") for row in table.xpath("./tbody/tr"))
    funnel = _table(doc, "projektstand")
    assert funnel[0] == ["Stufe", "Art", "derzeit in dieser Stufe", "mindestens bis hier gelangt", "Anteil (%)"]
    assert funnel[1] == ["Projektidee", "Hauptstrecke", "1", "6", "100,0 %"]
    assert funnel[4] == ["in der federführenden Werkstatt vorgestellt", "Hauptstrecke", "0", "4", "66,7 %"]
    assert ["abgelehnt", "Seitenausgang", "1", "–", "–"] in funnel
    grants = _table(doc, "zuwendungen-je-einwohner")
    assert ["Cottbus/Chóśebuz", "100.219", "31.12.2018", "1", "100.000 €", "1,00 €"] in grants
    assert [
        "Lausitz (alle Landkreise mit Einwohnerzahl)",
        "596.829",
        "31.12.2018",
        "2",
        "400.000 €",
        "0,67 €",
    ] in grants
    assert "Stand 31.12.2018" in text
    assert "Ein Meilenstein zählt in dem Jahr, in dem er stattgefunden hat" in text
    assert "mindestens erreicht" in text and "Zurückgestellte, zurückgezogene und abgelehnte Projekte" in text
    assert "P9" not in page and "1.000.000" not in page and "1.100.000" not in page
    assert "Sie sind angemeldet" not in text
    assert "<script" not in page.split("</head>")[1] and "style=" not in page


def test_every_chart_is_a_named_described_svg_with_the_numbers_of_its_table(portfolio):
    _html, doc = _page()
    svgs = doc.xpath("//svg")
    assert len(svgs) == 8  # the funnel has a second chart for the side exits
    for svg in svgs:
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.xpath("./title")[0].get("id") == title_id and svg.xpath("./title")[0].text.strip()
        assert svg.xpath("./desc")[0].get("id") == desc_id and svg.xpath("./desc")[0].text.strip()

    def values(chart_id: str) -> list[str]:
        svg = doc.xpath(f'//svg[.//title[@id="{chart_id}-title"]]')[0]
        return [t.text for t in svg.xpath(".//*[contains(@class, 'chart__value')]")]

    funnel = _table(doc, "projektstand")[1:]
    assert values("chart-projektstand") == [row[3] for row in funnel if row[1] == "Hauptstrecke"]
    assert values("chart-seitenausgaenge") == [row[2] for row in funnel if row[1] == "Seitenausgang"]
    for key in ("werkstaetten", "landkreise", "foerderinstrumente"):
        rows = _table(doc, key)
        column = rows[0].index("Projekte")
        assert values(f"chart-{key}") == [row[column] for row in rows[1:-1]], key  # without the total
    grants = _table(doc, "zuwendungen-je-einwohner")[1:]
    assert values("chart-zuwendungen-je-einwohner") == [row[5] for row in grants if row[5] != "–"]
    assert values("chart-zuwendungen-je-einwohner") == ["1,00 €", "0,00 €", "0,00 €", "0,00 €", "2,62 €", "0,67 €"]
    milestones = _table(doc, "meilensteine")
    total = milestones[0].index("Insgesamt")
    assert values("chart-meilensteine") == [row[total] for row in milestones[1:-1]] == ["1", "2", "0", "1"]
    segments = doc.xpath('//svg[.//title[@id="chart-meilensteine-title"]]//*[@data-value]')
    # Zero segments are not drawn; each drawn one carries its kind and count.
    assert sorted((s.get("data-series"), s.get("data-value")) for s in segments) == sorted(
        [("Spatenstich", "1"), ("Richtfest", "1"), ("Inbetriebnahme", "1"), ("Eröffnung", "1")]
    )
    confirmations = _table(doc, "imag-bestaetigungen")[1:]
    assert values("chart-imag-bestaetigungen") == [row[3] for row in confirmations]


def test_chart_colours_are_kern_palette_values_with_enough_contrast():
    """Every fill of the charts is a KERN variable whose value keeps 3:1 against white and black; text uses
    KERN's text colour."""
    import math

    kern = (ROOT / "node_modules" / "@kern-ux" / "native" / "dist" / "kern.css").read_text(encoding="utf-8")
    css = (ROOT / "werkstatt" / "portal" / "static" / "portal" / "facts.css").read_text(encoding="utf-8")

    def luminance(name: str) -> float:
        match = re.search(rf"--kern-color-{name}:\s*oklch\(([\d.]+)%\s+([\d.]+)\s+([\d.]+)\)", kern)
        assert match, name
        lightness, chroma, hue = float(match[1]) / 100, float(match[2]), math.radians(float(match[3]))
        a, b = chroma * math.cos(hue), chroma * math.sin(hue)
        l_ = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3
        m_ = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3
        s_ = (lightness - 0.0894841775 * a - 1.2914855480 * b) ** 3
        red = 4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_
        green = -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_
        blue = -0.0041960863 * l_ - 0.7034186147 * m_ + 1.7076147010 * s_
        red, green, blue = (min(max(x, 0.0), 1.0) for x in (red, green, blue))
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    fills = re.findall(r"\.chart__series--\d \{ fill: var\(--kern-color-([a-z]+-\d{3})\); \}", css)
    assert len(fills) == 6 and len(set(fills)) == 6
    for name in fills:
        y = luminance(name)
        assert (1.05) / (y + 0.05) >= 3, name  # against white
        assert (y + 0.05) / 0.05 >= 3, name  # against black (dark mode)
    assert ".chart__text { fill: var(--kern-color-layout-text-default" in css
    assert (1.05) / (luminance("neutral-950") + 0.05) >= 4.5


def test_logged_in_office_user_is_told_the_figures_include_what_only_they_see(portfolio, office_user):
    client = Client()
    client.force_login(office_user)
    page, doc = _page(client)
    text = visible_text(page)
    assert "Sie sind angemeldet" in text and "auch nicht öffentliche Projekte" in text
    funnel = _table(doc, "projektstand")
    assert funnel[1][:4] == ["Projektidee", "Hauptstrecke", "2", "8"]
    assert ["Cottbus/Chóśebuz", "100.219", "31.12.2018", "2", "1.100.000 €", "10,98 €"] in _table(
        doc, "zuwendungen-je-einwohner"
    )


def test_empty_register_renders_every_figure_with_zeros_and_a_note(db):
    page, doc = _page()
    text = visible_text(page)
    assert "Noch nichts zu zählen" in text
    assert not doc.xpath("//svg")
    funnel = _table(doc, "projektstand")
    assert funnel[1] == ["Projektidee", "Hauptstrecke", "0", "0", "–"]
    assert _table(doc, "meilensteine")[1] == ["Noch keine Angaben."]
    assert _table(doc, "imag-bestaetigungen")[1][:4] == ["1. Quartal 2021", "31.03.2021", "0", "0"]
    for key in facts.FIGURES:
        response = Client().get(reverse("portal:facts-csv", args=[key]))
        assert response.status_code == 200, key


def test_unknown_query_parameters_are_ignored(portfolio):
    plain, _doc = _page()
    response = Client().get(FACTS, {"stand": "approved", "seite": "x", "figur": "<b>"})
    assert response.status_code == 200
    assert response.content.decode() == plain


def test_main_navigation_links_the_page(portfolio):
    _html, doc = _page()
    link = doc.xpath('//nav[@aria-label="Hauptnavigation"]//a[text()="Zahlen und Fakten"]')[0]
    assert link.get("href") == FACTS and link.get("aria-current") == "page"
    home = Client().get("/").content.decode()
    assert f'href="{FACTS}">Zahlen und Fakten</a>' in home


# --- CSV ----------------------------------------------------------------------------------------


def _csv(key: str, client: Client | None = None) -> list[list[str]]:
    response = (client or Client()).get(reverse("portal:facts-csv", args=[key]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="zahlen-und-fakten-{key}.csv"'
    assert "private" in response["Cache-Control"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff") and "\r\n" in body
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def _value(cell: str) -> object:
    """A cell of the page or of the CSV as a value: German numbers (``1.234,50 €``, ``12,3 %``, ``100000,00``)
    as Decimal, "–" and "" as None, text as text."""
    if cell in ("–", ""):
        return None
    if re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d+)?( €| %)?|\d+(,\d+)?", cell):
        return decimal.Decimal(cell.removesuffix(" €").removesuffix(" %").replace(".", "").replace(",", "."))
    return cell


@pytest.mark.parametrize("key", list(facts.FIGURES))
def test_csv_has_the_rows_of_the_table_on_the_page(portfolio, key):
    _html, doc = _page()
    table = _table(doc, key)
    rows = _csv(key)
    assert rows[0] == table[0]
    assert [[_value(cell) for cell in row] for row in rows[1:]] == [[_value(cell) for cell in row] for row in table[1:]]
    assert len(rows) > 2


def test_csv_values_are_excel_numbers_and_german_dates(portfolio):
    rows = _csv("zuwendungen-je-einwohner")
    assert rows[1] == ["Cottbus/Chóśebuz", "100219", "31.12.2018", "1", "100000,00", "1,00"]
    funnel = _csv("projektstand")
    assert funnel[5] == ["zur Weiterleitung empfohlen", "Hauptstrecke", "0", "4", "66,7"]


def test_csv_of_an_unknown_figure_is_a_german_404(portfolio):
    response = Client().get("/zahlen-und-fakten/gibt-es-nicht.csv")
    assert response.status_code == 404
    text = visible_text(response.content.decode())
    assert "Eine Auswertung „gibt-es-nicht“ gibt es auf der Seite „Zahlen und Fakten“ nicht." in text
    assert "projektstand.csv" in text
    response = Client().get("/zahlen-und-fakten/%3Cscript%3E.csv")
    assert response.status_code == 404 and "<script>" not in response.content.decode()
    assert Client().post(reverse("portal:facts-csv", args=["projektstand"])).status_code == 405


def test_catalogue_lists_a_csv_for_every_figure(portfolio):
    keys = [entry.args[0] for entry in catalogue.ENTRIES if entry.url_name == "portal:facts-csv"]
    assert keys == list(facts.FIGURES)
    page = Client().get(reverse("portal:open-data")).content.decode()
    assert "Zahlen und Fakten" in page and "http://testserver/zahlen-und-fakten/projektstand.csv" in page


# --- cost -----------------------------------------------------------------------------------------


def _grow(body) -> None:
    """Forty more projects in new workshops, with milestones and confirmations across years."""
    districts = list(District.objects.all())
    for n in range(40):
        workshop = WorkshopFactory(body=body, number=10 + n)
        project = ProjectFactory(
            body=body,
            lead_workshop=workshop,
            district=districts[n % len(districts)],
            state=PIPELINE_ORDER[n % len(PIPELINE_ORDER)],
            instrument=FundingInstrument.values[n % len(FundingInstrument.values)],
            confirmed_on=d("2021-01-01") + dt.timedelta(days=40 * n),
            public=n % 3 != 0,
        )
        MilestoneFactory(
            project=project,
            kind=MilestoneKind.values[n % 6],
            title=f"Meilenstein {n}",
            planned_date=d(f"{2020 + n % 8}-06-01"),
        )


@pytest.mark.parametrize("persona", ["anonymous", "office_user", "speaker_w4"])
def test_page_and_csv_cost_the_same_queries_for_10_and_for_50_projects(request, portfolio, body, persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    small = count_queries(client, FACTS)
    small_csv = count_queries(client, reverse("portal:facts-csv", args=["zuwendungen-je-einwohner"]))
    _grow(body)
    assert Project.objects.count() == 50
    assert count_queries(client, FACTS) == small
    assert count_queries(client, reverse("portal:facts-csv", args=["zuwendungen-je-einwohner"])) == small_csv
    if persona == "anonymous":
        assert (small, small_csv) == (8, 2)  # one query per figure, the district one shared; list + grouping
    else:
        assert small <= 11, small  # plus session, user and the user's workshop roles


def test_statistics_group_in_the_database(portfolio):
    """One query per figure (two where the workshop or district list is read), whatever the data."""
    expected = {
        statistics.state_funnel: 1,
        statistics.projects_per_workshop: 2,
        statistics.projects_per_instrument: 1,
        statistics.projects_per_district: 2,
        statistics.milestones_per_year: 1,
        statistics.confirmations_per_quarter: 1,
    }
    for function, queries in expected.items():
        with CaptureQueriesContext(connection) as ctx:
            function(ANONYMOUS)
        assert len(ctx.captured_queries) == queries, function.__name__
        assert any("GROUP BY" in q["sql"] for q in ctx.captured_queries), function.__name__


# --- population in the reference data ----------------------------------------------------------


def test_population_is_loaded_with_its_date_and_an_operators_newer_figure_is_kept(db):
    geo_reference_data_load()
    population = dict(District.objects.values_list("ags", "population"))
    assert population == {"12052": 100219, "12061": 169067, "12062": 102638, "12066": 110476, "12071": 114429}
    assert sum(population.values()) == 596829  # the region's total on the source page
    assert set(District.objects.values_list("population_date", flat=True)) == {d("2018-12-31")}
    history = District.history.count()
    geo_reference_data_load()
    assert District.history.count() == history  # nothing changed, nothing saved
    District.objects.filter(ags="12062").update(population=99000, population_date=d("2023-12-31"))
    geo_reference_data_load()
    assert District.objects.filter(ags="12062").values_list("population", "population_date").get() == (
        99000,
        d("2023-12-31"),
    )
    District.objects.filter(ags="12066").update(population=None, population_date=None)
    geo_reference_data_load()
    assert District.objects.get(ags="12066").population == 110476


def test_population_source_is_documented_beside_the_bkg_attribution():
    source = (ROOT / "werkstatt" / "geo" / "data" / "SOURCE.md").read_text(encoding="utf-8")
    assert "© GeoBasis-DE / BKG (2021), Daten verändert" in source
    assert "https://region-lausitz-spreewald.de/de/region.html" in source
    assert "Amt für Statistik Berlin-Brandenburg" in source
    docs = (ROOT / "docs" / "facts.md").read_text(encoding="utf-8")
    assert "31.12.2018" in docs and "facts.md" in (ROOT / "docs" / "open-data.md").read_text(encoding="utf-8")


def test_today_is_the_last_quarter_of_the_time_line(portfolio):
    quarters = statistics.confirmations_per_quarter(ANONYMOUS)
    today = timezone.localdate()
    assert (quarters[-1].year, quarters[-1].quarter) == (today.year, (today.month - 1) // 3 + 1)
