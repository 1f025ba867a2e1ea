"""The survey's arithmetic by hand: who is a promoter, and the NPS of a set of answers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hotelattrition.domain.surveys import NpsCount, answer_problems, category, nps


@pytest.mark.parametrize(
    ("score", "kind"),
    [(0, "detractor"), (6, "detractor"), (7, "passive"), (8, "passive"), (9, "promoter"),
     (10, "promoter")],
)  # fmt: skip
def test_the_score_decides_the_kind(score: int, kind: str) -> None:
    assert category(score) == kind


@pytest.mark.parametrize("score", [-1, 11])
def test_a_score_out_of_range_is_no_kind(score: int) -> None:
    with pytest.raises(ValueError):
        category(score)


def test_nps_worked_example() -> None:
    # Ten answers: 10, 10, 9, 9, 9 (5 promoters), 8, 7, 7 (3 passives), 6, 2 (2 detractors).
    # Promoters 5/10 = 50%, detractors 2/10 = 20%: NPS = 50 - 20 = 30.
    scores = [10, 10, 9, 9, 9, 8, 7, 7, 6, 2]
    kinds = [category(s) for s in scores]
    count = NpsCount(kinds.count("promoter"), kinds.count("passive"), kinds.count("detractor"))
    assert (count.promoters, count.passives, count.detractors, count.answers) == (5, 3, 2, 10)
    assert count.nps == Decimal("30.0")


def test_nps_to_a_tenth_half_up_and_below_zero() -> None:
    # 1 promoter, 1 passive, 1 detractor: 33.3...% - 33.3...% = 0.
    assert nps(1, 1, 1) == Decimal("0.0")
    # 2 promoters of 3: 66.666...% -> 66.7; 0 detractors.
    assert nps(2, 1, 0) == Decimal("66.7")
    # 1 promoter, 0 passives, 2 detractors: (1 - 2) / 3 = -33.333...% -> -33.3.
    assert nps(1, 0, 2) == Decimal("-33.3")
    # Every answer a detractor: -100; none at all: no score.
    assert nps(0, 0, 4) == Decimal("-100.0")
    assert nps(0, 0, 0) is None


def test_an_answer_with_every_problem_named() -> None:
    ratings = {"sales": 0, "operations": None, "billing": 5}
    assert answer_problems(11, ratings, "x" * 2001) == [
        ("recommend", "score"),
        ("sales", "rating"),
        ("operations", "rating"),
        ("comment", "too_long"),
    ]
    assert answer_problems(0, {"sales": 1, "operations": 3, "billing": 5}, "x" * 2000) == []
