"""Login throttling per (e-mail, address): growing delays, the owner never locked out by others."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from hotelattrition.extensions import db
from hotelattrition.models import LoginThrottle
from hotelattrition.services.users import LoginRefused, authenticate, create_user
from tests.conftest import PASSWORD, POSTGRES_URL, make_app

T0 = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
OWNER = "sales@example.com"


def attempt(password: str, address: str, at: datetime, email: str = OWNER) -> int | str:
    """'ok', 'invalid', or the seconds the pair was told to wait."""
    try:
        authenticate(email, password, address, at)
    except LoginRefused as refused:
        return refused.retry_seconds or "invalid"
    return "ok"


def test_delays_grow_after_three_failures_and_stop_at_fifteen_minutes(
    create_user: Any,
) -> None:
    create_user()
    assert [attempt("wrong", "10.0.0.1", T0) for _ in range(4)] == ["invalid"] * 3 + [1]
    at, waits = T0, []
    for _ in range(12):
        wait = attempt("wrong", "10.0.0.1", at)  # told to wait, so this one was not checked
        waits.append(wait)
        at += timedelta(seconds=wait)
        assert attempt("wrong", "10.0.0.1", at) == "invalid"  # checked once the wait is over
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    assert attempt(PASSWORD, "10.0.0.1", at) == 900  # even the right password waits


def test_a_success_clears_the_pair(create_user: Any) -> None:
    create_user()
    for _ in range(3):
        attempt("wrong", "10.0.0.1", T0)
    assert attempt(PASSWORD, "10.0.0.1", T0 + timedelta(seconds=1)) == "ok"
    later = T0 + timedelta(seconds=2)
    assert [attempt("wrong", "10.0.0.1", later) for _ in range(4)] == ["invalid"] * 3 + [1]


def test_owner_signs_in_from_another_address_after_a_hundred_failures(
    create_user: Any,
) -> None:
    create_user()
    at = T0
    for _ in range(100):  # each checked: the attacker waits out every delay
        at += timedelta(minutes=16)
        assert attempt("wrong", "203.0.113.7", at) == "invalid"
    assert attempt(PASSWORD, "198.51.100.2", at) == "ok"
    assert attempt(PASSWORD, "203.0.113.7", at) == 900  # only the attacker's pair waits


def test_the_cap_per_address_stops_spraying_but_not_an_owner_who_signed_in_there(
    app: Flask, create_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 3)
    create_user()
    create_user("viewer@example.com", "viewer")
    assert attempt(PASSWORD, "10.0.0.1", T0) == "ok"  # the owner's own address
    for i in range(3):  # three accounts guessed once each, from the same address
        assert attempt("x", "10.0.0.1", T0, f"guess{i}@example.com") == "invalid"
    assert attempt("x", "10.0.0.1", T0, "guess9@example.com") == 900
    assert attempt(PASSWORD, "10.0.0.1", T0, "viewer@example.com") == 900  # never signed in here
    assert attempt(PASSWORD, "10.0.0.1", T0) == "ok"
    later = T0 + timedelta(minutes=15, seconds=1)  # the window has passed
    assert attempt(PASSWORD, "10.0.0.1", later, "viewer@example.com") == "ok"


# Parallel attempts on PostgreSQL -------------------------------------------------------------

WORKERS = 10


@pytest.fixture(scope="module")
def scratch() -> Iterator[str]:
    if not POSTGRES_URL:
        pytest.skip("row locks are tested on PostgreSQL")
    url = sa.make_url(POSTGRES_URL)
    name = f"{url.database}_throttle"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    scratch_url = url.set(database=name).render_as_string(hide_password=False)
    app = make_app(scratch_url)
    with app.app_context():
        upgrade()
        create_user(OWNER, "sales", PASSWORD)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # children open their own connections
    yield scratch_url


def guess(url: str, barrier: Any, results: Any) -> None:
    """One worker process: its own app and connection; a wrong password at the same moment."""
    app = make_app(url)
    with app.app_context():
        barrier.wait(timeout=60)
        try:
            results.put(attempt("wrong", "10.0.0.1", T0))
            db.session.commit()  # as the login view does, refused or not
        except Exception as error:  # reported to the test, which fails with it
            results.put(repr(error))
        finally:
            db.session.remove()
            db.engine.dispose()


def test_parallel_attempts_are_checked_no_more_than_allowed(scratch: str) -> None:
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(WORKERS), context.Queue()
    workers = [
        context.Process(target=guess, args=(scratch, barrier, results)) for _ in range(WORKERS)
    ]
    for w in workers:
        w.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    assert sorted(map(str, outcomes)) == ["1"] * (WORKERS - 3) + ["invalid"] * 3, outcomes
    app = make_app(scratch)
    with app.app_context():
        assert db.session.scalar(sa.select(LoginThrottle.failures)) == 3
        db.session.remove()
        db.engine.dispose()
