"""Accounts: the organisations that sign group contracts."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.limits import ACCOUNT_NAME_MAX
from ..extensions import Model, db


class Account(Model):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(ACCOUNT_NAME_MAX), unique=True)
    billing_address: Mapped[str] = mapped_column(String(500), default="")
    tax_id: Mapped[str | None] = mapped_column(String(50))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    # ISO 3166 alpha-2; says which tax-id rules apply (NIF/CIF, RFC, EIN, EU VAT).
    country: Mapped[str] = mapped_column(String(2), default="", server_default="")
    # An affiliate names its parent (a federation's chapters, a company's divisions).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)

    def __repr__(self) -> str:
        return f"<Account {self.name}>"


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
