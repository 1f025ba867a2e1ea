"""Accounts: the organisations that sign group contracts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, String, Text, event, select
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.folding import search_key
from ..domain.limits import ACCOUNT_NAME_MAX
from ..extensions import Model, db


class Account(Model):
    __tablename__ = "accounts"
    __table_args__ = (
        Index(
            "ix_accounts_search_key",
            "search_key",
            postgresql_using="gin",
            postgresql_ops={"search_key": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(ACCOUNT_NAME_MAX), unique=True)
    # The name folded (domain.folding), for searches ignoring accents and case.
    search_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    billing_address: Mapped[str] = mapped_column(String(500), default="")
    tax_id: Mapped[str | None] = mapped_column(String(50))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    # The language the contact reads ("en" or "es"): the reminders they get are written in it.
    contact_language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    # ISO 3166 alpha-2; says which tax-id rules apply (NIF/CIF, RFC, EIN, EU VAT).
    country: Mapped[str] = mapped_column(String(2), default="", server_default="")
    # An affiliate names its parent (a federation's chapters, a company's divisions).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    # A lost account (churned): why it left (an "account_lost" reason), who won it, since when.
    lost_on: Mapped[date | None]
    lost_reason: Mapped[str | None] = mapped_column(String(40))
    lost_to: Mapped[str] = mapped_column(String(200), default="", server_default="")

    def __repr__(self) -> str:
        return f"<Account {self.name}>"


@event.listens_for(Account, "before_insert")
@event.listens_for(Account, "before_update")
def _fill_search_key(_mapper: object, _connection: object, account: Account) -> None:
    """Every write of an account refreshes its search key, whichever service made it."""
    account.search_key = search_key(account.name)


def affiliated_account_ids(account_id: int) -> list[int]:
    """The account, its parent, the parent's other affiliates and its own affiliates."""
    account = db.session.get(Account, account_id)
    if account is None:
        return []
    root = account.parent_id or account.id
    rows = db.session.scalars(
        select(Account.id).where((Account.id == root) | (Account.parent_id == root))
    ).all()
    return sorted(set(rows) | {account_id})
