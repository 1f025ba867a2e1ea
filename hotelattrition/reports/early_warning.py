"""Early warning: the groups of a property heading for attrition, while there is time to act.

A group is listed when it is open (tentative or definite), arrives after today, is still short
of its room-night minimum (its stored settlement has a shortfall) and is behind the straight
line from signing (no pickup) to the cut-off date (the minimum reached); the cut-off is the
arrival when the contract sets none, and signing is the first block's date when it has no
signing date. Its projected damages are its stored settlement total: what it would owe if
pickup stayed where it is. Rows come sorted by that money at risk within each currency;
"today" and the day counts are the property's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from sqlalchemy import func, select

from ..domain.money import EXACT, round_ratio
from ..extensions import db
from ..models import Account, BlockRevision, Contract, Property, ReviewDate, StoredSettlement
from ..models.contracts import not_voided
from .csv_export import csv_text, money_cell

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class WarningRow:
    code: str
    name: str
    account: str
    status: str
    currency: str
    signed_on: date
    arrival: date
    cutoff: date
    next_review: date | None
    minimum: Decimal
    picked_up: int
    still_needed: Decimal  # room nights short of the minimum (the stored shortfall)
    damages: Decimal  # projected: the stored settlement total
    expected: Decimal  # room nights the straight-line pace reaches by today
    days_to_cutoff: int
    days_to_review: int | None

    @property
    def behind_pace(self) -> Decimal:
        return self.expected - self.picked_up


@dataclass(frozen=True)
class EarlyWarning:
    property_code: str
    property_name: str
    today: date
    rows: list[WarningRow]
    on_pace: int  # open future groups short of the minimum but on or ahead of pace
    with_tentative: bool = False  # count tentative groups in at_risk

    @property
    def tentative(self) -> int:
        """Tentative groups listed (left out of at_risk unless asked)."""
        return sum(1 for row in self.rows if row.status == "tentative")

    @property
    def at_risk(self) -> dict[str, Decimal]:
        """Projected damages of the groups listed, per currency; tentative ones when asked."""
        totals: dict[str, Decimal] = {}
        for row in self.rows:
            if row.status == "tentative" and not self.with_tentative:
                continue
            totals[row.currency] = totals.get(row.currency, Decimal(0)) + row.damages
        return totals


def pace_expected(minimum: Decimal, start: date, cutoff: date, today: date) -> Decimal:
    """Room nights picked up by today on the straight line from start (0) to cut-off (minimum)."""
    span = (cutoff - start).days
    if span <= 0 or today >= cutoff:
        return minimum
    elapsed = max((today - start).days, 0)
    with localcontext(EXACT):
        return round_ratio(minimum * elapsed, span, TENTH)


def early_warning(prop: Property, today: date, with_tentative: bool = False) -> EarlyWarning:
    """The property's groups behind pace to their minimum, by money at risk."""
    first_block = (
        select(BlockRevision.effective_on)
        .where(BlockRevision.contract_id == Contract.id, BlockRevision.number == 1)
        .scalar_subquery()
    )
    next_review = (
        select(func.min(ReviewDate.review_on))
        .where(ReviewDate.contract_id == Contract.id, ReviewDate.review_on >= today)
        .scalar_subquery()
    )
    stmt = (
        select(
            Contract.code,
            Contract.name,
            Account.name.label("account"),
            Contract.status,
            StoredSettlement.currency,
            func.coalesce(Contract.signed_on, first_block).label("signed_on"),
            Contract.arrival,
            func.coalesce(Contract.cutoff_on, Contract.arrival).label("cutoff"),
            next_review.label("next_review"),
            StoredSettlement.minimum,
            StoredSettlement.picked_up,
            StoredSettlement.shortfall.label("still_needed"),
            StoredSettlement.total.label("damages"),
        )
        .join(Account, Account.id == Contract.account_id)
        .join(StoredSettlement, StoredSettlement.contract_id == Contract.id)
        .where(
            Contract.property_id == prop.id,
            not_voided(),
            Contract.status.in_(("tentative", "definite")),
            Contract.arrival > today,
            StoredSettlement.shortfall > Decimal(0),
        )
        .order_by(
            StoredSettlement.currency,
            StoredSettlement.total.desc(),
            StoredSettlement.shortfall.desc(),
            Contract.code,
        )
    )
    rows, on_pace = [], 0
    for row in db.session.execute(stmt):
        expected = pace_expected(row.minimum, row.signed_on, row.cutoff, today)
        if row.picked_up >= expected:
            on_pace += 1
            continue
        review = row.next_review
        rows.append(
            WarningRow(
                **row._asdict(),
                expected=expected,
                days_to_cutoff=(row.cutoff - today).days,
                days_to_review=(review - today).days if review else None,
            )
        )
    return EarlyWarning(prop.code, prop.name, today, rows, on_pace, with_tentative)


CSV_HEADER = (
    "code", "group", "account", "status", "currency", "signed_on", "arrival", "cutoff",
    "days_to_cutoff", "next_review", "days_to_review", "minimum", "picked_up",
    "expected_by_today", "behind_pace", "still_needed", "projected_damages",
)  # fmt: skip


def early_warning_csv(report: EarlyWarning) -> str:
    lines = []
    for r in report.rows:
        lines.append((
            r.code, r.name, r.account, r.status, r.currency, r.signed_on, r.arrival, r.cutoff,
            r.days_to_cutoff, r.next_review, r.days_to_review, r.minimum, r.picked_up,
            r.expected, r.behind_pace, r.still_needed, money_cell(r.damages, r.currency),
        ))  # fmt: skip
    return csv_text(CSV_HEADER, lines)
