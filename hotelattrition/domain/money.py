"""Exact money: Decimal construction, currency minor units and the one rounding rule."""

from __future__ import annotations

import decimal
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from .currencies import DEFAULT_PLACES, KNOWN, NOT_MONEY, PLACES

ZERO = Decimal(0)
HUNDRED = Decimal(100)

# Products of a few 16-digit figures need about 80 digits; Inexact is trapped so that an
# operation that would round silently raises instead of changing a figure.
EXACT = decimal.Context(
    prec=200,
    rounding=ROUND_HALF_UP,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
# Rounding is the one place where a figure may lose digits: on purpose, and only here.
_ROUNDING = decimal.Context(
    prec=200, traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow]
)


@cache
def known_currencies() -> frozenset[str]:
    """Return the ISO 4217 codes Babel knows."""
    return KNOWN


@cache
def money_currencies() -> frozenset[str]:
    """Return the ISO 4217 codes that are or were legal tender somewhere: money.

    Babel also lists codes that are no money to owe: XXX (none), XTS (testing), metals (XAU,
    XAG, XPT, XPD), units of account and funds (XDR, XBA..XBD, XSU, XUA, BOV, CLF...).
    """
    return KNOWN - NOT_MONEY


@cache
def minor_unit(currency: str) -> Decimal:
    """Return the currency's smallest unit as an exponent Decimal (0.01 for EUR, 1 for JPY)."""
    return Decimal(1).scaleb(-currency_places(currency))


def currency_places(currency: str) -> int:
    """The currency's decimal places (Babel's get_currency_precision)."""
    return PLACES.get(currency, DEFAULT_PLACES)


def round_money(value: Decimal, currency: str) -> Decimal:
    """Round half up (away from zero on a tie) to the currency's minor unit, never -0."""
    # round_to inlined: this runs for every amount and every figure a sentence shows.
    rounded = value.quantize(minor_unit(currency), ROUND_HALF_UP, _ROUNDING)
    return rounded if rounded else rounded.copy_abs()


def round_to(value: Decimal, exponent: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round to `exponent` (0.01, 1...) with the given mode (half up by default), never -0."""
    return _unsigned_zero(value.quantize(exponent, rounding=rounding, context=_ROUNDING))


def round_ratio(numerator: Decimal, denominator: Decimal | int, exponent: Decimal) -> Decimal:
    """Round numerator / denominator half up to `exponent` (0.01, 1...), dividing exactly once.

    Call it inside the EXACT context: the quotient's integer part is computed exactly and the
    remainder decides the tie, so a repeating decimal never rounds twice.
    """
    num = numerator.scaleb(-exponent.adjusted())
    den = Decimal(denominator)
    whole, rest = divmod(num.copy_abs(), den.copy_abs())
    if 2 * rest >= den.copy_abs():
        whole += 1
    if (num < 0) != (den < 0):
        whole = -whole
    return _unsigned_zero(whole.scaleb(exponent.adjusted()))


def round_ratio_money(numerator: Decimal, denominator: Decimal | int, currency: str) -> Decimal:
    """Round numerator / denominator half up to the currency's minor unit."""
    return round_ratio(numerator, denominator, minor_unit(currency))


def _unsigned_zero(value: Decimal) -> Decimal:
    return value.copy_abs() if value.is_zero() else value
