"""A waiver of part of the damages, as an invoice shows it: a discount that lowers the tax base.

The amount waived is tax included, as every damages figure the decision page shows (the
waiver threshold compares it so too). On the document it is spread over the charges' tax
groups in proportion to what each group costs, tax included (largest remainder, to the
currency's minor unit), and each share is split into the part off the base and the part off
that group's tax at its rate. The shares add up to the amount exactly, so the document's
total falls by exactly what was waived.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal, Inexact, localcontext
from typing import NamedTuple

from .money import EXACT, HUNDRED, ZERO, minor_unit, round_money


class Group(NamedTuple):
    """Charges taxed alike: their gross (base plus tax) and the rate (None: untaxed)."""

    gross: Decimal
    tax_pct: Decimal | None


class Share(NamedTuple):
    """What the waiver takes off one group: off its base and off its tax (both >= 0)."""

    base: Decimal
    tax: Decimal


def split_waiver(amount: Decimal, groups: list[Group], currency: str) -> list[Share]:
    """Spread `amount` over the groups in proportion to their gross; one share per group.

    Refuses an amount that is not positive, not below the groups' whole gross, or not to the
    currency's minor unit (the services check the same and say it in the user's words).
    """
    whole = sum((g.gross for g in groups), ZERO)
    if amount <= 0 or amount >= whole or round_money(amount, currency) != amount:
        raise ValueError(f"a waiver of {amount} must be > 0, < {whole}, to the minor unit")
    unit = minor_unit(currency)
    with localcontext(EXACT) as ctx:
        ctx.traps[Inexact] = False
        exact = [amount * g.gross / whole for g in groups]
        floors = [x.quantize(unit, ROUND_DOWN) for x in exact]
    left = int((amount - sum(floors, ZERO)) / unit)
    # The cents left go to the largest remainders, the earlier group first on a tie.
    order = sorted(range(len(groups)), key=lambda i: (floors[i] - exact[i], i))
    for i in order[:left]:
        floors[i] += unit
    shares = []
    for group, part in zip(groups, floors, strict=True):
        if group.tax_pct is None or part == 0:
            shares.append(Share(part, ZERO))
            continue
        with localcontext(EXACT) as ctx:
            ctx.traps[Inexact] = False
            base = round_money(part * HUNDRED / (HUNDRED + group.tax_pct), currency)
        shares.append(Share(base, part - base))
    return shares
