"""Template filters: money, percentages and dates in the user's locale (Babel).

A list page formats hundreds of figures, and Babel parses locale data and patterns on each
call. So each (locale, currency) pattern is read from Babel once, and applied with Python's
own formatting when Babel's result has the plain shape (three-digit groups); any other shape,
and negative amounts, go to Babel itself. Dates and percentages repeat, so they are memoised.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.dates import format_date as babel_date
from babel.numbers import format_currency as babel_currency
from babel.numbers import format_decimal as babel_decimal
from babel.numbers import get_currency_precision
from flask import Flask
from flask_babel import get_locale

_SAMPLE = Decimal("1234567.89")


@lru_cache(maxsize=256)
def _currency_shape(locale: str, currency: str) -> tuple[str, str, str, str, Decimal] | None:
    """Prefix, suffix, decimal and group symbols and minor unit of Babel's format, if plain."""
    places = get_currency_precision(currency)
    unit = Decimal(1).scaleb(-places)
    text = babel_currency(_SAMPLE, currency, locale=locale)
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    prefix, body, suffix = (
        text[: digits[0]],
        text[digits[0] : digits[-1] + 1],
        text[digits[-1] + 1 :],
    )
    group = body[1]
    if group.isdigit():  # not grouped by three (e.g. lakh grouping): Babel formats these
        return None
    point = body[9] if places else ""
    shape = (prefix, suffix, point, group, unit)
    return shape if _apply(shape, _SAMPLE) == text else None


def _apply(shape: tuple[str, str, str, str, Decimal], amount: Decimal) -> str:
    prefix, suffix, point, group, unit = shape
    plain = f"{amount.quantize(unit, ROUND_HALF_UP):,f}"
    return prefix + plain.translate({ord(","): group, ord("."): point}) + suffix


class Formatter:
    """Figures for one locale; a list page resolves its locale once, not once per cell."""

    def __init__(self, locale: str):
        self.locale = locale

    def money(self, amount: Decimal | str | None, currency: str) -> str:
        if amount is None:
            return "—"
        value = Decimal(amount)
        shape = _currency_shape(self.locale, currency) if value >= 0 else None
        return (
            _apply(shape, value) if shape else babel_currency(value, currency, locale=self.locale)
        )

    def number(self, value: Decimal | str | int | None) -> str:
        """A room-night figure ("137.6") in the locale ("137,6")."""
        return "—" if value is None else _decimal(Decimal(value), "#,##0.######", self.locale)

    def percent(self, value: Decimal | str | None) -> str:
        return "—" if value is None else _decimal(Decimal(value), "#,##0.##", self.locale) + " %"

    def day(self, value: date | None, style: str = "medium") -> str:
        return _day(value, style, self.locale) if value else "—"


@lru_cache(maxsize=8192)
def _decimal(value: Decimal, pattern: str, locale: str) -> str:
    return babel_decimal(value, format=pattern, locale=locale)


@lru_cache(maxsize=8192)
def _day(value: date, style: str, locale: str) -> str:
    return babel_date(value, style, locale=locale)


def _here() -> Formatter:
    return Formatter(str(get_locale()))


def register_formatting(app: Flask) -> None:
    """The filters (|money, |percent, |number, |day) and `fmt`, a Formatter for the page."""
    app.add_template_filter(lambda amount, currency: _here().money(amount, currency), "money")
    app.add_template_filter(lambda value: _here().percent(value), "percent")
    app.add_template_filter(lambda value: _here().number(value), "number")
    app.add_template_filter(lambda value, style="medium": _here().day(value, style), "day")
    app.context_processor(lambda: {"fmt": _here()})
