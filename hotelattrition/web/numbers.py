"""Numbers in forms: read as typed in the user's locale (Babel), shown back plain.

A field's `data` is the number's plain form ("12000.5"), what the settlement document and
the services read; the page shows what the user typed, or a stored value in the locale's
decimal symbol without groups, which this module reads back as the same value.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import (
    NumberFormatError,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms import StringField

_SPACES = str.maketrans("", "", " \u00a0\u202f")  # spaces a user or a copy-paste puts in groups
_TYPED = re.compile(r"-?[0-9.,]+")
_EXAMPLE = Decimal("12345.67")
_WHOLE = Decimal(1500)
_FOUR = Decimal("0.0001")


class NumberProblem(ValueError):
    """A typed number this locale cannot read, or could read two ways; says how to type it."""


def user_locale() -> str:
    """The locale of the current request's user ("en", "es")."""
    return str(get_locale() or "en")


def read_number(text: str, locale: str, whole: bool = False) -> Decimal:
    """The value of a number typed in `locale`; NumberProblem when unreadable or ambiguous."""
    compact = text.translate(_SPACES)
    point, group = get_decimal_symbol(locale), get_group_symbol(locale)
    if not _TYPED.fullmatch(compact):
        raise NumberProblem(_not_a_number(locale, whole))
    head, sep, tail = compact.lstrip("-").partition(point)
    if sep and group not in compact and re.fullmatch(r"[1-9]\d{0,2}", head) and len(tail) == 3:
        # "12,000" is twelve in Spanish and twelve thousand in English: never guess.
        raise NumberProblem(_ambiguous(compact, point, locale))
    try:
        return parse_decimal(compact, locale=locale, strict=True)
    except NumberFormatError:
        if compact.count(group) == 1 and point not in compact:
            raise NumberProblem(_ambiguous(compact, group, locale)) from None
        raise NumberProblem(_not_a_number(locale, whole)) from None


def _ambiguous(compact: str, separator: str, locale: str) -> str:
    """Say how to type each reading of a number whose one separator reads two ways."""
    whole, _sep, fraction = compact.partition(separator)
    small = Decimal(f"{whole}.{fraction}")
    if len(fraction) == 3:
        small = small.normalize() if small == small.to_integral() else small.quantize(_FOUR)
    return _(
        "Ambiguous number: type %(decimal)s for a number with decimals, "
        "or %(thousands)s for a number in thousands.",
        decimal=shown(small, locale),
        thousands=format_decimal(Decimal(whole + fraction), "#,##0", locale=locale),
    )


def _not_a_number(locale: str, whole: bool) -> str:
    if whole:
        return _(
            "must be a whole number, typed like %(example)s or %(plain)s",
            example=format_decimal(_WHOLE, "#,##0", locale=locale),
            plain=shown(_WHOLE, locale),
        )
    return _(
        "must be a number, typed like %(example)s or %(plain)s",
        example=format_decimal(_EXAMPLE, "#,##0.00", locale=locale),
        plain=shown(_EXAMPLE, locale),
    )


def number_hint(whole: bool = False) -> str:
    """How to type a number in the user's locale: the words a form shows for a bad number."""
    return _not_a_number(user_locale(), whole)


def plain(value: Decimal, whole: bool = False) -> str:
    """The plain form of a value ("12000.50", "10"), never in exponent form."""
    if whole and value == value.to_integral_value():
        return str(int(value))
    return format(value, "f")


def shown(value: Any, locale: str) -> str:
    """A stored value as a form field shows it: plain, the locale's decimal symbol, no groups."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)  # text the user typed that was not a number: keep it as typed
    if not number.is_finite():
        return str(value)
    text = format(number, "f")
    whole, _sep, fraction = text.lstrip("-").partition(".")
    if len(fraction) == 3 and re.fullmatch(r"[1-9]\d{0,2}", whole):
        text += "0"  # "1.125" would read as 1125 where "." groups: one more place is exact
    return text.replace(".", get_decimal_symbol(locale))


class NumberField(StringField):
    """A decimal typed in the user's locale; `data` is its plain form, or the text if unread."""

    whole = False

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.typed: str | None = None
        if not valuelist:
            return
        self.typed = valuelist[0]
        if not self.typed.strip():
            self.data = self._read = ""
            return
        try:
            self.data = self._read = plain(
                read_number(self.typed, user_locale(), self.whole), self.whole
            )
        except NumberProblem as problem:
            self.data = self._read = self.typed
            raise ValueError(str(problem)) from None

    def _value(self) -> str:
        typed = getattr(self, "typed", None)
        if typed is not None and self.data == self._read:
            return typed  # shown back exactly as typed, whatever the outcome
        return shown(self.data, user_locale())


class CountField(NumberField):
    """A whole number typed in the user's locale ("1,000" rooms in English)."""

    whole = True
