"""Retention figures per period: repeat accounts kept, rebooked, new and churned, damages
decided, lost business by reason. Every figure is a GROUP BY in SQL over stored rows, as of a
date (only rows entered by then: contracts, decisions, reviews, snapshots, ledger entries).

Definitions (the page says them too):
* an account is **active** in a period when one of its contracts arrives in it, not voided and
  not lost or cancelled;
* by year, **retained** in a year: active in the year before and in this one; **retention** is
  retained over the accounts active the year before; **churned**: active the year before and
  not in this one, with the revenue they realised in the year before;
* by month, the same over trailing windows: a month's accounts are those active in the 12
  months ending with it, compared with the 12 months before them (retained in both, churned
  in the earlier only, with what they realised in the earlier 12 months): an annual group
  is not churned in every month it does not arrive in;
* **new**: active in the period with no active contract arriving before it;
* a stay is **held** when signed (definite or settled) and departed by the date; it is
  **rebooked within N months** when a later contract of the account (arriving after it, not
  lost) was entered before N months after its departure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    select,
    true,
    type_coerce,
    union_all,
)

from ..domain.contract_statuses import HELD_STATUSES, LOST_STATUSES
from ..domain.money import ZERO
from ..domain.retention_events import period_start, window_of
from ..extensions import db
from ..models import BlockNight, BlockRevision, Contract, Property
from ..models.settlement_decisions import DecisionReview, SettlementDecision
from ..models.types import ExactDecimal
from .retention_sql import (
    _current_revision,
    counted,
    in_force,
    is_active,
    period_key,
    plus_months,
    realised_revenue,
    rebooked_within,
    rebookings,
)

Scope = tuple[int, ...] | None  # the property ids in the report; None: every property
BY = ("year", "month")
YEARS_SHOWN = 5  # the year view: the chosen year and the four before


@dataclass(frozen=True)
class Period:
    by: str  # "year" or "month"
    key: int  # the year, or year x 12 + month - 1
    start: date
    end: date  # the first day after it

    @property
    def before(self) -> Period:
        return period_of(self.by, self.key - 1)


def period_of(by: str, key: int) -> Period:
    return Period(by, key, period_start(key, by), period_start(key + 1, by))


def periods_for(by: str, year: int) -> list[Period]:
    """The periods shown: the year's twelve months, or five years up to it."""
    if by == "year":
        return [period_of(by, y) for y in range(year - YEARS_SHOWN + 1, year + 1)]
    return [period_of(by, year * 12 + m) for m in range(12)]


