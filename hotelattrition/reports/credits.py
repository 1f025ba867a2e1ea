"""Open account credits: per credit (account page, early warning, CLI) and the liability.

Balances are summed in the database per credit; each credit's percentage today (its windows
step down as time passes) is applied afterwards, one credit at a time. "Today" is the day at
the property that owes the credit: lists spanning properties read the credits of each
distinct today apart (`open_credits_at`), one query per today (one or two, not per property).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select

from ..domain.money import ZERO
from ..domain.rebooking import pct_on, usable
from ..extensions import db
from ..models import Account, AccountCredit, Contract, CreditEntry
from ..models.credits import USING, clause_of

EXPIRING_DAYS = 60  # the early-warning page's horizon


@dataclass(frozen=True)
class CreditRow:
    """One open credit as the lists show it."""

    id: int
    account: str
    contract: str
    mode: str
    source: str  # "invoice" (damages paid or held) or "waiver" (granted from a waiver)
    currency: str
    earned_on: date | None
    expires_on: date
    earned: Decimal
    used: Decimal
    pct_today: Decimal
    remaining: Decimal  # usable today
    days_left: int  # to its expiry, from the day the list was read


def open_credits(
    today: date,
    account_ids: Collection[int] | None = None,
    expiring_within: int | None = None,
    property_ids: Collection[int] | None = None,
) -> list[CreditRow]:
    """Credits with something left today, soonest to expire first."""
    earning = case((CreditEntry.kind.in_(("earn", "unearn")), CreditEntry.amount))
    using = case((CreditEntry.kind.in_(USING), CreditEntry.amount))
    earned, used = func.sum(earning).label("earned"), func.sum(using).label("used")
    query = (
        select(
            AccountCredit,
            Account.name.label("account"),
            earned,
            used,
            func.min(case((CreditEntry.kind == "earn", CreditEntry.entry_on))).label("earned_on"),
        )
        .join(Account, Account.id == AccountCredit.account_id)
        .join(CreditEntry, CreditEntry.credit_id == AccountCredit.id)
        .where(AccountCredit.expires_on >= today)
        .group_by(AccountCredit.id, Account.name)
        .order_by(AccountCredit.expires_on, AccountCredit.id)
    )
    if account_ids is not None:
        query = query.where(AccountCredit.account_id.in_(list(account_ids)))
    if property_ids is not None:  # where the credit's contract was held: who may see it
        query = query.where(AccountCredit.property_id.in_(list(property_ids)))
    if expiring_within is not None:
        query = query.where(AccountCredit.expires_on <= today + timedelta(days=expiring_within))
    found = list(db.session.execute(query))
    # Codes read only when there are credits: a page without any reads no more contracts.
    ids = [row.AccountCredit.contract_id for row in found]
    codes: dict[int, str] = {}
    if ids:
        query_codes = select(Contract.id, Contract.code).where(Contract.id.in_(ids))
        codes = {row.id: row.code for row in db.session.execute(query_codes)}
    rows = []
    for row in found:
        credit = row.AccountCredit
        got, spent = row.earned or ZERO, -(row.used or ZERO)
        pct = pct_on(clause_of(credit), credit.arrival, today)
        left = usable(got, spent, pct, credit.currency)
        if left > 0:
            rows.append(
                CreditRow(
                    credit.id,
                    row.account,
                    codes[credit.contract_id],
                    credit.mode,
                    credit.source,
                    credit.currency,
                    row.earned_on,
                    credit.expires_on,
                    got,
                    spent,
                    pct,
                    left,
                    (credit.expires_on - today).days,
                )
            )
    return rows


def open_credits_at(
    todays: Mapping[date, Collection[int]],
    account_ids: Collection[int] | None = None,
    expiring_within: int | None = None,
) -> list[CreditRow]:
    """open_credits() across properties, each judged by its own today.

    `todays` maps each distinct today to the ids of the properties where it is today (see
    reports.property_days.by_today); "expired" and "expires in" are counted from it.
    """
    rows = [
        row
        for today, ids in todays.items()
        if ids
        for row in open_credits(today, account_ids, expiring_within, property_ids=ids)
    ]
    return sorted(rows, key=lambda r: (r.expires_on, r.id))


def outstanding_by_currency(todays: Mapping[date, Collection[int]]) -> dict[str, Decimal]:
    """The credit the hotel owes its accounts today (a liability), per currency."""
    totals: dict[str, Decimal] = {}
    for row in open_credits_at(todays):
        totals[row.currency] = totals.get(row.currency, ZERO) + row.remaining
    return dict(sorted(totals.items()))
