"""Follow-ups: a dated next action on an account, with the user who owns it."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .contracts import utcnow

if TYPE_CHECKING:
    from .accounts import Account
    from .contracts import Contract
    from .users import User

# What users record; "detractor" is opened by a detractor's survey answer (due in 48 hours).
RECORDED_KINDS = ("contact", "offer", "other")
KINDS = (*RECORDED_KINDS, "detractor")
NOTE_MAX = 1000


class FollowUp(Model):
    __tablename__ = "followups"
    __table_args__ = (
        CheckConstraint("kind IN ('contact', 'offer', 'other', 'detractor')", name="kind"),
        # An account's open follow-ups, soonest due first.
        Index("ix_followups_account_done_due", "account_id", "done_on", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    # The stay it is about, when there is one (a survey's answer is about one contract).
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("contracts.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    due_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254))
    done_on: Mapped[date | None]
    done_by: Mapped[str] = mapped_column(String(254), default="", server_default="")

    account: Mapped[Account] = relationship()
    contract: Mapped[Contract | None] = relationship()
    owner: Mapped[User] = relationship()

    @property
    def done(self) -> bool:
        return self.done_on is not None
