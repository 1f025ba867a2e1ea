"""Accounts at risk at a hotel: repeat customers slipping away, most valuable first.

An account is counted with its affiliates (its parent and the parent's other affiliates, as
models.accounts.affiliated_account_ids): a family of accounts is one customer here, shown
under its parent when the parent stayed at the hotel, else under the affiliate that came
last. Its editions are its held contracts (definite or settled) arriving by today. The
figures are read in SQL (domain.at_risk decides from them): per family in one GROUP BY, its
editions' arrivals and damages in the same statement; the lifetime value (room revenue at the
block's rates for the rooms picked up, plus F&B actually spent) and the open follow-ups only
for the families at risk. A family whose accounts at the hotel are all marked lost has
churned: it leaves the list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    Select,
    and_,
    bindparam,
    case,
    exists,
    func,
    select,
    true,
    type_coerce,
)
from sqlalchemy.orm import aliased

from ..domain.at_risk import REPEAT_EDITIONS, AccountFigures, RiskReason, add_months, risk_reasons
from ..extensions import db
from ..models import (
    Account,
    BlockNight,
    BlockRevision,
    Complaint,
    Contract,
    FollowUp,
    Property,
    RevenueSnapshot,
    RoomNightSnapshot,
    StoredSettlement,
    SurveyAnswer,
    User,
)
from ..models.contracts import is_current_revision, not_voided
from ..models.id_sets import among
from ..models.pickup import is_latest_snapshot
from ..models.types import ExactDecimal
from .csv_export import csv_text, money_cell

HELD = ("definite", "settled")
ZERO = Decimal(0)


@dataclass(frozen=True)
class OpenFollowUp:
    id: int
    kind: str
    due_on: date
    owner: str
    note: str


@dataclass(frozen=True)
class AtRiskRow:
    account_id: int
    name: str
    affiliates: int  # other accounts of the family with stays at the hotel
    editions: int
    last_arrival: date
    lifetime_value: Decimal  # in the hotel's currency
    reasons: list[RiskReason]
    followup: OpenFollowUp | None  # the open one due soonest


@dataclass(frozen=True)
class AtRiskList:
    property_code: str
    currency: str
    today: date
    drop_pct: Decimal
    rows: list[AtRiskRow]


def family() -> ColumnElement[int]:
    """The family an account belongs to: its parent's id, or its own when it has none."""
    return func.coalesce(Account.parent_id, Account.id)


def at_risk_accounts(prop: Property, today: date) -> AtRiskList:
    """The hotel's repeat accounts at risk today, largest lifetime value first."""
    found: dict[int, list[RiskReason]] = {}
    arrivals: dict[int, tuple[date, ...]] = {}
    for fam, figures in _figures(prop, today).items():
        reasons = risk_reasons(figures, today, prop.at_risk_drop_pct)
        if reasons:
            found[fam], arrivals[fam] = reasons, figures.arrivals
    families = sorted(found)
    shown = _shown_accounts(prop, families)
    value = _lifetime_values(prop, today, families)
    followups = _open_followups([account["id"] for account in shown.values()])
    rows = [
        AtRiskRow(
            account_id=account["id"],
            name=account["name"],
            affiliates=account["affiliates"],
            editions=len(arrivals[fam]),
            last_arrival=max(arrivals[fam]),
            lifetime_value=value.get(fam, ZERO),
            reasons=found[fam],
            followup=followups.get(account["id"]),
        )
        for fam, account in shown.items()
    ]
    rows.sort(key=lambda row: (-row.lifetime_value, row.name))
    return AtRiskList(prop.code, prop.currency, today, prop.at_risk_drop_pct, rows)


