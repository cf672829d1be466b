"""Official German / Lower Sorbian (Wendish) place names of the settlement area.

The Lower Sorbian part is marked up with ``lang="dsb"`` wherever it is shown, so that
screen readers pronounce it correctly. Keys are the official German municipality names
as in the BKG data.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LOWER_SORBIAN_NAMES: dict[str, str] = {
    "Cottbus": "Chóśebuz",
    "Spremberg": "Grodk",
    "Peitz": "Picnjo",
    "Drebkau": "Drjowk",
    "Welzow": "Wjelcej",
    "Forst (Lausitz)": "Baršć (Łužyca)",
    "Guben": "Gubin",
    "Lübben (Spreewald)": "Lubin (Błota)",
    "Lübbenau/Spreewald": "Lubnjow/Błota",
    "Vetschau/Spreewald": "Wětošow/Błota",
    "Burg (Spreewald)": "Bórkowy (Błota)",
    "Kolkwitz": "Gołkojce",
}

_PAIR_RE = re.compile(
    "(?P<de>"
    + "|".join(re.escape(de) for de in sorted(LOWER_SORBIAN_NAMES, key=len, reverse=True))
    + r")(?P<sep>\s?/\s?)(?P<dsb>"
    + "|".join(re.escape(dsb) for dsb in sorted(set(LOWER_SORBIAN_NAMES.values()), key=len, reverse=True))
    + ")"
)


def bilingual_name(german: str) -> str:
    """The official bilingual form, e.g. ``Cottbus/Chóśebuz``; the German name where there is none."""
    sorbian = LOWER_SORBIAN_NAMES.get(german)
    return f"{german}/{sorbian}" if sorbian else german


def mark_lower_sorbian(text: str) -> SafeString:
    """Escape ``text`` and wrap the Sorbian half of every bilingual name in ``lang="dsb"``."""
    escaped = str(escape(text))
    return mark_safe(  # noqa: S308 - the input was escaped above; only our own span is added
        _PAIR_RE.sub(
            lambda m: f'{m.group("de")}{m.group("sep")}<span lang="dsb">{m.group("dsb")}</span>',
            escaped,
        )
    )


def mark_lower_sorbian_html(html: str) -> SafeString:
    """The same for an already sanitised HTML fragment (names never contain markup)."""
    return mark_safe(  # noqa: S308 - input is sanitised rich text
        _PAIR_RE.sub(
            lambda m: f'{m.group("de")}{m.group("sep")}<span lang="dsb">{m.group("dsb")}</span>',
            html,
        )
    )
