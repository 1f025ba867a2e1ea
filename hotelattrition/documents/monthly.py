"""The monthly pickup report as a document: one HTML page, print CSS inline, and its PDF.

Landscape A4 with the table header repeated on every page; the charts are the report's inline
SVG. The same template, templates/reports/monthly_document.html, is the HTML download.
"""

from __future__ import annotations

from typing import Any

from .templates import environment

TEMPLATE = "reports/monthly_document.html"


def monthly_html(report: Any, night_chart: Any, pace_chart: Any, locale: str) -> str:
    """The report as one HTML document in the locale's words and figures."""
    return (
        environment(locale)
        .get_template(TEMPLATE)
        .render(report=report, night_chart=night_chart, pace_chart=pace_chart)
    )
