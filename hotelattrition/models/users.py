"""Users, their roles and the properties they may see."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Index, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model, db
from .contracts import utcnow
from .properties import Property

ROLES = ("admin", "manager", "accounting", "sales", "viewer")

user_properties = Table(
    "user_properties",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("property_id", ForeignKey("properties.id", ondelete="CASCADE"), primary_key=True),
)


class User(Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped at logout, password change and deactivation: older session cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    language: Mapped[str | None] = mapped_column(String(10))
    # Set when an administrator resets the password: the user sets a new one at next sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    properties: Mapped[list[Property]] = relationship(secondary=user_properties)

    # Flask-Login's user protocol, without importing Flask into the models.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The session id: a new session version makes every older cookie worthless."""
        return f"{self.id}:{self.session_version}"

    @property
    def sees_all_properties(self) -> bool:
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(Model):
    """A bearer token for the API; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class LoginAttempt(Model):
    """One login attempt, kept so throttling holds across every app process."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    succeeded: Mapped[bool]


class LoginThrottle(Model):
    """Failed logins in a row of one (e-mail, address) pair, locked while an attempt is checked.

    Per pair, so failures from one address never delay the account's owner at another.
    """

    __tablename__ = "login_throttles"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A pair that once signed in is the owner's own: the per-address cap never stops it.
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
