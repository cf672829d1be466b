"""HTML to tagged PDF with WeasyPrint: KERN's Fira Sans from disk, no network, fonts decoded once.

Imported only by the functions that make PDFs (``minutes.minutes_pdf``, ``minutes.agenda_pdf``):
WeasyPrint loads Pango through cffi at import time, and the rest of the site must not depend on it.
"""

from __future__ import annotations

from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from fontTools.ttLib import woff2
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# WeasyPrint 70 offers "pdf/ua-1" (PDF 1.7) and "pdf/ua-2" (PDF 2.0); UA-1 is what today's checkers
# (PAC, veraPDF) and readers handle best. The variant switches tagging on and sets DisplayDocTitle,
# MarkInfo and the PDF/UA identification in the XMP metadata.
PDF_VARIANT = "pdf/ua-1"
PRINT_CSS = Path(__file__).resolve().parent / "print" / "print.css"
# A file inside KERN UX's font folder; that folder is the base URL of the print stylesheet.
FONT_PROBE = "kern/fonts/fira-sans/FiraSans-Regular.woff2"


def static_file(name: str) -> Path:
    """A static file on disk: from the finders (app folders, node_modules) or, in production, STATIC_ROOT."""
    found = finders.find(name)
    if isinstance(found, list):
        found = found[0] if found else None
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        collected = Path(settings.STATIC_ROOT) / name
        if collected.is_file():
            return collected
    raise ImproperlyConfigured(
        f"Die Datei {name} fehlt: npm-Pakete installieren (npm ci) oder collectstatic ausführen."
    )


@cache
def _print_css() -> tuple[str, str]:
    """The print stylesheet and the ``file:`` URL of KERN's font folder its relative URLs point into."""
    fonts_folder = static_file(FONT_PROBE).parent.parent
    return PRINT_CSS.read_text(encoding="utf-8"), fonts_folder.as_uri() + "/"


@lru_cache(maxsize=16)
def _decoded_font(path: str, mtime_ns: int) -> bytes:
    """A WOFF2 font as plain TrueType: decoding costs about 0.2 s per face, so do it once per process."""
    out = BytesIO()
    with open(path, "rb") as source:
        woff2.decompress(source, out)
    return out.getvalue()


class LocalFetcher(URLFetcher):
    """Fetches ``file:`` and ``data:`` URLs only, and hands out WOFF2 fonts already decoded.

    Any other URL (``http:``, ``https:`` in a result's link target is never fetched, but an image or
    stylesheet URL would be) fails, and so does a missing font: ``fail_on_errors`` makes WeasyPrint stop
    instead of quietly printing with a fallback font.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "file" and parts.path.endswith(".woff2"):
            path = Path(url2pathname(parts.path))
            body = _decoded_font(str(path), path.stat().st_mtime_ns)
            return URLFetcherResponse(url, body=body, headers={"Content-Type": "font/ttf"})
        response: URLFetcherResponse = super().fetch(url, headers)
        return response


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a print template to an A4 PDF/UA-1 document with Fira Sans embedded."""
    css_text, base_url = _print_css()
    fetcher = LocalFetcher()
    font_config = FontConfiguration()
    stylesheet = CSS(string=css_text, base_url=base_url, font_config=font_config, url_fetcher=fetcher)
    html = HTML(string=render_to_string(template, context), base_url=base_url, url_fetcher=fetcher)
    pdf = html.write_pdf(stylesheets=[stylesheet], font_config=font_config, pdf_variant=PDF_VARIANT)
    if pdf is None:  # only when writing to a target file
        raise RuntimeError("WeasyPrint hat kein PDF geliefert.")
    return bytes(pdf)
