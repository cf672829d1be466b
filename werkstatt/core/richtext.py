"""Rich text of results and news: a small safe subset of HTML, normalised to real lists.

Minutes written in Word and exported to HTML often carry bullets as text ("•") inside a
list element without list items; they become proper ``<ul><li>`` lists here, so the
public page, the PDF and the API all see the same structure.
"""

import re
import unicodedata
from html.parser import HTMLParser

import nh3
from django.utils.translation import gettext

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
_BULLET = "\u2022"
_LIST_RE = re.compile(r"<ul\b[^>]*>(?P<body>.*?)(?:</ul>|$)", re.IGNORECASE | re.DOTALL)
# Whitespace beside a block tag is layout; between inline elements ("<b>a</b> <i>b</i>") it is a real space.
_BLOCK_SPACE_RE = re.compile(r"\s*(</?(?:p|ul|ol|li|h3|h4|blockquote|br)\b[^>]*>)\s*", re.IGNORECASE)
_MAX_PASSES = 5


def _bullets_to_items(match: re.Match[str]) -> str:
    body = match.group("body")
    if re.search(r"<li\b", body, re.IGNORECASE) or _BULLET not in body:
        return match.group(0) if match.group(0).lower().endswith("</ul>") else match.group(0) + "</ul>"
    parts = [part.strip() for part in body.split(_BULLET)]
    items = "".join(f"<li>{part}</li>" for part in parts if part)
    return f"<ul>{items}</ul>"


def _clean_once(value: str) -> str:
    value = unicodedata.normalize("NFC", value).strip()
    value = _LIST_RE.sub(_bullets_to_items, value)
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    cleaned = _BLOCK_SPACE_RE.sub(r"\1", cleaned)
    return re.sub(r"\s{2,}", " ", cleaned).strip()


def sanitise_html(value: str) -> str:
    """Return a safe, normalised HTML fragment: scripts, event handlers and styles removed."""
    cleaned = _clean_once(value or "")
    # One pass is not always stable: nh3 decodes entities ("&#8226;" becomes a bullet inside a list,
    # "&#8123;" a character that is not NFC) and drops tags that changed how the rest parses
    # ("<li><table><li>"). Clean again until nothing changes.
    for _ in range(_MAX_PASSES):
        again = _clean_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def html_to_lines(value: str) -> list[str]:
    """The visible text of a fragment, one line per block or list item (for tests and search)."""
    text = re.sub(r"</(p|li|h3|h4|blockquote)>|<br\s*/?>", "\n", value or "", flags=re.IGNORECASE)
    text = re.sub(r"<[^>]+>", "", text)
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- telling the writer what the sanitiser removed -------------------------------------------------

_DANGEROUS_TAGS = frozenset({"script", "style", "iframe", "object", "embed", "frame", "frameset", "svg", "math"})
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f]+")
# What nh3 itself adds to links (rel) comes back when a stored text is edited again: not a removal.
_KEPT_ATTRIBUTES = {tag: {*names, "rel"} for tag, names in ALLOWED_ATTRIBUTES.items()}


class _MarkupAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DANGEROUS_TAGS:
            self.found.add("script")
        elif tag not in ALLOWED_TAGS:
            self.found.add("format")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.add("event")
            elif tag == "a" and name == "href":
                match = _SCHEME_RE.match(_INVISIBLE_RE.sub("", value or "").lower())
                if match and match.group(1) not in ALLOWED_URL_SCHEMES:
                    self.found.add("link")
            elif name not in _KEPT_ATTRIBUTES.get(tag, set()):
                self.found.add("format")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def removed_markup(value: str) -> list[str]:
    """What ``sanitise_html`` takes out of ``value``, in German words, most dangerous first (empty if nothing).

    For the message a writer sees next to the saved text ("Skripte wurden entfernt ...").
    """
    audit = _MarkupAudit()
    audit.feed(value or "")
    audit.close()
    labels = {
        "script": gettext("Skripte"),
        "event": gettext("Ereignis-Attribute wie onclick"),
        "link": gettext("Links mit unsicherem Ziel wie javascript:"),
        "format": gettext("nicht erlaubte Formatierungen"),
    }
    return [label for key, label in labels.items() if key in audit.found]
