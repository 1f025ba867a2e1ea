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
from .retention import ChurnedRevenue, Period
from .retention_sql import counted, is_active, revenue_in_force


def churned_revenue(periods: list[Period], as_of: date, scope: int) -> list[ChurnedRevenue]:
    """Per period and currency: what its churned accounts realised in the window before."""
    by = periods[0].by
    churn = AccountChurn
    in_scope = counted(as_of, None if scope == 0 else (scope,))
    stmt = (
        select(
            churn.key, Property.currency,
            type_coerce(func.sum(ContractRevenue.revenue), ExactDecimal()).label("revenue"),
        )
        .join(Contract, and_(Contract.account_id == churn.account_id,
                             Contract.arrival >= churn.window_start,
                             Contract.arrival < churn.window_end))
        .join(ContractRevenue, and_(ContractRevenue.contract_id == Contract.id,
                                    revenue_in_force(as_of)))
        .join(Property, Property.id == Contract.property_id)
        .where(churn.scope == scope, churn.by == by)
        .where(churn.key.between(periods[0].key, periods[-1].key))
        .where(churn.since <= as_of, or_(churn.until.is_(None), churn.until > as_of))
        .where(in_scope, is_active())
        .group_by(churn.key, Property.currency)
    )  # fmt: skip
    return [ChurnedRevenue(**r._mapping) for r in db.session.execute(stmt)]
