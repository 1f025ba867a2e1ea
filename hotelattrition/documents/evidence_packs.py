"""An invoice's evidence pack: HTML and PDF from plain data, in the reader's words and figures."""

from __future__ import annotations

from typing import Any

from .templates import environment

TEMPLATE = "documents/evidence_pack.html"


def evidence_pack_html(data: dict[str, Any], locale: str) -> str:
    """The pack as one HTML document (its CSS inline)."""
    return environment(locale).get_template(TEMPLATE).render(pack=data)


def evidence_pack_html_pdf(data: dict[str, Any], locale: str) -> bytes:
    """The pack as an A4 PDF."""
    from .render import render_pdf  # WeasyPrint, loaded on the first render only

    return render_pdf(evidence_pack_html(data, locale))
