"""Search folding: accents, case and compatibility forms go; the letters stay."""

from __future__ import annotations

import pytest

from hotelattrition.domain.folding import fold, search_key


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("García", "garcia"),
        ("Olímpico", "olimpico"),
        ("ÁVILA", "avila"),
        ("Ñandú", "nandu"),
        ("Straße", "strasse"),  # casefold, not lower
        ("ﬁesta", "fiesta"),  # NFKD: the ligature is two letters
        ("İzmir", "izmir"),  # casefolding gives a dot above, which is stripped
        ("G-100 Ünion", "g-100 union"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_a_search_key_is_its_parts_folded_in_order() -> None:
    assert search_key("Congreso Olímpico", "G-100") == "congreso olimpico g-100"
    assert search_key("Solo", None, "") == "solo"
