"""The retention report's account, funnel and reason figures read from the stored sums
(models/retention_tallies.py) for every property or one: the same figures the SQL of
reports/retention.py and retention_pipeline.py computes from the contracts, in a few thousand
rows instead of 100,000 contracts. A scope of a few properties is not kept (an account active
at two of them is one account, not two) and is computed from the contracts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.retention_events import EVERY_PROPERTY, label_reason
from ..extensions import db
from ..models.retention_tallies import tallies_as_of
from .retention import AccountFigures, Period, Scope
from .retention_pipeline import FunnelFigures, StepReason

ACCOUNT_FIGURES = (
    "before", "active", "retained", "new", "stays_held", "rebooked_12", "rebooked_24",
    "open_12", "open_24",
)  # fmt: skip
FUNNEL_FIGURES = (
    "inquiries", "signed", "lost", "undecided", "held", "cancelled", "ahead", "rebooked",
    "not_rebooked", "open",
)  # fmt: skip


@dataclass(frozen=True)
class Tallied:
    accounts: list[AccountFigures]
    funnel: list[FunnelFigures]
    reasons: list[StepReason]


def tallied_scope(scope: Scope) -> int | None:
    """The stored sums' scope for the report's: every property, or one; None: not kept."""
    if scope is None:
        return EVERY_PROPERTY
    return scope[0] if len(scope) == 1 else None


def tallied(periods: list[Period], as_of: date, scope: int) -> Tallied:
    """The three sections for the periods, as of the date, from the stored sums."""
    keys = [p.key for p in periods]
    found = tallies_as_of(db.session.connection(), scope, periods[0].by, keys, as_of)

    def value(key: int, figure: str) -> int:
        return found.get((key, figure, ""), 0)

    accounts = [AccountFigures(p, *(value(p.key, f) for f in ACCOUNT_FIGURES)) for p in periods]
    funnel = [FunnelFigures(p, *(value(p.key, f) for f in FUNNEL_FIGURES)) for p in periods]
    reasons = []
    for (key, figure, label), n in found.items():
        if figure == "reasons" and n:
            status, reason = label_reason(label)
            reasons.append(StepReason(key, "signed" if status == "lost" else "held", reason, n))
    # The SQL's order: period, status (cancelled before lost), most groups first, then reason
    # (none last, as PostgreSQL sorts it).
    reasons.sort(key=lambda r: (r.key, r.step == "signed", -r.groups, r.reason is None,
                                r.reason or ""))  # fmt: skip
    return Tallied(accounts, funnel, reasons)
