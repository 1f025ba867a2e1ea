"""When each account counts as churned, per scope and period, kept beside the retention sums.

The report's churned revenue is what the accounts churned in a period realised in the window
before. It is kept in the retention sums; when many accounts were left behind by imports,
the report computes it from these spans (the accounts as of a date) and each contract's stored
series (models/contract_revenue.py) as of the same date. The spans change only when
an account's contracts do, never with pickup; models/retention_tallies.py rewrites an
account's spans whenever it recounts the account.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import Connection, ForeignKey, Index, Integer, String, delete, insert
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.retention_events import ChurnSpan
from ..extensions import Model
from .id_sets import among


class AccountChurn(Model):
    """An account churned in a period of a scope from `since` until the day before `until`;
    what it realised then is its contracts' arriving in [window_start, window_end)."""

    __tablename__ = "account_churn"
    __table_args__ = (
        Index("ix_account_churn_account_id", "account_id"),
        # The report reads a scope's periods and their spans in force from the index alone:
        # per period, those still open (until NULL), then those ending after the date.
        Index(
            "ix_account_churn_in_force", "scope", "by", "key", "until",
            postgresql_include=["since", "account_id", "window_start", "window_end"],
        ),
    )  # fmt: skip

    scope: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: every property
    by: Mapped[str] = mapped_column(String(5), primary_key=True)
    key: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    since: Mapped[date]
    until: Mapped[date | None]
    window_start: Mapped[date]
    window_end: Mapped[date]


NAMES = ("account_id", "scope", "by", "key", "since", "until", "window_start", "window_end")


def rows_of(account: int, spans: Sequence[ChurnSpan]) -> list[tuple[object, ...]]:
    return [(account, *span) for span in spans]


def replace_churn(
    connection: Connection, accounts: Sequence[int], rows: Iterable[tuple[object, ...]]
) -> None:
    """The accounts' spans rewritten: theirs deleted, `rows` (NAMES) inserted."""
    table = AccountChurn.__table__
    connection.execute(
        delete(table).where(among(table.c.account_id, accounts, connection.dialect.name))
    )
    values = [dict(zip(NAMES, row, strict=True)) for row in rows]
    if values:
        connection.execute(insert(table), values)
