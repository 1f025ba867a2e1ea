"""The sentence languages' separators kept in wording.py are Babel's, for every language."""

from __future__ import annotations

from babel.numbers import get_decimal_symbol, get_group_symbol

from hotelattrition.domain.wording import LANGUAGES, SYMBOLS


def test_every_sentence_language_has_babels_symbols() -> None:
    assert set(SYMBOLS) == set(LANGUAGES)
    for language in LANGUAGES:
        assert SYMBOLS[language] == (get_decimal_symbol(language), get_group_symbol(language))
