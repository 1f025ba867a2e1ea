"""The post-event survey: what an answer means, and the Net Promoter Score of a set of them.

The planner answers "How likely are you to recommend us?" from 0 to 10: 9 and 10 are
promoters, 7 and 8 passives, 0 to 6 detractors. The NPS is the promoters' share minus the
detractors' share, in percentage points (-100 to 100), to a tenth, half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from .money import EXACT, round_ratio

SCORES = range(0, 11)  # the recommendation question
RATINGS = range(1, 6)  # sales, operations, billing
RATED = ("sales", "operations", "billing")
COMMENT_MAX = 2000
PROMOTER_FROM = 9
DETRACTOR_UPTO = 6
TENTH = Decimal("0.1")


def category(score: int) -> str:
    """promoter (9-10), passive (7-8) or detractor (0-6)."""
    if score not in SCORES:
        raise ValueError(f"a recommendation score is 0 to 10, not {score!r}")
    if score >= PROMOTER_FROM:
        return "promoter"
    if score <= DETRACTOR_UPTO:
        return "detractor"
    return "passive"


@dataclass(frozen=True)
class NpsCount:
    """How many answers of each kind a set holds, and its score."""

    promoters: int
    passives: int
    detractors: int

    @property
    def answers(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def nps(self) -> Decimal | None:
        """Promoters % minus detractors %, to a tenth; None without an answer."""
        return nps(self.promoters, self.passives, self.detractors)


def nps(promoters: int, passives: int, detractors: int) -> Decimal | None:
    """Promoters % minus detractors % of all answers, to a tenth (half up); None for none."""
    total = promoters + passives + detractors
    if total <= 0:
        return None
    with localcontext(EXACT):
        return round_ratio(Decimal(promoters - detractors) * 100, total, TENTH)


def answer_problems(
    recommend: int | None, ratings: dict[str, int | None], comment: str
) -> list[tuple[str, str]]:
    """The (field, code) pairs an answer breaks: a score out of range, a comment too long."""
    problems = []
    if recommend is None or recommend not in SCORES:
        problems.append(("recommend", "score"))
    for name in RATED:
        value = ratings.get(name)
        if value is None or value not in RATINGS:
            problems.append((name, "rating"))
    if len(comment) > COMMENT_MAX:
        problems.append(("comment", "too_long"))
    return problems
