"""Money, numbers, percentages and dates as people read them, from Babel's locale data.

The one place where figures become text: the settlement's sentences, the pages, the invoices'
PDFs and the monthly report all format through here (the CSVs stay plain, for spreadsheets).

Two styles:
- `Figures(locale)`: what a page or a document shows, Babel's own currency format ("€2,365.77",
  "2.365,77 €") and dates ("Sep 22, 2026", "22 sept 2026").
- `statement_money` and `statement_number`: the settlement's sentences, which a planner redoes by
  hand and which are frozen into invoices: the ISO code beside the figure ("EUR 2,365.77",
  "2.365,77 EUR"), thousands always grouped, and an exact rate kept to its last place.

A list page formats hundreds of figures and Babel parses a pattern on each call, so each
(locale, currency) format is read from Babel once and applied with Python's own formatting when
its shape is plain (three-digit groups); any other shape, and negative amounts, go to Babel.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from .money import currency_places, minor_unit, round_money, round_to

_SAMPLE = Decimal("1234567.89")
Shape = tuple[str, str, str, str, Decimal]  # prefix, suffix, decimal and group symbols, unit


@lru_cache(maxsize=256)
def _currency_shape(locale: str, currency: str) -> Shape | None:
    """The shape of Babel's currency format for (locale, currency), if it is a plain one."""
    from babel.numbers import format_currency  # pages and documents only: not `settle`

    places = currency_places(currency)
    unit = Decimal(1).scaleb(-places)
    text = _unambiguous(format_currency(_SAMPLE, currency, locale=locale), currency)
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


def _unambiguous(text: str, currency: str) -> str:
    """A bare "$" names its currency unless it is the US dollar: "MX$ 1,234.00", not "$1,234.00".

    A Mexican locale writes pesos as "$": on an invoice read abroad, or beside a dollar
    amount, that reads as dollars.
    """
    if currency == "USD" or "$" not in text or any(ch.isalpha() for ch in text.replace("$", "")):
        return text
    from babel.numbers import get_currency_symbol

    return text.replace("$", get_currency_symbol(currency, "en"), 1)


def _apply(shape: Shape, amount: Decimal) -> str:
    prefix, suffix, point, group, unit = shape
    plain = f"{amount.quantize(unit, ROUND_HALF_UP):,f}"
    return prefix + plain.translate({ord(","): group, ord("."): point}) + suffix


@lru_cache(maxsize=8192)
def _decimal(value: Decimal, pattern: str, locale: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, format=pattern, locale=locale)


@lru_cache(maxsize=8192)
def _day(value: date, style: str, locale: str) -> str:
    # babel.dates looks up the machine's time zone on import: only pages and documents, which
    # show dates, pay for it; a one-document `settle` never does.
    from babel.dates import format_date, format_skeleton

    # Every page, chart and PDF says a date one way per locale, Babel's medium ("Sep 22, 2026",
    # "22 sept 2026"); an axis leaves out the year its title gives ("Sep 22", "22 sept"), and a
    # month keeps it ("Sep 2026"), so a month tick never reads as a day.
    if style == "day_month":
        return format_skeleton("MMMd", value, locale=locale)
    if style == "month":
        return format_skeleton("yMMM", value, locale=locale)
    if style == "month_short":  # an axis of one year's months, its title naming the year
        return format_skeleton("MMM", value, locale=locale)
    return format_date(value, style, locale=locale)


class Figures:
    """Figures for one locale; a page resolves its locale once, not once per cell."""

    def __init__(self, locale: str):
        self.locale = locale

    def money(self, amount: Decimal | str | None, currency: str) -> str:
        if amount is None:
            return "—"
        value = Decimal(amount)
        shape = _currency_shape(self.locale, currency) if value >= 0 else None
        if shape is None:
            from babel.numbers import format_currency

            return format_currency(value, currency, locale=self.locale)
        return _apply(shape, value)

    def number(self, value: Decimal | str | int | None) -> str:
        """A room-night figure ("137.6") in the locale ("137,6")."""
        return "—" if value is None else _decimal(Decimal(value), "#,##0.######", self.locale)

    def percent(self, value: Decimal | str | None, places: int = 2) -> str:
        if value is None:
            return "—"
        return _decimal(Decimal(value), "#,##0." + "#" * places, self.locale) + " %"

    def signed(self, value: int | Decimal) -> str:
        """A change in room nights with its sign: +12, \u22123 (a minus sign), 0."""
        text = _decimal(abs(Decimal(value)), "#,##0.##", self.locale)
        return f"+{text}" if value > 0 else (f"\u2212{text}" if value < 0 else text)

    def day(self, value: date | None, style: str = "medium") -> str:
        """A date in Babel's style ("medium"), "day_month" for an axis, "month" for a month."""
        return _day(value, style, self.locale) if value else "—"


def exponent_of(value: Decimal) -> int:
    """The exponent of a finite Decimal (-2 for 1.25); NaN and infinities count as 0."""
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


# Babel's decimal and group symbols of the sentence languages, copied here (a test holds them
# equal to Babel's): reading them loads Babel's locale data, whose unpickling imports
# babel.dates and looks up the machine's time zone, a third of a one-document `settle`.
SYMBOLS: dict[str, tuple[str, str]] = {"en": (".", ","), "es": (",", ".")}


@cache
def _separators(language: str) -> dict[int, str] | None:
    """A str.translate table from Babel's decimal and group symbols; None for "." and ","."""
    symbols = SYMBOLS.get(language)
    if symbols is None:  # a language beyond the sentences' own: Babel's locale data
        from babel.numbers import get_decimal_symbol, get_group_symbol

        symbols = (get_decimal_symbol(language), get_group_symbol(language))
    point, group = symbols
    return None if (point, group) == (".", ",") else {ord("."): point, ord(","): group}


def _localise(text: str, language: str) -> str:
    table = _separators(language)
    return text if table is None else text.translate(table)


def statement_day(value: date, language: str) -> str:
    """A date in a settlement sentence, as pages and PDFs say it ("Sep 22, 2026")."""
    return _day(value, "medium", language)


def statement_number(value: Decimal | int, language: str, places: int | None = None) -> str:
    """A figure of a sentence, every place it has (or `places`), the language's separators."""
    if isinstance(value, int):
        text = f"{value:,}"
    elif places is not None:
        # Format's own rounding is half even; a figure is shown rounded half up, like amounts.
        text = f"{round_to(value, Decimal(1).scaleb(-places)):,f}"
    else:
        text = f"{value:,f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return _localise(text, language)


def statement_money(value: Decimal, currency: str, language: str, exact: bool = False) -> str:
    """An amount with its currency code, as a planner reads it on a statement.

    `exact` keeps places beyond the minor unit (a rate of EUR 173.9525) instead of rounding.
    """
    unit = minor_unit(currency)
    shown = value if exact and exponent_of(value) < exponent_of(unit) else None
    text = _localise(f"{shown if shown is not None else round_money(value, currency):,f}", language)
    return f"{currency} {text}" if language == "en" else f"{text} {currency}"


def statement_percent(value: Decimal, language: str) -> str:
    return statement_number(value, language) + ("%" if language == "en" else " %")
