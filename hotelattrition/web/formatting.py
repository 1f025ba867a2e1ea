"""Template filters: money, percentages and dates in the user's locale (Babel)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Flask
from flask_babel import format_currency, format_date, format_decimal


def money(amount: Decimal | str | None, currency: str) -> str:
    if amount is None:
        return "—"
    return format_currency(Decimal(amount), currency)


def number(value: Decimal | str | int | None) -> str:
    """A room-night figure ("137.6") in the user's locale ("137,6")."""
    if value is None:
        return "—"
    return format_decimal(Decimal(value), format="#,##0.######")


def percent(value: Decimal | str | None) -> str:
    if value is None:
        return "—"
    return format_decimal(Decimal(value), format="#,##0.##") + " %"


def day(value: date | None, style: str = "medium") -> str:
    return format_date(value, style) if value else "—"


def register_formatting(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(percent)
    app.add_template_filter(number)
    app.add_template_filter(day)
