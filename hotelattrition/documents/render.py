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
import threading
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


_local = threading.local()


def font_configuration() -> FontConfiguration:
    """Return this thread's Fontconfig set-up, made once and reused by every render."""
    # Loading the system fonts and their metrics anew costs a render about a tenth of its time;
    # one per thread because Pango's font map is not thread-safe.
    fonts = getattr(_local, "fonts", None)
    if fonts is None:
        fonts = _local.fonts = FontConfiguration()
    return fonts


@cache
def _fetcher() -> StaticOnlyFetcher:
    return StaticOnlyFetcher()


def render_pdf(html: str, base_url: str | Path = STATIC) -> bytes:
    """Render a finished HTML document (its CSS inline or from static/) to PDF bytes."""
    base = base_url.as_uri() + "/" if isinstance(base_url, Path) else base_url
    try:
        document = HTML(string=html, base_url=base, url_fetcher=_fetcher())
        # WeasyPrint's default options otherwise (`make bench` measured them: HarfBuzz subsets
        # already; full fonts were slower and larger, uncompressed streams saved nothing).
        return document.write_pdf(font_config=font_configuration())
    except Exception as exc:  # WeasyPrint raises many kinds; the caller only needs "failed"
        log.exception("PDF rendering failed")
        raise RenderError(f"PDF rendering failed: {type(exc).__name__}: {exc}") from exc
