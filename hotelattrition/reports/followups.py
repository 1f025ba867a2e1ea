"""Follow-ups as pages list them, and the users who may own one on an account."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Contract, FollowUp, User, user_properties

LIMIT = 200  # an account's page lists its latest follow-ups


def account_followups(account_id: int) -> list[FollowUp]:
    """The account's follow-ups: open ones soonest due first, then done ones latest first."""
    stmt = (
        select(FollowUp)
        .where(FollowUp.account_id == account_id)
        .options(joinedload(FollowUp.owner), joinedload(FollowUp.contract))  # the page shows both
        .order_by(FollowUp.done_on.is_not(None), FollowUp.due_on, FollowUp.id)
        .limit(LIMIT)
    )
    rows = list(db.session.scalars(stmt))
    done = sorted((f for f in rows if f.done), key=lambda f: f.done_on or f.due_on, reverse=True)
    return [f for f in rows if not f.done] + done


def owner_choices(account_id: int) -> list[User]:
    """Active users who may act on the account: admins, and those working at a hotel where
    it has a contract (viewers only read)."""
    works_there = exists().where(
        user_properties.c.user_id == User.id,
        user_properties.c.property_id == Contract.property_id,
        Contract.account_id == account_id,
    )
    stmt = (
        select(User)
        .where(User.active.is_(True), User.role != "viewer", (User.role == "admin") | works_there)
        .order_by(User.name, User.email)
    )
    return list(db.session.scalars(stmt))
