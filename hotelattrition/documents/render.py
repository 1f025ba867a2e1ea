"""HTML -> PDF bytes with WeasyPrint: the one module that imports it.

The page size, margins, header and footer are the document's own CSS (`@page`), so the same
function renders portrait invoices and landscape reports. The URL fetcher reaches nothing but
the application's static files and small inline images: a group named
`<img src="file:///etc/passwd">` or `http://...` gets nothing fetched.

What a render would otherwise redo each time is kept per thread: the font configuration, the
document's `<style>` parsed and its selectors compiled, and base.css, a small stylesheet that
stands in for WeasyPrint's HTML5 one. The PDF draws the same as WeasyPrint's defaults (tested);
`make bench` measures what each choice buys.
"""

from __future__ import annotations

import base64
import binascii
import logging
import mimetypes
import re
import threading
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..paths import ROOT
from . import RenderError as RenderError  # raised here, caught by services

log = logging.getLogger(__name__)

STATIC = ROOT / "hotelattrition" / "static"
BASE_STYLESHEET = Path(__file__).with_name("base.css")
MAX_DATA_URL = 64 * 1024  # bytes of an inline (data:) image
# At-rules WeasyPrint keeps per render, not in the parsed sheet: a sheet with them is not reused.
_PER_RENDER = re.compile(r"@(counter-style|color-profile)\b", re.I)
_DATA_URL = re.compile(r"data:(image/(?:png|jpeg|gif|svg\+xml|webp))(;base64)?,(.*)", re.S | re.I)


class StaticOnlyFetcher(URLFetcher):
    """Serve files under the allowed folders and small data: images; refuse everything else."""

    def __init__(self, roots: tuple[Path, ...] = (STATIC,)) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return self._data(url)
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"refused to fetch {url[:80]!r}: only the app's static files")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise ValueError(f"refused to fetch {url[:80]!r}: outside the app's static files")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        # WeasyPrint skips a linked stylesheet unless it is served as text/css.
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})

    def _data(self, url: str) -> URLFetcherResponse:
        match = _DATA_URL.fullmatch(url)
        if match is None or len(url) > MAX_DATA_URL * 4 // 3 + 100:
            raise ValueError("refused a data: URL: only small inline images")
        kind, encoded, payload = match.groups()
        try:
            body = (
                base64.b64decode(payload, validate=True) if encoded else unquote(payload).encode()
            )
        except (binascii.Error, ValueError) as exc:
            raise ValueError("refused a data: URL: not valid base64") from exc
        if len(body) > MAX_DATA_URL:
            raise ValueError("refused a data: URL: only small inline images")
        return URLFetcherResponse(url[:40], body, {"Content-Type": kind})


class _Document(HTML):
    """An HTML document styled by base.css instead of WeasyPrint's HTML5 user-agent stylesheet."""

    # WeasyPrint asks the document for its user-agent stylesheets through this method (a
    # private hook, unchanged since WeasyPrint 53; pyproject pins the version it was measured
    # with). The tests compare what it draws with what WeasyPrint's defaults draw.
    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_kit().base]


class _Kit:
    """What one thread's renders share: fonts, the base stylesheet and parsed inline styles."""

    # Loading the system fonts anew costs a render a tenth of its time, parsing its stylesheet
    # and compiling the selectors as much again. One kit per thread: Pango's font map is not
    # thread-safe.
    MAX_SHEETS = 32

    def __init__(self) -> None:
        self.fonts = FontConfiguration()
        self.base = CSS(filename=BASE_STYLESHEET, font_config=self.fonts)
        self.sheets: dict[tuple[str, str], CSS] = {}

    def stylesheet(self, text: str, base_url: str) -> CSS:
        """The parsed stylesheet of this text, parsed once."""
        key = (text, base_url)
        sheet = self.sheets.get(key)
        if sheet is None:
            if len(self.sheets) >= self.MAX_SHEETS:
                self.sheets.clear()
            sheet = self.sheets[key] = CSS(
                string=text, base_url=base_url, url_fetcher=_fetcher(), font_config=self.fonts
            )
        return sheet


_local = threading.local()


def _kit() -> _Kit:
    kit = getattr(_local, "kit", None)
    if kit is None:
        kit = _local.kit = _Kit()
    return kit


def _take_inline_styles(root: Any) -> list[str]:
    """Remove the document's `<style>` elements from the tree; return their texts in order.

    Applied as the render's stylesheets they rank above base.css and below style attributes,
    as they did in the document. Left in place where that could differ or a cached sheet would
    not do: beside `<link>` stylesheets, with a media attribute, or holding rules WeasyPrint
    keeps per render (`@counter-style`, `@color-profile`).
    """
    if root.find(".//link") is not None:
        return []
    texts = []
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag != "style" or child.get("media"):
                continue
            text = child.text or ""
            if child.get("type", "text/css").strip().lower() == "text/css" and not (
                _PER_RENDER.search(text)
            ):
                parent.remove(child)
                texts.append(text)
    return texts


@cache
def _fetcher() -> StaticOnlyFetcher:
    return StaticOnlyFetcher()


def prepare() -> None:
    """Load this thread's fonts and base stylesheet now, before its first document arrives."""
    _kit()


def render_pdf(html: str, base_url: str | Path = STATIC) -> bytes:
    """Render a finished HTML document (its CSS inline or from static/) to PDF bytes."""
    base = base_url.as_uri() + "/" if isinstance(base_url, Path) else base_url
    try:
        kit = _kit()
        document = _Document(string=html, base_url=base, url_fetcher=_fetcher())
        sheets = [
            kit.stylesheet(text, base) for text in _take_inline_styles(document.etree_element)
        ]
        # WeasyPrint's default options otherwise (`make bench` measured them: HarfBuzz subsets
        # already; full fonts were slower and larger, uncompressed streams saved nothing).
        return document.write_pdf(font_config=kit.fonts, stylesheets=sheets)
    except Exception as exc:  # WeasyPrint raises many kinds; the caller only needs "failed"
        log.exception("PDF rendering failed")
        raise RenderError(f"PDF rendering failed: {type(exc).__name__}: {exc}") from exc
