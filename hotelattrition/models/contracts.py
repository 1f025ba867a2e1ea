"""Group contracts, their block revisions and review dates."""

from __future__ import annotations

import builtins
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    ColumnElement,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    exists,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from ..domain.folding import search_key
from ..domain.limits import CODE_MAX, CONTRACT_NAME_MAX, ROOM_TYPE_MAX
from ..extensions import Model
from .types import ExactDecimal

if TYPE_CHECKING:
    from .accounts import Account
    from .clauses import (
        CancellationClause,
        FnbClause,
        MeetingRoomClause,
        RebookingClause,
        RoomAttritionClause,
        ServiceClause,
    )
    from .properties import Property
    from .settlements import StoredSettlement

DISPUTE_WINDOW_DAYS = 14  # the clause's default: days after an invoice it may be disputed
DISPUTE_WINDOW_MAX = 365  # the longest window the contract form and service accept


def utcnow() -> datetime:
    return datetime.now(UTC)


def not_voided() -> ColumnElement[bool]:
    """Contracts that count: a voided one leaves every list, report, export and search."""
    return Contract.voided_at.is_(None)


class Contract(Model):
    __tablename__ = "contracts"
    # The contracts list pages by (arrival, code), overall or within a property; the invoices
    # page lists the contracts ready to invoice by (departure, code), the first few only.
    __table_args__ = (
        Index("ix_contracts_arrival_code", "arrival", "code"),
        Index("ix_contracts_property_arrival_code", "property_id", "arrival", "code"),
        Index("ix_contracts_departure_code", "departure", "code"),
        # The retention report: an account's later stays (rebooking), its first; the funnel
        # reads contracts by when they were entered.
        Index("ix_contracts_account_arrival", "account_id", "arrival"),
        Index("ix_contracts_created_at", "created_at"),
        # Searches are substrings ("%garcia%"): on PostgreSQL a trigram index finds them.
        Index(
            "ix_contracts_search_key",
            "search_key",
            postgresql_using="gin",
            postgresql_ops={"search_key": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(CODE_MAX), unique=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    # active_history: a contract moved to another account (even through `contract.account`,
    # its account_id not loaded) tells the flush hooks which account it left.
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id"), index=True, active_history=True
    )
    name: Mapped[str] = mapped_column(String(CONTRACT_NAME_MAX))
    # The name then the code, folded (domain.folding): searched, and the "group" sort order.
    search_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(20), index=True, default="tentative")
    signed_on: Mapped[date | None]
    arrival: Mapped[date]
    departure: Mapped[date]
    cutoff_on: Mapped[date | None]
    # Why a lost or cancelled group went (a "lost_business" reason code) and who won it.
    lost_reason: Mapped[str | None] = mapped_column(String(40))
    lost_to: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The day (at the property) the group became lost or cancelled: the lost-business report
    # groups by it. Older rows were backfilled from the audit log, else from updated_at.
    lost_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # A contract entered by mistake is voided, not deleted: every list and report leaves it
    # out, and the audit log keeps who voided it and why.
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    void_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # The clause's dispute window: a damages invoice may be disputed this many days after
    # its issue date.
    dispute_window_days: Mapped[int] = mapped_column(
        default=DISPUTE_WINDOW_DAYS, server_default=str(DISPUTE_WINDOW_DAYS)
    )

    property: Mapped[Property] = relationship()
    account: Mapped[Account] = relationship()
    revisions: Mapped[list[BlockRevision]] = relationship(
        back_populates="contract", order_by="BlockRevision.number", cascade="all, delete-orphan"
    )
    review_dates: Mapped[list[ReviewDate]] = relationship(
        order_by="ReviewDate.review_on", cascade="all, delete-orphan"
    )
    room_attrition: Mapped[RoomAttritionClause | None] = relationship(cascade="all, delete-orphan")
    fnb: Mapped[FnbClause | None] = relationship(cascade="all, delete-orphan")
    meeting_room: Mapped[MeetingRoomClause | None] = relationship(cascade="all, delete-orphan")
    cancellation: Mapped[CancellationClause | None] = relationship(cascade="all, delete-orphan")
    services: Mapped[list[ServiceClause]] = relationship(
        order_by="ServiceClause.position", cascade="all, delete-orphan"
    )
    settlement: Mapped[StoredSettlement | None] = relationship(cascade="all, delete-orphan")
    rebooking: Mapped[RebookingClause | None] = relationship(cascade="all, delete-orphan")

    # Optimistic locking: an UPDATE that finds another version raises StaleDataError.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    # `property` is a column here (the hotel), so the builtin is named in full.
    @builtins.property
    def original_block(self) -> BlockRevision | None:
        return self.revisions[0] if self.revisions else None

    @builtins.property
    def nights(self) -> list[date]:
        """The nights of the stay, arrival up to the day before departure."""
        return [
            self.arrival + timedelta(days=i) for i in range((self.departure - self.arrival).days)
        ]

    @builtins.property
    def current_block(self) -> BlockRevision | None:
        """The block attrition is measured against: the latest revision."""
        return self.revisions[-1] if self.revisions else None

    def __repr__(self) -> str:
        return f"<Contract {self.code}>"


@event.listens_for(Contract, "before_insert")
@event.listens_for(Contract, "before_update")
def _fill_search_key(_mapper: object, _connection: object, contract: Contract) -> None:
    """Every write of a contract refreshes its search key, whichever service made it."""
    contract.search_key = search_key(contract.name, contract.code)


class BlockRevision(Model):
    """One version of the block: as signed, then after each review-date reduction or release."""

    __tablename__ = "block_revisions"
    __table_args__ = (UniqueConstraint("contract_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    number: Mapped[int]
    reason: Mapped[str] = mapped_column(String(20))  # signed, edit, review, cutoff, import
    effective_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="revisions")
    nights: Mapped[list[BlockNight]] = relationship(
        order_by="(BlockNight.night, BlockNight.room_type)", cascade="all, delete-orphan"
    )

    @property
    def room_nights(self) -> int:
        return sum(n.rooms for n in self.nights)


def is_current_revision() -> ColumnElement[bool]:
    """True for a contract's current block: no revision with a higher number exists."""
    later = aliased(BlockRevision)
    return ~exists().where(
        later.contract_id == BlockRevision.contract_id, later.number > BlockRevision.number
    )


class BlockNight(Model):
    """Rooms of one type reserved for one night at the group rate, in one block revision."""

    __tablename__ = "block_nights"
    __table_args__ = (UniqueConstraint("revision_id", "night", "room_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("block_revisions.id", ondelete="CASCADE"), index=True
    )
    night: Mapped[date] = mapped_column(index=True)
    room_type: Mapped[str] = mapped_column(String(ROOM_TYPE_MAX))
    rooms: Mapped[int]
    rate: Mapped[Decimal] = mapped_column(ExactDecimal)


class ReviewDate(Model):
    """A date on which the group may reduce its block by up to `max_reduction_pct`."""

    __tablename__ = "review_dates"
    __table_args__ = (UniqueConstraint("contract_id", "review_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    review_on: Mapped[date]
    max_reduction_pct: Mapped[Decimal] = mapped_column(ExactDecimal)
