"""The outbox: every mail the app sends, recorded with the business fact that causes it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .contracts import utcnow

if TYPE_CHECKING:
    from .contracts import Contract

# queued: waiting for its (next) attempt; sending: an attempt was recorded and has not been
# marked since; sent: the server accepted it; failed: given up (refused for good, or out of
# attempts); unconfirmed: an attempt was recorded but never marked (its sender died), so it
# may have been sent: it is never sent again (see services.mail).
STATES = ("queued", "sending", "sent", "failed", "unconfirmed")
KEY_MAX = 300
ADDRESS_MAX = 254
SUBJECT_MAX = 300
ERROR_MAX = 1000


class OutgoingMail(Model):
    """One message to one recipient, sent at most once for its key."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (
        Index("ix_outgoing_mail_state_next_attempt_at", "state", "next_attempt_at"),
        Index("ix_outgoing_mail_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the mail is about, unique: a second request for the same key finds the first.
    key: Mapped[str] = mapped_column(String(KEY_MAX), unique=True)
    message_id: Mapped[str] = mapped_column(String(200))  # derived from the key
    kind: Mapped[str] = mapped_column(String(20))  # "reminder"
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("contracts.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(ADDRESS_MAX))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(ERROR_MAX), default="")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When it was last queued by a person ("Send again"); None: at created_at. A connection
    # failing for services.mail.GIVE_UP since then fails it.
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    contract: Mapped[Contract | None] = relationship()
