"""The copy of Babel's currency data in domain/currencies.py is Babel's, code for code."""

from __future__ import annotations

import textwrap
from pathlib import Path

from babel.core import get_global
from babel.numbers import get_currency_precision, list_currencies

from hotelattrition.domain import currencies
from hotelattrition.domain.money import currency_places, known_currencies, money_currencies

SPLIT = '    """.split()  # noqa: SIM905  (codes read as a block, not hundreds of quoted strings)'


def _tender() -> set[str]:
    return {c for h in get_global("territory_currencies").values() for c, _s, _e, t in h if t}


def babel_source() -> str:
    """The lines of domain/currencies.py from KNOWN on, as this Babel has them."""
    known = sorted(list_currencies())
    fractions = get_global("currency_fractions")
    default = fractions["DEFAULT"][0]
    places = {c: f[0] for c, f in sorted(fractions.items()) if c != "DEFAULT" and f[0] != default}

    def block(codes: list[str]) -> list[str]:
        text = textwrap.fill(" ".join(codes), 92, initial_indent="    ", subsequent_indent="    ")
        return ['    """', text, SPLIT, ")"]

    lines = ["KNOWN = frozenset(", *block(known)]
    lines += ["# Listed, but legal tender nowhere: test, metal, fund and accounting-unit codes."]
    lines += ["NOT_MONEY = frozenset(", *block(sorted(set(known) - _tender()))]
    lines += [f"DEFAULT_PLACES = {default}"]
    lines += ["# Decimal places of the minor unit, where they are not DEFAULT_PLACES."]
    lines += ["PLACES = {"]
    items = " ".join(f'"{c}": {p},' for c, p in places.items())
    lines += textwrap.wrap(items, 96, initial_indent="    ", subsequent_indent="    ")
    return "\n".join([*lines, "}  # fmt: skip"]) + "\n"


def test_the_copied_currency_data_is_babels() -> None:
    source = Path(currencies.__file__).read_text(encoding="utf-8")
    copied = source[source.index("KNOWN = frozenset(") :]
    assert copied == babel_source(), "Babel's currencies changed: put these lines in\n" + (
        babel_source()
    )


def test_the_money_functions_answer_as_babel_does() -> None:
    known = set(list_currencies())
    assert known_currencies() == known
    assert money_currencies() == known & _tender()
    for code in [*known, "ZZZ"]:  # an unknown code gets Babel's default places too
        assert currency_places(code) == get_currency_precision(code), code
