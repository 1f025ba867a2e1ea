"""Template filters: money, percentages and dates in the reader's locale (domain.figures)."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale

from ..domain.figures import Figures


def _here() -> Figures:
    return Figures(str(get_locale()))


def register_formatting(app: Flask) -> None:
    """The filters (|money, |percent, |number, |signed, |day) and `fmt`, the page's Figures."""
    app.add_template_filter(lambda amount, currency: _here().money(amount, currency), "money")
    app.add_template_filter(lambda value: _here().percent(value), "percent")
    app.add_template_filter(lambda value: _here().number(value), "number")
    app.add_template_filter(lambda value: _here().signed(value), "signed")
    app.add_template_filter(lambda value, style="medium": _here().day(value, style), "day")
    app.context_processor(lambda: {"fmt": _here()})
