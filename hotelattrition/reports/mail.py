"""The Mail sent page's rows: the outbox, newest first, as far as the reader may see it."""

from __future__ import annotations

from sqlalchemy import Select, select

from ..extensions import db
from ..models import Contract, OutgoingMail, User
from ..models.mail import STATES
from .search import matches

PAGE = 100


def _visible(user: User) -> Select[OutgoingMail]:
    """Admins see every mail; others the mail about contracts of their properties."""
    stmt = select(OutgoingMail)
    if user.sees_all_properties:
        return stmt
    ids = [p.id for p in user.properties]
    return stmt.join(Contract, Contract.id == OutgoingMail.contract_id).where(
        Contract.property_id.in_(ids)
    )


def sent_mail(user: User, state: str = "", search: str = "", page: int = 1) -> list[OutgoingMail]:
    """A page of the outbox (PAGE rows, one more to tell a next page), newest first."""
    stmt = _visible(user)
    if state in STATES:
        stmt = stmt.where(OutgoingMail.state == state)
    if search:
        # The subject names the contract's code and group: case folded beyond ASCII on SQLite
        # too (unicode_lower), % and _ taken literally.
        stmt = stmt.where(matches(search, OutgoingMail.to_address, OutgoingMail.subject))
    stmt = stmt.order_by(OutgoingMail.created_at.desc(), OutgoingMail.id.desc())
    return list(db.session.scalars(stmt.offset((page - 1) * PAGE).limit(PAGE + 1)))


def visible_mail(user: User, mail_id: int) -> OutgoingMail | None:
    return db.session.scalar(_visible(user).where(OutgoingMail.id == mail_id))
