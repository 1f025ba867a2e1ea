"""The retention report's figures that are kept as stored sums (models/retention_tallies.py),
for every property or one: accounts, rebooking, the funnel and its reasons, damages decided,
lost business and churned accounts by reason. The same figures the SQL of reports/retention.py,
retention_pipeline.py, retention_care.py and retention_accounts.py (who leaves and who
stays) computes from the contracts, in a few thousand
rows instead of 100,000 contracts. A scope of a few properties is not kept (an account active
at two of them is one account, not two) and is computed from the contracts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..domain.retention_events import CHURNED_NIL, EVERY_PROPERTY
from ..domain.retention_losses import DAMAGES, label_reason
from ..extensions import db
from ..models.retention_tallies import Found, churned_revenue_behind, tallies_as_of
from ..models.types import SCALE
from .retention import (
    AccountFigures,
    ChurnedRevenue,
    Counted,
    Damages,
    LostFigures,
    Period,
    Scope,
)
from .retention_accounts import GroupFigures, GroupMoney
from .retention_care import ChurnReason
from .retention_churned import churned_revenue
from .retention_pipeline import FunnelFigures, StepReason

ACCOUNT_FIGURES = (
    "before", "active", "retained", "new", "stays_held", "rebooked_12", "rebooked_24",
    "open_12", "open_24",
)  # fmt: skip
FUNNEL_FIGURES = (
    "inquiries", "signed", "lost", "undecided", "held", "cancelled", "ahead", "rebooked",
    "not_rebooked", "open",
)  # fmt: skip
LOST_FIGURES = ("lost_groups", "lost_nights", "lost_revenue")
GROUP_FIGURES = ("accounts", "editions", "signed", "days", "complaints")
# Accounts left behind by imports that the report brings up to date itself, in Python; past
# that, the SQL over the churn spans (about 10 ms for every property by month).
MOST_BEHIND = 100


@dataclass(frozen=True)
class Tallied:
    counted: Counted | None  # None: every figure computed from the contracts
    funnel: list[FunnelFigures]
    reasons: list[StepReason]
    churn_reasons: list[ChurnReason]
    groups: list[GroupFigures]
    group_money: list[GroupMoney]


def tallied_scope(scope: Scope) -> int | None:
    """The stored sums' scope for the report's: every property, or one; None: not kept."""
    if scope is None:
        return EVERY_PROPERTY
    return scope[0] if len(scope) == 1 else None


def tallied(periods: list[Period], as_of: date, scope: int, year: int) -> Tallied:
    """The sections kept for the periods (and who left and stayed in `year`), as of the
    date, from the stored sums."""
    by = periods[0].by
    wanted = [(by, periods[0].key, periods[-1].key)]
    if by != "year":  # who left and who stayed: by year
        wanted.append(("year", year, year))
    read = tallies_as_of(db.session.connection(), scope, wanted, as_of)
    found, in_year = read.sums[by], read.sums["year"]

    def value(key: int, figure: str) -> int:
        return found.get((key, figure, ""), 0)

    accounts = [AccountFigures(p, *(value(p.key, f) for f in ACCOUNT_FIGURES)) for p in periods]
    funnel = [FunnelFigures(p, *(value(p.key, f) for f in FUNNEL_FIGURES)) for p in periods]
    churned = _churned(found, periods, as_of, scope, read.marked)
    counted = Counted(accounts, _damages(found), _lost(found), churned)
    groups, money = _groups(in_year, year)
    return Tallied(counted, funnel, _step_reasons(found), _churn_reasons(found), groups, money)


def _groups(found: Found, year: int) -> tuple[list[GroupFigures], list[GroupMoney]]:
    """Who left and who stayed in the year: the two groups' figures and their damages."""

    def value(figure: str, label: str) -> int:
        return found.get((year, f"group_{figure}", label), 0)

    groups = [
        GroupFigures(name, *(value(f, name) for f in GROUP_FIGURES))
        for name in ("churned", "retained")
    ]
    money = []
    for (key, figure, label), n in sorted(found.items()):
        if key == year and figure == "group_decided" and n:
            group, _, currency = label.partition("|")
            money.append(
                GroupMoney(group, currency, _money(value("collected", label)),
                           _money(value("waived", label)))
            )  # fmt: skip
    return groups, money


def _churned(
    found: Found, periods: list[Period], as_of: date, scope: int, marked: int
) -> list[ChurnedRevenue]:
    """Churned revenue per period and currency: the sums, with what the accounts left to the
    periodic job add since their last count; the SQL over the churn spans when many are."""
    behind = churned_revenue_behind(
        db.session.connection(), scope, (periods[0].by, periods[0].key, periods[-1].key), as_of,
        MOST_BEHIND, marked,
    )  # fmt: skip
    if behind is None:
        return churned_revenue(periods, as_of, scope)
    per: dict[tuple[int, str], int] = defaultdict(int)
    nil: dict[tuple[int, str], int] = defaultdict(int)
    for source in (found, behind):
        for (key, figure, label), n in source.items():
            if figure == "churned_revenue":
                per[(key, label)] += n
            elif figure == CHURNED_NIL:
                nil[(key, label)] += n
    shown = {k for k, n in per.items() if n} | {k for k, n in nil.items() if n}
    return [
        ChurnedRevenue(key, currency, _money(per[(key, currency)]))
        for key, currency in sorted(shown)
    ]


def _money(units: int) -> Decimal:
    return Decimal(units).scaleb(-SCALE)


def _by_label(found: Found, figures: tuple[str, ...]) -> dict[tuple[int, str], dict[str, int]]:
    """(period, label) -> {figure: value} for the figures named, as one row shows them."""
    per: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for (key, figure, label), n in found.items():
        if figure in figures:
            per[(key, label)][figure] = n
    return per


def _damages(found: Found) -> list[Damages]:
    per = _by_label(found, DAMAGES)
    return [
        Damages(key, currency, *(_money(sums.get(f, 0)) for f in DAMAGES))
        for (key, currency), sums in sorted(per.items())
        if any(sums.values())
    ]


def _lost(found: Found) -> list[LostFigures]:
    out = []
    for (key, label), sums in _by_label(
        found, ("lost_groups", "lost_nights", "lost_revenue")
    ).items():
        if sums.get("lost_groups"):
            reason, _, currency = label.rpartition("|")
            status, why = label_reason(reason)
            out.append(
                LostFigures(
                    key, status, why, currency, sums["lost_groups"], sums.get("lost_nights", 0),
                    _money(sums.get("lost_revenue", 0)),
                )
            )  # fmt: skip
    # The SQL's order: period, status, reason (none last, as PostgreSQL sorts), currency.
    return sorted(out, key=lambda f: (f.key, f.status, f.reason is None, f.reason or "",
                                      f.currency))  # fmt: skip


def _step_reasons(found: Found) -> list[StepReason]:
    reasons = []
    for (key, figure, label), n in found.items():
        if figure == "reasons" and n:
            status, reason = label_reason(label)
            reasons.append(StepReason(key, "signed" if status == "lost" else "held", reason, n))
    # The SQL's order: period, status (cancelled before lost), most groups first, then reason.
    return sorted(reasons, key=lambda r: (r.key, r.step == "signed", -r.groups,
                                          r.reason is None, r.reason or ""))  # fmt: skip


def _churn_reasons(found: Found) -> list[ChurnReason]:
    out = [
        ChurnReason(key, label[1:] if label else None, n)
        for (key, figure, label), n in found.items()
        if figure == "churned" and n
    ]
    return sorted(out, key=lambda c: (c.key, -c.accounts, c.reason is None, c.reason or ""))
