"""Survey answers as pages and reports read them: NPS per property or account by period.

The counts are taken in SQL (one GROUP BY over the answers, by the hotel's day of each
answer); domain.surveys turns them into the score. `as_of` leaves out what was answered
after a day, so a past period's figure reads as it did then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import Integer, cast, extract, func, select

from ..domain.surveys import NpsCount
from ..extensions import db
from ..models import Account, Contract, FollowUp, Property, SurveyAnswer, User
from ..models.id_sets import among

ANSWERS_LIMIT = 50  # an account's page lists its latest answers


@dataclass(frozen=True)
class NpsRow:
    """The answers of one property or account in one period (a year, or a month of it)."""

    key: int  # the property's or the account's id
    name: str  # the property's code or the account's name
    year: int
    month: int | None  # None: the whole year
    count: NpsCount


def _counted(kind: str) -> Any:
    return func.count(SurveyAnswer.id).filter(SurveyAnswer.category == kind)


def nps_by_period(
    by: Literal["property", "account"],
    period: Literal["year", "month"] = "year",
    *,
    property_ids: Sequence[int] | None = None,
    account_ids: Sequence[int] | None = None,
    start: date | None = None,
    as_of: date | None = None,
) -> list[NpsRow]:
    """NPS per property (or account) per year (or month), answers from `start` to `as_of`."""
    table: type[Property] | type[Account]
    if by == "property":
        key, name, table = SurveyAnswer.property_id, Property.code, Property
    else:
        key, name, table = SurveyAnswer.account_id, Account.name, Account
    year = cast(extract("year", SurveyAnswer.answered_on), Integer)
    month = cast(extract("month", SurveyAnswer.answered_on), Integer)
    groups = [key, name, year, *([month] if period == "month" else [])]
    stmt = (
        select(
            key.label("key"),
            name.label("name"),
            year.label("year"),
            (month if period == "month" else year).label("month"),
            _counted("promoter").label("promoters"),
            _counted("passive").label("passives"),
            _counted("detractor").label("detractors"),
        )
        .join(table, table.id == key)
        .group_by(*groups)
        .order_by(*groups)
    )
    if property_ids is not None:
        stmt = stmt.where(among(SurveyAnswer.property_id, property_ids))
    if account_ids is not None:
        stmt = stmt.where(among(SurveyAnswer.account_id, account_ids))
    if start is not None:
        stmt = stmt.where(SurveyAnswer.answered_on >= start)
    if as_of is not None:
        stmt = stmt.where(SurveyAnswer.answered_on <= as_of)
    return [
        NpsRow(
            row.key,
            row.name,
            row.year,
            row.month if period == "month" else None,
            NpsCount(row.promoters, row.passives, row.detractors),
        )
        for row in db.session.execute(stmt)
    ]


@dataclass(frozen=True)
class AnswerRow:
    code: str
    group: str
    property_code: str
    answered_on: date
    recommend: int
    category: str
    sales: int
    operations: int
    billing: int
    comment: str


def account_answers(account_id: int, property_ids: Sequence[int]) -> list[AnswerRow]:
    """The account's latest survey answers at the hotels the reader sees, newest first."""
    stmt = (
        select(
            Contract.code, Contract.name.label("group"), Property.code.label("property_code"),
            SurveyAnswer.answered_on, SurveyAnswer.recommend, SurveyAnswer.category,
            SurveyAnswer.sales, SurveyAnswer.operations, SurveyAnswer.billing,
            SurveyAnswer.comment,
        )
        .join(Contract, Contract.id == SurveyAnswer.contract_id)
        .join(Property, Property.id == SurveyAnswer.property_id)
        .where(SurveyAnswer.account_id == account_id, among(SurveyAnswer.property_id, property_ids))
        .order_by(SurveyAnswer.answered_on.desc(), SurveyAnswer.id.desc())
        .limit(ANSWERS_LIMIT)
    )  # fmt: skip
    return [AnswerRow(**row._asdict()) for row in db.session.execute(stmt)]


@dataclass(frozen=True)
class RecoverFirst:
    """An account's open detractor follow-up: no upsell or rebooking offer until it is done."""

    followup_id: int
    due_on: date
    owner: str
    code: str | None  # the contract the answer was about


def recover_first_among(followups: Sequence[FollowUp]) -> RecoverFirst | None:
    """recover_first of one account from all its open follow-ups, soonest due first (as
    reports.followups.account_followups lists them, owner and contract loaded)."""
    found = next((f for f in followups if not f.done and f.kind == "detractor"), None)
    if found is None:
        return None
    owner = found.owner.name or found.owner.email
    code = found.contract.code if found.contract is not None else None
    return RecoverFirst(found.id, found.due_on, owner, code)


def recover_first(account_ids: Sequence[int]) -> dict[int, RecoverFirst]:
    """Per account, its open follow-up of a detractor's answer due soonest (none: absent)."""
    if not account_ids:
        return {}
    stmt = (
        select(FollowUp.account_id, FollowUp.id, FollowUp.due_on, Contract.code,
               func.coalesce(func.nullif(User.name, ""), User.email).label("owner"))
        .join(User, User.id == FollowUp.owner_id)
        .outerjoin(Contract, Contract.id == FollowUp.contract_id)
        .where(among(FollowUp.account_id, account_ids), FollowUp.kind == "detractor",
               FollowUp.done_on.is_(None))
        .order_by(FollowUp.account_id, FollowUp.due_on.desc(), FollowUp.id.desc())
    )  # fmt: skip
    found = {}
    for row in db.session.execute(stmt):  # the last one per account is due soonest
        found[row.account_id] = RecoverFirst(row.id, row.due_on, row.owner, row.code)
    return found
