"""Guest links: a contract's pages opened through an unguessable link, and each view of them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .contracts import utcnow

if TYPE_CHECKING:
    from .contracts import Contract

NONCE_MAX = 64
USER_AGENT_MAX = 200
ADDRESS_MAX = 64


class GuestLink(Model):
    """One link for one purpose (the planner's page, later a survey) of one contract.

    The token is never stored: it is derived from the app's secret key, the id and the nonce
    (services.guest_links), and the row keeps only its SHA-256, which the public route looks
    up. `token_hash` is empty only inside the transaction that creates the row (the token
    needs the row's id).
    """

    __tablename__ = "guest_links"
    __table_args__ = (
        Index("ix_guest_links_contract_id_purpose", "contract_id", "purpose"),
        # One unrevoked link per contract and purpose (services.guest_links revokes the others
        # first, the contract's row locked): two "make a new link" at once cannot leave two.
        Index(
            "uq_guest_links_unrevoked", "contract_id", "purpose", unique=True,
            postgresql_where=text("revoked_at IS NULL"), sqlite_where=text("revoked_at IS NULL"),
        ),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(20))
    nonce: Mapped[str] = mapped_column(String(NONCE_MAX))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str] = mapped_column(String(254), default="", server_default="")

    contract: Mapped[Contract] = relationship()


class GuestLinkView(Model):
    """One request to the public route: a view of a link, or (link empty) a refused token.

    The address is cut to its network (/24, /48 for IPv6): enough to bound a flood, not
    enough to name a person.
    """

    __tablename__ = "guest_link_views"
    __table_args__ = (
        Index("ix_guest_link_views_link_id_at", "link_id", "at"),
        Index("ix_guest_link_views_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("guest_links.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    address: Mapped[str] = mapped_column(String(ADDRESS_MAX))
    user_agent: Mapped[str] = mapped_column(String(USER_AGENT_MAX), default="")
