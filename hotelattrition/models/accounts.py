"""Accounts: the organisations that sign group contracts."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.limits import ACCOUNT_NAME_MAX
from ..extensions import Model


class Account(Model):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(ACCOUNT_NAME_MAX), unique=True)
    billing_address: Mapped[str] = mapped_column(String(500), default="")
    tax_id: Mapped[str | None] = mapped_column(String(50))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")

    def __repr__(self) -> str:
        return f"<Account {self.name}>"
