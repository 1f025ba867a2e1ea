"""Random accounts for the stored figures' oracle tests: contracts at three hotels (two
currencies), of every status, entered and arriving over five years, some voided, with block
revisions, F&B spent, settlement decisions (some awaiting approval, approved or refused),
complaints, and some accounts marked lost."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hotelattrition.models import (
    Account,
    BlockNight,
    BlockRevision,
    Complaint,
    Contract,
    DecisionReview,
    RevenueSnapshot,
    SettlementDecision,
)

STATUSES = ("tentative", "definite", "definite", "settled", "settled", "cancelled", "lost")
REASONS = (None, "price", "competitor")


def day_in(rng: random.Random, start: date, days: int) -> date:
    # Never the 29th-31st: SQLite moves "Jan 31 + 1 month" into March, PostgreSQL and the
    # events keep it in February; the report's dates are compared on both engines here.
    day = start + timedelta(days=rng.randrange(days))
    return day.replace(day=min(day.day, 28))


def add_contracts(database: Any, props: list[Any], accounts: list[Any], n: int, seed: int) -> None:
    rng = random.Random(seed)
    for i in range(n):
        arrival = day_in(rng, date(2023, 1, 1), 5 * 365)
        entered = arrival - timedelta(days=rng.randrange(-30, 500))
        if rng.random() < 0.08:  # typed in long after the stay, from paper
            entered = arrival + timedelta(days=rng.randrange(300, 900))
        status = rng.choice(STATUSES)
        database.add(
            Contract(
                code=f"T-{seed}-{i}", property_id=rng.choice(props).id,
                account_id=rng.choice(accounts).id, name=f"Group {i}", status=status,
                arrival=arrival, departure=arrival + timedelta(days=rng.randrange(1, 5)),
                lost_reason=rng.choice(REASONS) if status in ("lost", "cancelled") else None,
                signed_on=entered + timedelta(days=rng.randrange(-40, 200))
                if rng.random() < 0.7 else None,
                created_at=datetime(entered.year, entered.month, entered.day, 10, tzinfo=UTC),
                voided_at=datetime(2027, 1, 1, tzinfo=UTC) if rng.random() < 0.05 else None,
            )
        )  # fmt: skip
    database.flush()
    for contract in database.scalars(select(Contract).where(Contract.code.like(f"T-{seed}-%"))):
        for number in range(1, rng.randrange(1, 4)):
            revise(database, rng, contract, number)
        for _ in range(rng.choice((0, 0, 1, 2))):
            decide(database, rng, contract)
        for _ in range(rng.choice((0, 0, 0, 1, 2))):
            complain(database, rng, contract)
        for _ in range(rng.choice((0, 1, 2))):  # F&B spent, known on a day: realised revenue
            known = contract.departure + timedelta(days=rng.randrange(-30, 300))
            database.add(
                RevenueSnapshot(
                    contract_id=contract.id, kind="fnb", as_of=known,
                    amount=Decimal(rng.randrange(1000, 900000)) / 100,
                )
            )  # fmt: skip
    database.flush()


def complain(database: Any, rng: random.Random, contract: Any) -> None:
    day = contract.arrival + timedelta(days=rng.randrange(0, 120))
    database.add(
        Complaint(
            contract_id=contract.id, happened="Cold rooms", department="housekeeping",
            severity="high", recorded_on=day, recorded_at=moment(day),
            recorded_by="s@example.com",
        )
    )  # fmt: skip


def moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def revise(database: Any, rng: random.Random, contract: Any, number: int) -> None:
    entered = contract.arrival - timedelta(days=rng.randrange(-20, 400))
    revision = BlockRevision(
        contract_id=contract.id, number=number, reason="edit", effective_on=entered,
        created_at=moment(entered),
    )  # fmt: skip
    database.add(revision)
    database.flush()
    for night in range(rng.randrange(0, 3)):
        database.add(
            BlockNight(
                revision_id=revision.id, night=contract.arrival + timedelta(days=night),
                room_type="DBL", rooms=rng.randrange(1, 60),
                rate=Decimal(rng.randrange(8000, 30000)) / 100,
            )
        )  # fmt: skip


def decide(database: Any, rng: random.Random, contract: Any) -> None:
    decided = contract.departure + timedelta(days=rng.randrange(-10, 200))
    damages = Decimal(rng.randrange(100, 900000)) / 100
    kind = rng.choice(("collect", "waive", "convert"))
    decision = SettlementDecision(
        contract_id=contract.id, kind=kind, damages=damages,
        amount=damages if kind == "collect" else (damages / 2).quantize(Decimal("0.01")),
        currency=rng.choice(("EUR", "USD")), decided_by="t@example.com",
        decided_at=moment(decided), needs_approval=rng.random() < 0.4,
    )  # fmt: skip
    database.add(decision)
    database.flush()
    if decision.needs_approval and rng.random() < 0.7:
        reviewed = decided + timedelta(days=rng.randrange(0, 60))
        database.add(
            DecisionReview(
                decision_id=decision.id, approved=rng.random() < 0.8, reviewed_by="m@example.com",
                reviewed_at=moment(reviewed),
            )
        )  # fmt: skip


def mark_lost(accounts: list[Any], rng: random.Random) -> None:
    for account in rng.sample(accounts, 4):
        account.lost_on = day_in(rng, date(2024, 1, 1), 4 * 365)
        account.lost_reason = rng.choice(REASONS)


def build_book(database: Any, create_property: Any) -> dict[str, Any]:
    """Twelve random accounts over three hotels (two currencies), plus Late and Back."""
    props = [create_property(code, cur) for code, cur in (("MAD", "EUR"), ("BCN", "EUR"),
                                                          ("CUN", "USD"))]  # fmt: skip
    accounts = [Account(name=f"Account {i}") for i in range(12)]
    database.add_all(accounts)
    database.flush()
    add_contracts(database, props, accounts, 90, seed=17)
    mark_lost(accounts, random.Random(3))
    # Marked lost before its first contract was entered: it counts as churned from that entry.
    late = Account(name="Late", lost_on=date(2025, 1, 10), lost_reason="price")
    database.add(late)
    database.flush()
    database.add(
        Contract(
            code="LATE-1", property_id=props[2].id, account_id=late.id, name="Late group",
            status="definite", arrival=date(2024, 11, 5), departure=date(2024, 11, 7),
            created_at=moment(date(2025, 8, 20)),
        )
    )  # fmt: skip
    database.flush()
    # Back on the very day of a report (2025-08-15): from that day it is retained, not churned.
    back = Account(name="Back")
    database.add(back)
    database.flush()
    for code, arrival, entered in (
        ("BACK-24", date(2024, 5, 3), date(2023, 6, 1)),
        ("BACK-25", date(2025, 10, 1), date(2025, 8, 15)),
    ):
        database.add(
            Contract(
                code=code, property_id=props[0].id, account_id=back.id, name="Back group",
                status="definite", arrival=arrival, departure=arrival + timedelta(days=2),
                created_at=moment(entered),
            )
        )  # fmt: skip
    database.flush()
    first = database.scalar(select(Contract.id).where(Contract.code == "BACK-24"))
    database.add(RevenueSnapshot(contract_id=first, kind="fnb", as_of=date(2024, 6, 1),
                                 amount=Decimal("4321.00")))  # fmt: skip
    database.flush()
    return {"props": props, "accounts": accounts}
