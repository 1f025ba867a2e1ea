"""The retention report's charts (geometry), and the report as a document: HTML and PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..documents.retention import retention_html
from .charts import funnel_chart, rate_chart
from .retention_report import RetentionReport


def retention_charts(report: RetentionReport) -> dict[str, Any]:
    """Retention and 12-month rebooking per period; the funnel over every period shown."""
    rates = rate_chart(
        [
            (str(a.period.start.year) if a.period.by == "year" else "",
             a.period.start if a.period.by == "month" else None,
             [a.retention_pct, a.rebook_12_pct])
            for a in report.accounts
        ]
    )  # fmt: skip
    return {"rates": rates, "funnel": funnel_chart(report.funnel_total.steps)}


Label = Callable[[str | None], str]  # a reason code in the reader's words


def retention_document(
    report: RetentionReport, locale: str, reason: Label, account_reason: Label
) -> str:
    """The report as one HTML document, CSS inline, charts as inline SVG, in the locale."""
    return retention_html(report, retention_charts(report), locale, reason, account_reason)


def retention_pdf(
    report: RetentionReport, locale: str, reason: Label, account_reason: Label
) -> bytes:
    """The document as a landscape PDF."""
    from ..documents.render import render_pdf  # WeasyPrint, for the PDF format only

    return render_pdf(retention_document(report, locale, reason, account_reason))
