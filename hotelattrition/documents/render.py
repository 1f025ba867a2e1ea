"""HTML -> PDF bytes with WeasyPrint: the one module that imports it.

The page size, margins, header and footer are the document's own CSS (`@page`), so the same
function renders portrait invoices and landscape reports. The URL fetcher reaches nothing but
the application's static files and small inline images: a group named
`<img src="file:///etc/passwd">` or `http://...` gets nothing fetched.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .. import ROOT

log = logging.getLogger(__name__)

STATIC = ROOT / "hotelattrition" / "static"
MAX_DATA_URL = 64 * 1024  # bytes of an inline (data:) image
_DATA_URL = re.compile(r"data:(image/(?:png|jpeg|gif|svg\+xml|webp))(;base64)?,(.*)", re.S | re.I)
# Measured in bench/invoices.py: each of these cuts render time; none changes what is drawn.
PDF_OPTIONS = {
    # Fonts are still subset (a full DejaVu face is 700 KB a PDF), but hinting tables go.
    "hinting": False,
    "optimize_images": False,
    "presentational_hints": False,
}


class RenderError(Exception):
    """The renderer failed; the message says why. The document can be rendered again."""


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
        return URLFetcherResponse(path.as_uri(), path.read_bytes())

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


@cache
def font_configuration() -> FontConfiguration:
    """One Fontconfig set-up for the process: loading the system fonts costs every render."""
    return FontConfiguration()


@cache
def _fetcher() -> StaticOnlyFetcher:
    return StaticOnlyFetcher()


def render_pdf(html: str, base_url: str | Path = STATIC) -> bytes:
    """Render a finished HTML document (its CSS inline or from static/) to PDF bytes."""
    base = base_url.as_uri() + "/" if isinstance(base_url, Path) else base_url
    try:
        document = HTML(string=html, base_url=base, url_fetcher=_fetcher())
        return document.write_pdf(font_config=font_configuration(), **PDF_OPTIONS)
    except Exception as exc:  # WeasyPrint raises many kinds; the caller only needs "failed"
        log.exception("PDF rendering failed")
        raise RenderError(f"PDF rendering failed: {type(exc).__name__}: {exc}") from exc
