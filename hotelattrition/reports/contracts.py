"""The contracts a user may see, as rows for lists and pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select

from ..extensions import db
from ..models import Account, Contract, Property, StoredSettlement, User


@dataclass(frozen=True)
class ContractRow:
    code: str
    name: str
    account: str
    property_code: str
    currency: str
    arrival: date
    departure: date
    status: str
    pickup_pct: Decimal | None
    damages: Decimal | None
    settlement_status: str | None


def scoped(stmt: Select[Any], user: User) -> Select[Any]:
    """Limit a contracts query to the user's properties (admins see every property)."""
    if user.sees_all_properties:
        return stmt
    return stmt.where(Contract.property_id.in_([p.id for p in user.properties]))


def contract_rows(user: User, limit: int = 500) -> list[ContractRow]:
    """The user's contracts by arrival, with pickup % and damages so far, in one query."""
    stmt = (
        select(
            Contract.code,
            Contract.name,
            Account.name,
            Property.code,
            Property.currency,
            Contract.arrival,
            Contract.departure,
            Contract.status,
            StoredSettlement.pickup_pct,
            StoredSettlement.total,
            StoredSettlement.status,
        )
        .join(Account, Account.id == Contract.account_id)
        .join(Property, Property.id == Contract.property_id)
        .outerjoin(StoredSettlement, StoredSettlement.contract_id == Contract.id)
        .order_by(Contract.arrival, Contract.code)
        .limit(limit)
    )
    return [ContractRow(*row) for row in db.session.execute(scoped(stmt, user))]


def visible_contract(user: User, code: str) -> Contract | None:
    """The contract with this code if the user may see it, else None."""
    return db.session.scalar(scoped(select(Contract).where(Contract.code == code), user))
