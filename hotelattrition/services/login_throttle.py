"""Login throttling per (e-mail, address) pair: growing delays, and a generous cap per address."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import LoginAttempt, LoginThrottle

log = logging.getLogger(__name__)
# 2**20 seconds is far past any sensible cap: the exponent stops there, so it never overflows.
_MAX_EXPONENT = 20


@dataclass(frozen=True)
class Limits:
    free_failures: int  # failures in a row a pair makes before any delay
    max_delay: timedelta
    window: timedelta  # the per-address cap counts failures in this window
    per_address: int


def limits() -> Limits:
    cfg = current_app.config
    return Limits(
        cfg["LOGIN_FREE_FAILURES"],
        timedelta(seconds=cfg["LOGIN_MAX_DELAY_SECONDS"]),
        timedelta(seconds=cfg["LOGIN_WINDOW_SECONDS"]),
        cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"],
    )


def delay(failures: int, rules: Limits) -> timedelta:
    """The wait after `failures` in a row: none for the free ones, then 1, 2, 4 s... capped."""
    if failures < rules.free_failures:
        return timedelta(0)
    exponent = min(failures - rules.free_failures, _MAX_EXPONENT)
    return min(rules.max_delay, timedelta(seconds=2**exponent))


def lock_pair(email: str, address: str) -> LoginThrottle:
    """The pair's throttle row, made if new and locked until the transaction ends."""
    table = LoginThrottle.__table__
    insert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    # An upsert that always writes: PostgreSQL locks the row, SQLite takes its write lock, so a
    # second worker checking the same pair waits here until this attempt is counted.
    upsert = insert(table).values(email=email, address=address, failures=0)
    upsert = upsert.on_conflict_do_update(
        index_elements=[table.c.email, table.c.address], set_={"failures": table.c.failures}
    )
    db.session.execute(upsert)
    return db.session.scalars(
        select(LoginThrottle)
        .where(LoginThrottle.email == email, LoginThrottle.address == address)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _aware(moment: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _address_failures(address: str, since: datetime) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.address == address,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.at >= since,
        )
    ).scalar_one()  # a count: always one row


def wait_for(pair: LoginThrottle, at: datetime) -> timedelta | None:
    """How long the (locked) pair must still wait before an attempt is checked, or None."""
    rules = limits()
    pause = delay(pair.failures, rules)
    if pause and pair.last_failure_at is not None:
        remaining = _aware(pair.last_failure_at) + pause - at
        if remaining > timedelta(0):
            return remaining
    # The cap against spraying many accounts from one address spares pairs that have signed
    # in before: the owner at their own address is never stopped by someone else's failures.
    if pair.last_success_at is None and (
        _address_failures(pair.address, at - rules.window) >= rules.per_address
    ):
        return rules.window
    return None


def record(pair: LoginThrottle, succeeded: bool, at: datetime) -> None:
    """Count a checked attempt: a success clears the pair, a failure makes the next wait longer."""
    if succeeded:
        pair.failures = 0
        pair.last_success_at = at
    else:
        pair.failures += 1
        pair.last_failure_at = at
        if pair.failures >= limits().free_failures:
            log.warning(
                "login throttled for %s from %s after %d failures",
                pair.email,
                pair.address,
                pair.failures,
            )
