"""A contract's owner: the one person the office holds responsible for it and its account.

Reminders, the owner's notices and a detractor's follow-up all ask `contract_owner`.
"""

from __future__ import annotations

from sqlalchemy import Select, exists, func, select

from ..extensions import db
from ..models import AuditEntry, Contract, GuestLink, User, user_properties


def contract_owner(contract: Contract, link: GuestLink | None = None) -> User | None:
    """The contract's owner: its creator (the audit log's "create" entry), else the maker of
    `link` (the link the planner used; without one, the contract's links, newest first), else
    the property's manager (the longest there first); each only while active, not a viewer and
    still seeing the property. None when nobody is: a contract made by a command or an import,
    whose links nobody at the hotel made, at a hotel with no manager."""
    made = select(AuditEntry.user_id).where(
        AuditEntry.entity == "contract",
        AuditEntry.entity_key == contract.code,
        AuditEntry.action == "create",
    )
    creator = _able(contract).where(User.id.in_(made)).order_by(User.id)
    makers = select(GuestLink.created_by).where(GuestLink.contract_id == contract.id)
    if link is not None:
        makers = makers.where(GuestLink.id == link.id)
    newest = (
        select(func.max(GuestLink.id))
        .where(GuestLink.contract_id == contract.id, GuestLink.created_by == User.email)
        .scalar_subquery()
    )
    maker = _able(contract).where(User.email.in_(makers)).order_by(newest.desc())
    manager = _able(contract).where(User.role == "manager").order_by(User.id)
    for candidates in (creator, maker, manager):
        if (user := db.session.scalars(candidates.limit(1)).first()) is not None:
            return user
    return None


def _able(contract: Contract) -> Select[User]:
    """Users who may act on the contract: active, not viewers, seeing its property."""
    at_hotel = exists().where(
        user_properties.c.user_id == User.id,
        user_properties.c.property_id == contract.property_id,
    )
    return select(User).where(
        User.active.is_(True), User.role != "viewer", (User.role == "admin") | at_hotel
    )
