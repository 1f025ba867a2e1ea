"""An account's event-history sheet: one landscape A4 page of its editions and the next block.

Plain data in (the report's editions and suggestion: dataclasses, no ORM rows), the words of
the reader's language and the figures of their locale out; WeasyPrint renders it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .templates import environment

TEMPLATE = "documents/account_history.html"
ROWS_MAX = 8  # editions that fit on the one page beside a 5-night suggestion, most recent first


def account_history_html(account: str, history: Any, on: date, locale: str) -> str:
    """The sheet as one HTML document (its CSS inline), in the locale's words and figures."""
    template = environment(locale).get_template(TEMPLATE)
    editions = history.editions[:ROWS_MAX]
    return template.render(
        account=account,
        editions=editions,
        left_off=len(history.editions) - len(editions),
        s=history.suggestion,  # the latest series' (one fits the page), named in its heading
        series=next((x.title for x in history.suggested), None),
        on=on,
    )


def account_history_pdf(account: str, history: Any, on: date, locale: str) -> bytes:
    """The sheet as a one-page PDF."""
    from .render import render_pdf  # WeasyPrint, loaded on the first render only

    return render_pdf(account_history_html(account, history, on, locale))
