"""Outside-block reconciliations: a contract's registration list matched to the in-house list.

The match report is kept (an evidence pack includes it): its counts, the outside-block rooms
per night and room type, and each pair with its score. Names are the hotel side's to see;
e-mail addresses are never kept (not even as digests: the pair says only that they matched).
A report is a draft until confirmed, when its outside-block room nights are recorded as the
contract's outside-block pickup.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.limits import ROOM_TYPE_MAX
from ..extensions import Model
from .contracts import utcnow

if TYPE_CHECKING:
    from .contracts import Contract

RECONCILIATION_STATES = ("draft", "confirmed")
NAME_MAX = 200
FILE_NAME_MAX = 255


class Reconciliation(Model):
    __tablename__ = "reconciliations"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'confirmed')", name="state"),
        Index("ix_reconciliations_contract_created", "contract_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(20), default="draft")
    registrations: Mapped[int]  # attendees read from the planner's list
    guests: Mapped[int]  # stays read from the in-house list
    matched: Mapped[int]
    outside: Mapped[int]  # matched stays outside the group's block
    room_nights: Mapped[int]  # outside-block room nights within the stay
    shoulder_room_nights: Mapped[int]  # outside-block room nights before or after the stay
    # [night (ISO), room type, rooms] of the outside-block stays, night by night
    nights: Mapped[list[Any]] = mapped_column(JSON, default=list)
    registration_file: Mapped[str] = mapped_column(String(FILE_NAME_MAX))
    registration_sha256: Mapped[str] = mapped_column(String(64))
    in_house_file: Mapped[str] = mapped_column(String(FILE_NAME_MAX))
    in_house_sha256: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_by: Mapped[str | None] = mapped_column(String(254))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    as_of: Mapped[date | None]  # the pickup snapshot's date, once confirmed

    contract: Mapped[Contract] = relationship()
    pairs: Mapped[list[ReconciliationPair]] = relationship(
        back_populates="reconciliation",
        cascade="all, delete-orphan",
        order_by="ReconciliationPair.registration_line",
    )


class ReconciliationPair(Model):
    """An attendee matched to an in-house stay, with the score and where each was read."""

    __tablename__ = "reconciliation_pairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    reconciliation_id: Mapped[int] = mapped_column(
        ForeignKey("reconciliations.id", ondelete="CASCADE"), index=True
    )
    registration_line: Mapped[int]
    registration_name: Mapped[str] = mapped_column(String(NAME_MAX))
    in_house_line: Mapped[int]
    guest_name: Mapped[str] = mapped_column(String(NAME_MAX))
    arrival: Mapped[date]  # the stay's, as the hotel has it
    departure: Mapped[date]
    room_type: Mapped[str] = mapped_column(String(ROOM_TYPE_MAX))
    rooms: Mapped[int]
    block_code: Mapped[str] = mapped_column(String(40), default="")
    score: Mapped[int]  # 0-100
    by_email: Mapped[bool] = mapped_column(default=False)
    outside_block: Mapped[bool] = mapped_column(default=False)

    reconciliation: Mapped[Reconciliation] = relationship(back_populates="pairs")
