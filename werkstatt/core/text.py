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
    "Cottbus/Chosebus": "Cottbus/Chóśebuz",
    "Cottbus/Chóśebus": "Cottbus/Chóśebuz",
    # Windows-1252 has no "ś": exports in that encoding write a question mark.
    "Cottbus/Chó?ebuz": "Cottbus/Chóśebuz",
    "Werkstattspecher": "Werkstattsprecher",
    "Werkstattspecherin": "Werkstattsprecherin",
    "Herzberg/Elster": "Herzberg (Elster)",
    "Herzberg/ Elster": "Herzberg (Elster)",
}
_VARIANT_RE = re.compile("|".join(re.escape(k) for k in sorted(KNOWN_VARIANTS, key=len, reverse=True)))
_SPACE_RE = re.compile(r"[ \t\u00a0]+")


def normalise_text(value: str) -> str:
    """NFC, known variants corrected, runs of spaces folded, ends trimmed."""
    value = unicodedata.normalize("NFC", value or "")
    value = _VARIANT_RE.sub(lambda m: KNOWN_VARIANTS[m.group(0)], value)
    return _SPACE_RE.sub(" ", value).strip()
