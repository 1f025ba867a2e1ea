"""PostgreSQL planner settings for the rest of a transaction that reads or writes in bulk."""

from __future__ import annotations

from sqlalchemy import text

from ..extensions import db


def without_jit() -> None:
    """No JIT compilation for the rest of the transaction, on PostgreSQL.

    A bulk statement over thousands of contracts passes jit_above_cost, and compiling it took
    longer than running it: 60-100 ms a statement for the pickup import's revenue refresh and
    latest-pickup reads, each run once per batch of 2,000 contracts.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))