def family_reasons(
    hotels: Sequence[tuple[Property, date]], account: Account, family_ids: list[int]
) -> dict[int, list[RiskReason]]:
    """Per hotel (by id), why the account's family (`family_ids`, as affiliated_account_ids
    reads it) is at risk there on its today; none: not at risk there, or every account of
    the family there is marked lost. One statement per distinct today for the figures, one
    for the accounts shown, however many hotels: the account page of a customer of many."""
    if not hotels or not family_ids:
        return {}
    root = account.parent_id or account.id
    by_id = {prop.id: prop for prop, _ in hotels}
    days: dict[date, list[int]] = defaultdict(list)
    for prop, today in hotels:
        days[today].append(prop.id)
    figures = {
        key: (found, today)
        for today, ids in sorted(days.items())
        for key, found in _hotel_figures(ids, today, family_ids).items()
    }
    # Asked always: the page's queries stay the same. The family's members are among its
    # ids, whose index finds their few contracts (coalesce(parent, id) has none).
    staying = _hotel_shown(list(by_id), [root], family_ids)
    reasons = {}
    for pid, prop in by_id.items():
        found = figures.get((pid, root))
        if found is None or (pid, root) not in staying:
            continue
        reasons[pid] = risk_reasons(found[0], found[1], prop.at_risk_drop_pct)
    return {pid: found for pid, found in reasons.items() if found}


def _figures(prop: Property, today: date) -> dict[int, AccountFigures]:
    """Per repeat family at the hotel: the figures domain.at_risk decides from."""
    return {fam: found for (_, fam), found in _hotel_figures([prop.id], today).items()}


def _hotel_figures(
    property_ids: list[int], today: date, account_ids: list[int] | None = None
) -> dict[tuple[int, int], AccountFigures]:
    """Per hotel and repeat family there (of these accounts only, when given), the hotels
    sharing this today: the figures domain.at_risk decides from."""
    params: dict[str, Any] = {
        "today": today,
        "year_ago": add_months(today, -12),
        "two_years_ago": add_months(today, -24),
    }
    one_hotel = len(property_ids) == 1
    params |= {"hotel": property_ids[0]} if one_hotel else {"hotels": property_ids}
    if account_ids is not None:
        params["accounts"] = account_ids
    rows: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for row in db.session.execute(_figures_select(one_hotel, account_ids is not None), params):
        rows[row.property_id, row.family].append(row)
    return {key: _family_figures(editions, today) for key, editions in rows.items()}


@cache  # built once per shape (its CASEs and subqueries cost more to build than to run)
def _figures_select(one_hotel: bool, by_accounts: bool) -> Select:
    """_hotel_figures' statement: its days, hotels and accounts are parameters ("today",
    "year_ago", "two_years_ago"; "hotel" or "hotels"; "accounts" when `by_accounts`)."""
    today = bindparam("today", type_=Date())
    year_ago, two_years_ago = (
        bindparam("year_ago", type_=Date()),
        bindparam("two_years_ago", type_=Date()),
    )
    fam = family().label("family")
    held = Contract.status.in_(HELD)
    arrived = and_(held, Contract.arrival <= today)
    picked = func.coalesce(StoredSettlement.picked_up, 0)

    def room_nights(start: Any, end: Any, label: str) -> Any:
        within = and_(held, Contract.arrival >= start, Contract.arrival < end)
        return func.coalesce(func.sum(case((within, picked), else_=0)), 0).label(label)

    open_complaints = (
        select(Complaint.contract_id, func.count(Complaint.id).label("open"))
        .where(Complaint.resolved_on.is_(None))
        .group_by(Complaint.contract_id)
        .subquery()
    )
    # One hotel (the early-warning list) by equality, as its statement always read.
    if one_hotel:
        at_hotel = and_(Contract.property_id == bindparam("hotel"), not_voided())
    else:
        at_hotel = and_(Contract.property_id.in_(bindparam("hotels", expanding=True)), not_voided())
    if by_accounts:
        at_hotel = and_(at_hotel, Contract.account_id.in_(bindparam("accounts", expanding=True)))
    families = (
        select(
            Contract.property_id,
            fam,
            func.count(
                case((and_(Contract.status == "definite", Contract.departure >= today), 1))
            ).label("ahead"),
            room_nights(year_ago, today, "last"),
            room_nights(two_years_ago, year_ago, "prior"),
            func.coalesce(func.sum(open_complaints.c.open), 0).label("complaints"),
        )
        .select_from(Contract)
        .join(Account, Account.id == Contract.account_id)
        .outerjoin(StoredSettlement, StoredSettlement.contract_id == Contract.id)
        .outerjoin(open_complaints, open_complaints.c.contract_id == Contract.id)
        .where(at_hotel)
        .group_by(Contract.property_id, family())
        .having(func.count(case((arrived, 1))) >= REPEAT_EDITIONS)
        .subquery()
    )
    return (
        select(
            families,
            Contract.arrival,
            Contract.departure,
            func.coalesce(StoredSettlement.total, ZERO).label("damages"),
            SurveyAnswer.recommend.label("score"),
            SurveyAnswer.category.label("survey"),
        )
        .select_from(Contract)
        .join(Account, Account.id == Contract.account_id)
        .join(
            families,
            and_(families.c.property_id == Contract.property_id, families.c.family == family()),
        )
        .outerjoin(StoredSettlement, StoredSettlement.contract_id == Contract.id)
        .outerjoin(SurveyAnswer, SurveyAnswer.contract_id == Contract.id)
        .where(at_hotel, arrived)
        .order_by(families.c.property_id, families.c.family, Contract.departure)
    )


