"""Plain-text normalisation shared by services, the demo loader and importers."""

import re
import unicodedata

# Misspellings and unofficial forms found in real minutes, mapped to the official form.
KNOWN_VARIANTS: dict[str, str] = {
    "Werkstattprecher": "Werkstattsprecher",
    "Werkstattprecherin": "Werkstattsprecherin",
    "Cottbus/Chósebus": "Cottbus/Chóśebuz",
    "Cottbus/Chosebuz": "Cottbus/Chóśebuz",
    "Cottbus/Chósebuz": "Cottbus/Chóśebuz",
}
_VARIANT_RE = re.compile("|".join(re.escape(k) for k in sorted(KNOWN_VARIANTS, key=len, reverse=True)))
_SPACE_RE = re.compile(r"[ \t\u00a0]+")


def normalise_text(value: str) -> str:
    """NFC, known variants corrected, runs of spaces folded, ends trimmed."""
    value = unicodedata.normalize("NFC", value or "")
    value = _VARIANT_RE.sub(lambda m: KNOWN_VARIANTS[m.group(0)], value)
    return _SPACE_RE.sub(" ", value).strip()


def fold_for_match(value: str) -> str:
    """A key for matching names: accents, case, punctuation and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("ß", "ss").replace("ł", "l").replace("Ł", "l")
    return re.sub(r"[^0-9a-z]+", " ", stripped.casefold()).strip()
