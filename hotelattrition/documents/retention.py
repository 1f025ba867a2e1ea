"""The retention report as a document: one HTML page, print CSS inline, and its PDF.

Landscape A4, the same sections as the page (templates/reports/_retention.html), the charts
as inline SVG.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .templates import environment

TEMPLATE = "reports/retention_document.html"


def retention_html(
    report: Any, charts: dict[str, Any], locale: str, *labels: Callable[[str | None], str]
) -> str:
    """The report as one HTML document in the locale's words and figures; `labels` word the
    lost-business and the account-lost reasons."""
    reason, account_reason = labels
    return (
        environment(locale)
        .get_template(TEMPLATE)
        .render(report=report, charts=charts, reason=reason, account_reason=account_reason)
    )