def pct(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage to one place; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class AccountFigures:
    period: Period
    active_before: int  # accounts active in the period before
    active: int
    retained: int  # active before and now
    new: int
    held: int  # stays departed in the period
    rebooked_12: int
    rebooked_24: int
    open_12: int  # held stays whose 12 months after departure had not ended by the date
    open_24: int

    @property
    def churned(self) -> int:
        return self.active_before - self.retained

    @property
    def retention_pct(self) -> Decimal | None:
        return pct(self.retained, self.active_before)

    @property
    def rebook_12_pct(self) -> Decimal | None:
        return pct(self.rebooked_12, self.held)

    @property
    def rebook_24_pct(self) -> Decimal | None:
        return pct(self.rebooked_24, self.held)


@dataclass
class MoneyFigures:
    """One period's money in one currency."""

    key: int
    currency: str
    churned_revenue: Decimal = ZERO  # realised by the churned in the 12 months before
    assessed: Decimal = ZERO  # damages decided on (collect, waive, convert in force)
    collected: Decimal = ZERO  # damages less what was waived, for collect and waive
    waived: Decimal = ZERO
    converted: Decimal = ZERO


@dataclass(frozen=True)
class LostFigures:
    key: int
    status: str  # lost (never signed) or cancelled
    reason: str | None
    currency: str
    groups: int
    room_nights: int
    revenue: Decimal  # the block's room revenue the hotel did not get


@dataclass
class RetentionFigures:
    accounts: list[AccountFigures]
    money: list[MoneyFigures] = field(default_factory=list)
    lost: list[LostFigures] = field(default_factory=list)


@dataclass(frozen=True)
class Damages:
    """One period's damages decided in one currency."""

    key: int
    currency: str
    assessed: Decimal
    collected: Decimal
    waived: Decimal
    converted: Decimal


@dataclass(frozen=True)
class Counted:
    """The figures read from the stored sums (reports/retention_tallied.py), not computed here."""

    accounts: list[AccountFigures]
    damages: list[Damages]
    lost: list[LostFigures]
    churned: list[ChurnedRevenue]


@dataclass(frozen=True)
class ChurnedRevenue:
    """What the accounts churned in a period realised in the window before, in one currency."""

    key: int
    currency: str
    revenue: Decimal


def retention_figures(
    periods: list[Period], as_of: date, scope: Scope, stored: Counted | None = None
) -> RetentionFigures:
    """Accounts, rebooking, money and lost business for each period, as of the date (the
    stored ones given in `stored`, the rest computed)."""
    figures = RetentionFigures(stored.accounts if stored else _accounts(periods, as_of, scope))
    money: dict[tuple[int, str], MoneyFigures] = {}
    for row in stored.churned if stored else _churned_revenue(periods, as_of, scope):
        _money(money, row.key, row.currency).churned_revenue = row.revenue
    for d in stored.damages if stored else _damages(periods, as_of, scope):
        m = _money(money, d.key, d.currency)
        m.assessed, m.collected, m.waived, m.converted = (
            d.assessed, d.collected, d.waived, d.converted,
        )  # fmt: skip
    figures.money = sorted(money.values(), key=lambda m: (m.key, m.currency))
    figures.lost = stored.lost if stored else _lost(periods, as_of, scope)
    return figures


def _money(found: dict[tuple[int, str], MoneyFigures], key: int, currency: str) -> MoneyFigures:
    return found.setdefault((key, currency), MoneyFigures(key, currency))


def _masks(periods: list[Period], as_of: date, scope: Scope, firsts: bool = False) -> Any:
    """(account_id, mask) per account active in the windows the periods compare: bit i of
    the mask is set when the account is active in period `base + i` (`_base`). One row per
    account, read once, where joining every active period to every shown period rescanned
    the contracts per period shown (12 times by month). With `firsts`, every account active
    up to the last period, with `first`: the period of its first arrival."""
    by, base = periods[0].by, _base(periods)
    key = period_key(Contract.arrival, by)
    active = (
        select(Contract.account_id, key.label("key"))
        .where(counted(as_of, scope), is_active())
        .where(Contract.arrival < periods[-1].end)
        .distinct()
    )
    if not firsts:
        active = active.where(Contract.arrival >= period_of(by, base).start)
    found = active.subquery("active")
    # (key, account) is distinct, so the sum of the bits is their OR (SQLite has no bit_or).
    shifted = literal(1, BigInteger).op("<<")(found.c.key - base)
    bit: Any = case((found.c.key >= base, shifted), else_=0) if firsts else shifted
    columns = [found.c.account_id, cast(func.sum(bit), BigInteger).label("mask")]
    if firsts:
        columns.append(func.min(found.c.key).label("first"))
    return select(*columns).group_by(found.c.account_id).subquery("masks")


def _base(periods: list[Period]) -> int:
    """The first period a mask holds: the start of the earlier window of the first period."""
    return periods[0].key - 2 * window_of(periods[0].by) + 1


def _shown(periods: list[Period]) -> Any:
    return union_all(*(select(literal(p.key).label("key")) for p in periods)).subquery("shown")


def _in_window(mask: Any, key: Any, base: int, w: int, back: int) -> ColumnElement[bool]:
    """Whether the mask has a period in the window of `w` periods ending `back` windows
    before the period `key` (back 0: the window ending with it)."""
    shift = key - base - (back + 1) * w + 1
    return mask.op(">>")(shift).op("&")(literal((1 << w) - 1, BigInteger)) != 0


def _now_and_before(mask: Any, key: Any, periods: list[Period]) -> tuple[Any, Any]:
    base, w = _base(periods), window_of(periods[0].by)
    return _in_window(mask, key, base, w, 0), _in_window(mask, key, base, w, 1)


def _accounts(periods: list[Period], as_of: date, scope: Scope) -> list[AccountFigures]:
    masks = _masks(periods, as_of, scope, firsts=True)
    # Accounts with the same mask (and first period, if it is shown) count alike: each shown
    # period tests each mask once. New: the first arrival is in the period.
    first = case((masks.c.first < periods[0].key, periods[0].key - 1), else_=masks.c.first).label(
        "first"
    )
    alike = (
        select(masks.c.mask, first, func.count().label("n"))
        .group_by(masks.c.mask, first)
        .subquery("alike")
    )
    shown = _shown(periods)
    now, before = _now_and_before(alike.c.mask, shown.c.key, periods)

    def accounts_if(condition: Any) -> Any:
        return func.sum(case((condition, alike.c.n), else_=0))

    counts = {
        r.key: r
        for r in db.session.execute(
            select(shown.c.key, accounts_if(now).label("active"),
                   accounts_if(before).label("before"),
                   accounts_if(and_(now, before)).label("kept"),
                   accounts_if(alike.c.first == shown.c.key).label("new"))
            .select_from(shown)
            .join(alike, true())
            .group_by(shown.c.key)
        )
    }  # fmt: skip
    held = _held(periods, as_of, scope)
    out = []
    for p in periods:
        c = counts.get(p.key)
        h = held.get(p.key)
        out.append(
            AccountFigures(
                p, int(c.before) if c else 0, int(c.active) if c else 0,
                int(c.kept) if c else 0, int(c.new) if c else 0,
                *(tuple(getattr(h, f) or 0 for f in ("held", "r12", "r24", "o12", "o24"))
                  if h else (0, 0, 0, 0, 0)),
            )
        )  # fmt: skip
    return out


def _held(periods: list[Period], as_of: date, scope: Scope) -> dict[int, Any]:
    """Per period of departure: stays held, rebooked within 12 and 24 months, windows open."""
    stays = (
        select(Contract.id, Contract.account_id, Contract.arrival, Contract.departure)
        .where(counted(as_of, scope), Contract.status.in_(HELD_STATUSES))
        .where(Contract.departure <= as_of, Contract.departure >= periods[0].start)
        .where(Contract.departure < periods[-1].end)
        .subquery("held")
    )
    again = rebookings(stays, as_of, scope)
    key = period_key(stays.c.departure, periods[0].by)

    def count_if(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    stmt = (
        select(
            key.label("key"),
            func.count().label("held"),
            count_if(rebooked_within(again.c.again_on, stays.c.departure, 12)).label("r12"),
            count_if(rebooked_within(again.c.again_on, stays.c.departure, 24)).label("r24"),
            count_if(plus_months(stays.c.departure, literal(12)) > as_of).label("o12"),
            count_if(plus_months(stays.c.departure, literal(24)) > as_of).label("o24"),
        )
        .select_from(stays)
        .outerjoin(again, again.c.id == stays.c.id)
        .group_by(key)
    )
    return {r.key: r for r in db.session.execute(stmt)}


def _churned_revenue(periods: list[Period], as_of: date, scope: Scope) -> list[ChurnedRevenue]:
    """Per period and currency, what the accounts churned in the period realised in the
    window before (the year before; by month, the 12 months before the trailing 12): one pass
    over the revenue, whatever the number of periods."""
    by, w = periods[0].by, window_of(periods[0].by)
    masks, shown = _masks(periods, as_of, scope), _shown(periods)
    now, before = _now_and_before(masks.c.mask, shown.c.key, periods)
    # A CTE, computed once: as a subquery the planner (which cannot estimate the windows'
    # filter) re-ran it per revenue row.
    churned = (
        select(masks.c.account_id, shown.c.key)
        .select_from(shown)
        .join(masks, true())
        .where(before, ~now)
        .cte("churned")
    )
    key = period_key(Contract.arrival, by)
    earlier = and_(
        counted(as_of, scope), is_active(),
        Contract.arrival >= period_of(by, periods[0].key - 2 * w + 1).start,
        Contract.arrival < period_of(by, periods[-1].key - w + 1).start,
    )  # fmt: skip
    wanted = select(Contract.id).where(
        earlier, Contract.account_id.in_(select(churned.c.account_id))
    )
    realised = realised_revenue(as_of, wanted)
    stmt = (
        select(
            churned.c.key,
            Property.currency,
            type_coerce(func.sum(realised.c.revenue), ExactDecimal()).label("revenue"),
        )
        .select_from(realised)
        .join(Contract, Contract.id == realised.c.contract_id)
        .join(Property, Property.id == Contract.property_id)
        .join(churned, churned.c.account_id == Contract.account_id)
        .where(key > churned.c.key - 2 * w, key <= churned.c.key - w)
        .group_by(churned.c.key, Property.currency)
    )
    return [ChurnedRevenue(**r._mapping) for r in db.session.execute(stmt)]


def decided(as_of: date, among: Select | None) -> Any:
    """Per contract `among` selects (their ids; None: every contract, for a caller that joins
    its own), the damages its decisions in force (as of the date) assessed, collected, waived
    and converted. A waiver after a collect takes its amount off the damages once."""
    kind, amount = SettlementDecision.kind, SettlementDecision.amount
    waived = func.coalesce(func.sum(case((kind == "waive", amount))), 0)
    owed = func.coalesce(
        func.max(case((kind.in_(("collect", "waive")), SettlementDecision.damages))), 0
    )
    return (
        select(
            SettlementDecision.contract_id,
            SettlementDecision.currency,
            func.max(SettlementDecision.damages).label("assessed"),
            (owed - waived).label("collected"),
            waived.label("waived"),
            func.coalesce(func.sum(case((kind == "convert", amount))), 0).label("converted"),
        )
        .outerjoin(DecisionReview, DecisionReview.decision_id == SettlementDecision.id)
        .where(in_force(as_of))
        .where(true() if among is None else SettlementDecision.contract_id.in_(among))
        .group_by(SettlementDecision.contract_id, SettlementDecision.currency)
        .subquery("decided")
    )


def _damages(periods: list[Period], as_of: date, scope: Scope) -> list[Damages]:
    """Per period of arrival and currency: damages assessed, collected, waived, converted."""
    arrived = and_(
        counted(as_of, scope), Contract.arrival >= periods[0].start,
        Contract.arrival < periods[-1].end,
    )  # fmt: skip
    # Every property: the decisions are few, the periods' contracts many; the join below
    # keeps those that arrived in them.
    per = decided(as_of, None if scope is None else select(Contract.id).where(arrived))
    key = period_key(Contract.arrival, periods[0].by).label("key")

    def total(column: Any, name: str) -> Any:
        return type_coerce(func.sum(column), ExactDecimal()).label(name)

    stmt = (
        select(key, per.c.currency, total(per.c.assessed, "assessed"),
               total(per.c.collected, "collected"), total(per.c.waived, "waived"),
               total(per.c.converted, "converted"))
        .join(Contract, Contract.id == per.c.contract_id)
        .where(arrived)
        .group_by(key, per.c.currency)
    )  # fmt: skip
    return [Damages(**r._mapping) for r in db.session.execute(stmt)]


def block_totals(as_of: date, contracts: Select) -> Any:
    """Per contract `contracts` selects (their ids), its block as of the date: room nights and
    room revenue (rooms x rate)."""
    wanted = contracts.subquery("wanted")
    return (
        select(
            BlockRevision.contract_id,
            func.sum(BlockNight.rooms).label("room_nights"),
            func.sum(BlockNight.rooms * type_coerce(BlockNight.rate, BigInteger)).label("revenue"),
        )
        .join(wanted, wanted.c.id == BlockRevision.contract_id)
        .join(BlockNight, BlockNight.revision_id == BlockRevision.id)
        .where(_current_revision(as_of))
        .group_by(BlockRevision.contract_id)
        .subquery("blocks")
    )


def _lost(periods: list[Period], as_of: date, scope: Scope) -> list[LostFigures]:
    """Lost and cancelled groups per period of arrival, status, reason and currency."""
    lost = and_(
        counted(as_of, scope), Contract.status.in_(LOST_STATUSES),
        Contract.arrival >= periods[0].start, Contract.arrival < periods[-1].end,
    )  # fmt: skip
    blocks = block_totals(as_of, select(Contract.id).where(lost))
    key = period_key(Contract.arrival, periods[0].by).label("key")
    stmt = (
        select(
            key, Contract.status, Contract.lost_reason.label("reason"), Property.currency,
            func.count(Contract.id).label("groups"),
            cast(func.coalesce(func.sum(blocks.c.room_nights), 0), Integer)
            .label("room_nights"),
            type_coerce(func.coalesce(func.sum(blocks.c.revenue), 0), ExactDecimal())
            .label("revenue"),
        )
        .join(Property, Property.id == Contract.property_id)
        .outerjoin(blocks, blocks.c.contract_id == Contract.id)
        .where(lost)
        .group_by(key, Contract.status, Contract.lost_reason, Property.currency)
        .order_by(key, Contract.status, Contract.lost_reason, Property.currency)
    )  # fmt: skip
    return [LostFigures(**r._mapping) for r in db.session.execute(stmt)]
