"""Churned revenue for every property or one, from the stored churn spans
(models/account_churn.py): the accounts churned in each period as of the date, joined to
their contracts arriving in the window before and to those contracts' revenue as of the date.
The same figure reports/retention.py computes from every contract's activity, reading only
the churned accounts' contracts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, or_, select, type_coerce

from ..extensions import db
from ..models import Contract, ContractRevenue, Property
from ..models.account_churn import AccountChurn
from ..models.types import ExactDecimal
from .retention import ChurnedRevenue, Period, window_of
from .retention_sql import counted, is_active, period_key, revenue_in_force


def churned_revenue(periods: list[Period], as_of: date, scope: int) -> list[ChurnedRevenue]:
    """Per period and currency: what its churned accounts realised in the window before."""
    by, w = periods[0].by, window_of(periods[0].by)
    churn = AccountChurn
    key = period_key(Contract.arrival, by)
    in_scope = counted(as_of, None if scope == 0 else (scope,))
    stmt = (
        select(
            churn.key, Property.currency,
            type_coerce(func.sum(ContractRevenue.revenue), ExactDecimal()).label("revenue"),
        )
        .join(Contract, Contract.account_id == churn.account_id)
        .join(ContractRevenue, and_(ContractRevenue.contract_id == Contract.id,
                                    revenue_in_force(as_of)))
        .join(Property, Property.id == Contract.property_id)
        .where(churn.scope == scope, churn.by == by)
        .where(churn.key.between(periods[0].key, periods[-1].key))
        .where(churn.since <= as_of, or_(churn.until.is_(None), churn.until > as_of))
        .where(in_scope, is_active(), key > churn.key - 2 * w, key <= churn.key - w)
        .group_by(churn.key, Property.currency)
    )  # fmt: skip
    return [ChurnedRevenue(**r._mapping) for r in db.session.execute(stmt)]