def _at_hotels(property_ids: list[int]) -> ColumnElement[bool]:
    """The contracts at these hotels: one hotel (the early-warning list) by equality, as its
    statements always read."""
    if len(property_ids) == 1:
        return Contract.property_id == property_ids[0]
    return among(Contract.property_id, property_ids)


def _family_figures(editions: list[Any], today: date) -> AccountFigures:
    first, over = editions[0], [e for e in editions if e.departure < today]
    return AccountFigures(
        arrivals=tuple(e.arrival for e in editions),
        signed_ahead=first.ahead > 0,
        room_nights_last=int(first.last),
        room_nights_prior=int(first.prior),
        last_damages=over[-1].damages if over else ZERO,  # ordered by departure
        open_complaints=int(first.complaints),
        last_detractor=over[-1].score if over and over[-1].survey == "detractor" else None,
    )


def _shown_accounts(prop: Property, families: list[int]) -> dict[int, dict[str, Any]]:
    """Per family, the account it is shown under: its parent if the parent stayed at the hotel,
    else the affiliate that came last; accounts marked lost are passed over, and a family
    with none left is left out."""
    return {fam: shown for (_, fam), shown in _hotel_shown([prop.id], families).items()}


def _hotel_shown(
    property_ids: list[int], families: list[int], account_ids: list[int] | None = None
) -> dict[tuple[int, int], dict[str, Any]]:
    """_shown_accounts at several hotels: per hotel and family, the account shown there;
    `account_ids`, when given, holds every member of the families."""
    if not families:
        return {}
    members_of = among(Contract.account_id, account_ids) if account_ids is not None else true()
    stmt = (
        select(
            Contract.property_id,
            family().label("family"),
            Account.id,
            Account.name,
            Account.lost_on,
            (Account.parent_id.is_(None)).label("is_parent"),
            func.max(Contract.arrival).label("last_arrival"),  # any stay, to choose by
        )
        .join(Contract, Contract.account_id == Account.id)
        .where(_at_hotels(property_ids), not_voided(), among(family(), families), members_of)
        .group_by(
            Contract.property_id, family(), Account.id, Account.name, Account.lost_on,
            Account.parent_id,
        )
    )  # fmt: skip
    members: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for row in db.session.execute(stmt):
        members[row.property_id, row.family].append(row)
    shown = {}
    for key, accounts in members.items():
        staying = [a for a in accounts if a.lost_on is None]
        if not staying:
            continue
        best = max(staying, key=lambda a: (bool(a.is_parent), a.last_arrival, -a.id))
        shown[key] = {"id": best.id, "name": best.name, "affiliates": len(accounts) - 1}
    return shown


