"""Every line of both seed documents is visible on the public page it belongs to.

Lines are compared without whitespace and case, after the same normalisation the services
apply (NFC, known typos corrected), with the HTML fragments and "•" bullets of the minutes
export removed. A few lines of the workshop page are phrased by the page itself; for those
the data they carry is checked instead (see REPHRASED).
"""

import re
from pathlib import Path

import pytest

from tests.pages import demo_page_urls, visible_text
from werkstatt.core.text import normalise_text

SEEDS = Path(__file__).resolve().parent.parent / "werkstatt" / "demo" / "seeds"
WORKSHOP_PAGE_SEED = SEEDS / "000_93c4b2f4e53001e6.txt"
MINUTES_SEED = SEEDS / "003_bc30d92c6853b0cf.txt"

# The seed page writes the speaker sentence with a variant of the workshop title; the page
# states the role, name, qualification and organisation in its own sentence.
REPHRASED = {
    "Werkstattsprecher “Daseinsvorsorge, ländliche Entwicklung, “smart regions” ist Sven Guntermann, "
    "Diplom-Ingenieur, Lokale Aktionsgruppe Elbe-Elster.": "ist Sven Guntermann, Diplom-Ingenieur, "
    "Lokale Aktionsgruppe Elbe-Elster.",
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", normalise_text(text)).casefold()


def seed_lines(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"<[^>]+>", " ", raw).replace("•", " ")
        line = re.sub(r"\s+-$", "", line.strip())  # the scraped page separates news teasers with " -"
        if line and line != "-":
            lines.append(REPHRASED.get(line, line))
    return lines


@pytest.mark.parametrize(("seed", "page"), [(WORKSHOP_PAGE_SEED, "workshop-detail"), (MINUTES_SEED, "meeting-detail")])
def test_every_seed_line_is_visible_on_its_page(demo, client, seed, page):
    text = _squash(visible_text(client.get(demo_page_urls()[page]).content.decode()))
    lines = seed_lines(seed)
    assert len(lines) > 10
    missing = [line for line in lines if _squash(line) not in text]
    assert missing == []


def test_seed_copies_are_the_documents_the_product_was_made_from():
    """The copies keep the original typos: the normalisation, not the data, corrects them."""
    minutes = MINUTES_SEED.read_text(encoding="utf-8")
    assert "Werkstattprecher" in minutes
    assert "Chósebus" in minutes
    assert "Werkstatt 4" in WORKSHOP_PAGE_SEED.read_text(encoding="utf-8")


def test_seed_check_notices_a_missing_line(demo, client):
    """The comparison is strict enough to fail when one result line is missing."""
    text = _squash(visible_text(client.get(demo_page_urls()["meeting-detail"]).content.decode()))
    altered = "2024 stehen fünf Inbetriebnahmen und drei Grundsteinlegungen an."
    assert _squash(altered) not in text
