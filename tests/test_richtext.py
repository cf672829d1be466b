"""Rich text sanitising, Lower Sorbian mark-up and German date formats."""

import datetime as dt
import unicodedata
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from django.utils.safestring import SafeString
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from werkstatt.core.bilingual import bilingual_name, mark_lower_sorbian, mark_lower_sorbian_html
from werkstatt.core.dates import format_date, format_date_time_range, format_datetime, format_time
from werkstatt.core.richtext import ALLOWED_TAGS, html_to_lines, sanitise_html

UTC = dt.UTC
SEED_RESULT_8 = '<ul style="list-style-type: none"> • Herr Guntermann gibt einen Ausblick auf die nächsten Termine.'
SAFE_SCHEMES = ("http://", "https://", "mailto:")


class _Markup(HTMLParser):
    """Collects tags, attributes and visible text the way a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(fragment: str) -> _Markup:
    parser = _Markup()
    parser.feed(fragment)
    parser.close()
    return parser


# --- examples ---------------------------------------------------------------------------------------------


def test_bullets_inside_a_bare_list_become_list_items():
    assert sanitise_html('<ul style="list-style-type: none"> • a • b') == "<ul><li>a</li><li>b</li></ul>"


def test_seed_result_becomes_a_one_item_list():
    assert sanitise_html(SEED_RESULT_8) == (
        "<ul><li>Herr Guntermann gibt einen Ausblick auf die nächsten Termine.</li></ul>"
    )


def test_several_bullet_lists_in_one_fragment_are_each_converted():
    assert sanitise_html("<ul> • a</ul><p>danach</p><ul> • c • d </ul>") == (
        "<ul><li>a</li></ul><p>danach</p><ul><li>c</li><li>d</li></ul>"
    )


def test_proper_lists_are_kept():
    assert sanitise_html("<ul><li>a</li><li>b</li></ul>") == "<ul><li>a</li><li>b</li></ul>"
    assert sanitise_html("<ol><li>eins</li><li>zwei</li></ol>") == "<ol><li>eins</li><li>zwei</li></ol>"


def test_a_bullet_outside_a_list_is_just_text():
    assert sanitise_html("<p>a • b</p>") == "<p>a • b</p>"


def test_script_and_style_elements_are_removed_with_their_content():
    assert sanitise_html("<p>Text</p><script>alert(1)</script><style>p { color: red }</style>") == "<p>Text</p>"


def test_style_and_event_handler_attributes_are_removed():
    assert sanitise_html('<p style="color:red" onclick="alert(1)" onmouseover="x()">Text</p>') == "<p>Text</p>"


def test_elements_outside_the_allowed_subset_are_dropped():
    assert sanitise_html('<img src="x" onerror="alert(1)"><iframe src="x"></iframe><svg onload="x()"></svg>ok') == "ok"


def test_javascript_urls_are_removed_in_any_spelling():
    for href in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java&#x09;script:alert(1)"):
        assert sanitise_html(f'<a href="{href}">Link</a>') == '<a rel="noopener noreferrer">Link</a>'


def test_safe_links_are_kept_and_get_rel_noopener():
    assert sanitise_html('<a href="https://example.org/" title="Quelle">Mehr</a>') == (
        '<a href="https://example.org/" title="Quelle" rel="noopener noreferrer">Mehr</a>'
    )
    assert sanitise_html('<a href="mailto:info@example.org">Mail</a>') == (
        '<a href="mailto:info@example.org" rel="noopener noreferrer">Mail</a>'
    )


def test_layout_whitespace_between_blocks_is_removed():
    assert sanitise_html("<p>a</p>\n\n  <p>b</p>") == "<p>a</p><p>b</p>"


def test_space_between_inline_elements_is_kept():
    """``<b>Sven Guntermann</b> <i>Werkstattsprecher</i>`` must not read "GuntermannWerkstattsprecher"."""
    assert sanitise_html("<p><b>Sven Guntermann</b> <i>Werkstattsprecher</i></p>") == (
        "<p><b>Sven Guntermann</b> <i>Werkstattsprecher</i></p>"
    )


def test_output_is_nfc():
    assert sanitise_html(unicodedata.normalize("NFD", "<p>Cottbus/Chóśebuz</p>")) == "<p>Cottbus/Chóśebuz</p>"


def test_empty_input_gives_empty_output():
    assert sanitise_html("") == ""
    assert sanitise_html("   \n ") == ""


def test_html_to_lines_gives_one_line_per_item():
    assert html_to_lines("<p>Titel</p><ul><li>a</li><li>b</li></ul>") == ["Titel", "a", "b"]


# --- properties -------------------------------------------------------------------------------------------

# Pieces of what arrives from Word exports, old minutes and hostile forms.
HTML_PIECES = [
    "<ul>", "</ul>", '<ul style="list-style-type: none">', "<ol>", "</ol>", "<li>", "</li>", "<p>", "</p>",
    "<b>", "</b>", "<i>", "</i>", "<br>", "<h3>", "</h3>", "<blockquote>", "<table>", "<tr>", "<td>", "<select>",
    "<script>", "</script>", "<style>", "</style>", "<img src=x onerror=alert(1)>", '<p onclick="alert(1)">',
    '<a href="javascript:alert(1)">', '<a href="JAVASCRIPT:x">', '<a href="https://example.org/" title="t">',
    '<a title="', '" onmouseover="x()">', "</a>", "<!--", "-->", "<", ">", '"', "'", "=",
    "•", "&#8226;", "&bull;", "&amp;", "&lt;", "&#8123;", "&nbsp;", "\u00a0", " ", "  ", "\n", "\t",
    "Cottbus/Chóśebuz", "e\u0301", "Werkstatt", "on", "javascript:",
]  # fmt: skip
html_like = st.lists(st.one_of(st.sampled_from(HTML_PIECES), st.text(max_size=4)), max_size=20).map("".join)
anything = st.one_of(st.text(), html_like)
property_settings = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@property_settings
@given(anything)
def test_sanitised_output_has_no_script_no_event_handler_and_no_javascript_url(value):
    """Only the allowed tags and attributes survive; "javascript:" as visible text is harmless, so URLs are checked."""
    cleaned = sanitise_html(value)

    assert "<script" not in cleaned.lower()
    for tag, attrs in parse(cleaned).tags:
        assert tag in ALLOWED_TAGS
        for name, attr_value in attrs:
            assert not name.startswith("on"), cleaned
            assert (tag, name) in {("a", "href"), ("a", "title"), ("a", "rel")}, cleaned
            if name == "href":
                assert (attr_value or "").startswith(SAFE_SCHEMES), cleaned
                assert "javascript:" not in (attr_value or "").lower()


@property_settings
@given(anything)
@example("<ul>&#8226; a")  # an entity that nh3 decodes into a bullet inside a list
@example("&#8123;")  # an entity that decodes to a character whose NFC form differs
@example("<li><table><li>")  # dropping the table changes how the rest parses
def test_sanitising_is_idempotent(value):
    once = sanitise_html(value)

    assert sanitise_html(once) == once


WORD = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=8).map(
    lambda w: unicodedata.normalize("NFC", w)
)


@property_settings
@given(st.lists(st.tuples(WORD, st.sampled_from(["", "b", "i", "em", "strong"])), min_size=1, max_size=8))
def test_visible_words_survive_sanitising(words):
    """Words and the spaces between them stay, whether or not they are bold or italic."""
    value = " ".join(f"<{tag}>{word}</{tag}>" if tag else word for word, tag in words)

    visible = "".join(parse(sanitise_html(f"<p>{value}</p>")).text)

    assert visible.split() == [word for word, _ in words]


# --- Lower Sorbian names ------------------------------------------------------------------------------------


def test_sorbian_part_of_cottbus_is_marked_as_lower_sorbian():
    marked = mark_lower_sorbian("Stadtverwaltung Cottbus/Chóśebuz")

    assert marked == 'Stadtverwaltung Cottbus/<span lang="dsb">Chóśebuz</span>'
    assert isinstance(marked, SafeString)


def test_mark_lower_sorbian_escapes_html_in_the_input():
    marked = mark_lower_sorbian('<script>x()</script> "Cottbus/Chóśebuz" & Co')

    assert marked == ('&lt;script&gt;x()&lt;/script&gt; &quot;Cottbus/<span lang="dsb">Chóśebuz</span>&quot; &amp; Co')


def test_a_german_name_without_its_sorbian_form_is_left_alone():
    assert mark_lower_sorbian("Stadt Welzow") == "Stadt Welzow"


def test_spaced_pairs_are_marked_too():
    assert mark_lower_sorbian("Spremberg / Grodk") == 'Spremberg / <span lang="dsb">Grodk</span>'


def test_mark_lower_sorbian_html_keeps_the_sanitised_markup():
    assert mark_lower_sorbian_html("<ul><li>Stadtverwaltung Cottbus/Chóśebuz</li></ul>") == (
        '<ul><li>Stadtverwaltung Cottbus/<span lang="dsb">Chóśebuz</span></li></ul>'
    )


def test_bilingual_name_gives_the_official_pair_or_the_german_name():
    assert bilingual_name("Cottbus") == "Cottbus/Chóśebuz"
    assert bilingual_name("Spremberg") == "Spremberg/Grodk"
    assert bilingual_name("Herzberg (Elster)") == "Herzberg (Elster)"


# --- German dates -------------------------------------------------------------------------------------------


def test_date_is_written_day_month_year():
    assert format_date(dt.date(2024, 1, 24)) == "24.01.2024"


def test_time_and_date_time_carry_uhr():
    assert format_time(dt.time(14, 10)) == "14:10 Uhr"
    assert format_datetime(dt.datetime(2024, 1, 24, 14, 10)) == "24.01.2024, 14:10 Uhr"  # noqa: DTZ001


def test_session_range_is_written_as_in_the_minutes():
    assert format_date_time_range(dt.date(2024, 1, 24), dt.time(14, 10), dt.time(16, 30)) == (
        "24.01.2024, 14:10 Uhr \u2013 16:30 Uhr"
    )


def test_session_range_without_end_or_start():
    assert format_date_time_range(dt.date(2024, 1, 24), dt.time(14, 10), None) == "24.01.2024, 14:10 Uhr"
    assert format_date_time_range(dt.date(2024, 1, 24), None, None) == "24.01.2024"


def test_aware_datetime_in_winter_is_shown_in_berlin_time():
    assert format_datetime(dt.datetime(2024, 1, 24, 13, 10, tzinfo=UTC)) == "24.01.2024, 14:10 Uhr"


def test_aware_datetime_in_summer_is_shown_in_berlin_summer_time():
    assert format_datetime(dt.datetime(2024, 7, 10, 12, 10, tzinfo=UTC)) == "10.07.2024, 14:10 Uhr"


def test_aware_datetime_from_another_zone_is_converted_too():
    new_york = dt.datetime(2024, 1, 24, 8, 10, tzinfo=ZoneInfo("America/New_York"))

    assert format_datetime(new_york) == "24.01.2024, 14:10 Uhr"


def test_date_of_an_aware_datetime_is_the_berlin_date():
    assert format_date(dt.datetime(2023, 12, 31, 23, 30, tzinfo=UTC)) == "01.01.2024"


def test_missing_values_format_as_empty_text():
    assert format_date(None) == ""
    assert format_time(None) == ""
    assert format_datetime(None) == ""
