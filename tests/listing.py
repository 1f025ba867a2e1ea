"""Contracts straight into the tables, many at once: for lists, pages and query counts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from hotelattrition.models import Account, Contract, Property, StoredSettlement


def add_account(session: Any, name: str, **fields: Any) -> Account:
    account = Account(name=name, **fields)
    session.add(account)
    return account


def add_contract(
    session: Any,
    prop: Property,
    account: Account,
    code: str,
    arrival: date,
    name: str = "",
    status: str = "definite",
    damages: str | None = None,
    pickup_pct: str = "80",
) -> Contract:
    """A contract with no block; with `damages`, a stored settlement owing that much."""
    contract = Contract(
        code=code,
        property=prop,
        account=account,
        name=name or f"Group {code}",
        status=status,
        arrival=arrival,
        departure=arrival + timedelta(days=2),
    )
    if damages is not None:
        contract.settlement = StoredSettlement(
            status="owed",
            currency=prop.currency,
            contracted=100,
            minimum=Decimal(80),
            picked_up=int(Decimal(pickup_pct)),
            resold=0,
            shortfall=Decimal(0),
            pickup_pct=Decimal(pickup_pct),
            subtotal=Decimal(damages),
            tax=Decimal(0),
            total=Decimal(damages),
            result={},
            computed_at=datetime.now(UTC),
        )
    session.add(contract)
    return contract


def add_many(session: Any, prop: Property, account: Account, count: int, start: date) -> list[str]:
    """`count` contracts, three arriving each day; their codes in the list's order.

    Within a day the codes are inserted in reverse, so only the order by code puts them right.
    """
    keys = []
    for i in range(count):
        day, nth = divmod(i, 3)
        code = f"{prop.code}-{day * 3 + 2 - nth:04d}"
        arrival = start + timedelta(days=day)
        add_contract(session, prop, account, code, arrival, damages="10")
        keys.append((arrival, code))
    session.flush()
    return [code for _, code in sorted(keys)]


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every SQL statement sent while the block runs, in order."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def reading(table: str, sent: list[str]) -> list[str]:
    """The SELECT statements among `sent` that read the table."""
    pattern = re.compile(rf"\bFROM {table}\b|\bJOIN {table}\b")
    return [s for s in sent if s.lstrip().upper().startswith("SELECT") and pattern.search(s)]
