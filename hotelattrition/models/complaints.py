"""Complaints and service failures, recorded per contract: what happened and what was done."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .contracts import utcnow

if TYPE_CHECKING:
    from .contracts import Contract

SEVERITIES = ("low", "medium", "high")
TEXT_MAX = 2000


class Complaint(Model):
    __tablename__ = "complaints"
    __table_args__ = (
        CheckConstraint("severity IN ('low', 'medium', 'high')", name="severity"),
        # The at-risk list counts each account's unresolved complaints.
        Index("ix_complaints_contract_resolved", "contract_id", "resolved_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    happened: Mapped[str] = mapped_column(String(TEXT_MAX))
    department: Mapped[str] = mapped_column(String(40))  # a "department" reason code
    severity: Mapped[str] = mapped_column(String(10))
    action: Mapped[str] = mapped_column(String(TEXT_MAX), default="")  # what was done
    recorded_on: Mapped[date]  # in the contract's hotel
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(254))
    resolved_on: Mapped[date | None]
    resolved_by: Mapped[str] = mapped_column(String(254), default="", server_default="")

    contract: Mapped[Contract] = relationship()

    @property
    def resolved(self) -> bool:
        return self.resolved_on is not None
