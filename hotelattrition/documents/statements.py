"""A contract's settlement statement for the group's planner: HTML and PDF, before any invoice.

Plain data in (the settlement JSON in the reader's language, the contract's particulars), the
words of the reader's language and the figures of their locale out; WeasyPrint renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .templates import environment

TEMPLATE = "documents/statement.html"


@dataclass(frozen=True)
class StatementParty:
    """The contract's particulars a statement prints above its lines."""

    code: str
    name: str
    account: str
    property_name: str
    arrival: date
    departure: date
    status: str


def statement_html(party: StatementParty, result: dict[str, Any], on: date, locale: str) -> str:
    """The statement as one HTML document (its CSS inline), in the locale's words and figures."""
    template = environment(locale).get_template(TEMPLATE)
    return template.render(contract=party, result=result, on=on)


def statement_pdf(party: StatementParty, result: dict[str, Any], on: date, locale: str) -> bytes:
    """The statement as an A4 PDF."""
    from .render import render_pdf  # WeasyPrint, loaded on the first render only

    return render_pdf(statement_html(party, result, on, locale))