def _lifetime_values(prop: Property, today: date, families: list[int]) -> dict[int, Decimal]:
    """Per family: rooms picked up at the block's rates, plus F&B spent, over its editions."""
    if not families:
        return {}
    editions = and_(
        Contract.property_id == prop.id,
        not_voided(),
        Contract.status.in_(HELD),
        Contract.arrival <= today,
        among(family(), families),
    )
    room_value = func.sum(RoomNightSnapshot.rooms * type_coerce(BlockNight.rate, BigInteger))
    rooms = (
        select(family().label("family"), type_coerce(room_value, ExactDecimal()).label("value"))
        .select_from(RoomNightSnapshot)
        .join(Contract, Contract.id == RoomNightSnapshot.contract_id)
        .join(Account, Account.id == Contract.account_id)
        .join(BlockRevision, BlockRevision.contract_id == Contract.id)
        .join(
            BlockNight,
            and_(
                BlockNight.revision_id == BlockRevision.id,
                BlockNight.night == RoomNightSnapshot.night,
                BlockNight.room_type == RoomNightSnapshot.room_type,
            ),
        )
        .where(
            editions,
            is_current_revision(),
            RoomNightSnapshot.kind == "pickup",
            RoomNightSnapshot.night >= Contract.arrival,
            RoomNightSnapshot.night < Contract.departure,
            is_latest_snapshot(),
        )
        .group_by(family())
    )
    later = aliased(RevenueSnapshot)
    newer = exists().where(
        later.contract_id == RevenueSnapshot.contract_id,
        later.kind == RevenueSnapshot.kind,
        later.name == RevenueSnapshot.name,
        later.as_of > RevenueSnapshot.as_of,
    )
    fnb_value = func.sum(type_coerce(RevenueSnapshot.amount, BigInteger))
    fnb = (
        select(family().label("family"), type_coerce(fnb_value, ExactDecimal()).label("value"))
        .select_from(RevenueSnapshot)
        .join(Contract, Contract.id == RevenueSnapshot.contract_id)
        .join(Account, Account.id == Contract.account_id)
        .where(editions, RevenueSnapshot.kind == "fnb", ~newer)
        .group_by(family())
    )
    values: dict[int, Decimal] = defaultdict(Decimal)
    for stmt in (rooms, fnb):
        for row in db.session.execute(stmt):
            values[row.family] += row.value or ZERO
    return values


def _open_followups(account_ids: list[int]) -> dict[int, OpenFollowUp]:
    """Per account, its open follow-up due soonest."""
    if not account_ids:
        return {}
    stmt = (
        select(FollowUp.account_id, FollowUp.id, FollowUp.kind, FollowUp.due_on, FollowUp.note,
               func.coalesce(func.nullif(User.name, ""), User.email).label("owner"))
        .join(User, User.id == FollowUp.owner_id)
        .where(among(FollowUp.account_id, account_ids), FollowUp.done_on.is_(None))
        .order_by(FollowUp.account_id, FollowUp.due_on.desc(), FollowUp.id.desc())
    )  # fmt: skip
    found = {}
    for row in db.session.execute(stmt):  # the last one per account is due soonest
        found[row.account_id] = OpenFollowUp(row.id, row.kind, row.due_on, row.owner, row.note)
    return found


CSV_HEADER = (
    "account", "affiliates", "editions", "last_arrival", "currency", "lifetime_value",
    "reasons", "expected_by", "cadence_days", "drop_pct", "last_damages", "open_complaints",
    "followup", "followup_due", "followup_owner", "detractor_score",
)  # fmt: skip


def at_risk_csv(report: AtRiskList) -> str:
    return csv_text(CSV_HEADER, (_csv_row(report, row) for row in report.rows))


def _csv_row(report: AtRiskList, r: AtRiskRow) -> tuple[Any, ...]:
    by = {reason.code: reason for reason in r.reasons}
    cadence, drop = by.get("cadence"), by.get("drop")
    damages, complaint = by.get("damages"), by.get("complaint")
    detractor = by.get("detractor")
    f = r.followup
    return (
        r.name, r.affiliates, r.editions, r.last_arrival, report.currency,
        money_cell(r.lifetime_value, report.currency), " ".join(by),
        cadence.due_on if cadence else None, cadence.cadence_days if cadence else None,
        drop.drop_pct if drop else None,
        money_cell(damages.damages, report.currency) if damages and damages.damages else None,
        complaint.complaints if complaint else None,
        f.kind if f else None, f.due_on if f else None, f.owner if f else None,
        detractor.score if detractor else None,
    )  # fmt: skip
