"""The stored sums (models/retention_tallies.py) give the retention report's figures they keep
(accounts, rebooking, the funnel and its reasons, damages, lost business, churned accounts by
reason) exactly as its SQL over the contracts does, as of any date, for every property and for
one, by year and by month; and they follow each kind of write.

The SQL (reports/retention.py, retention_pipeline.py, retention_care.py) is the oracle: random
accounts with contracts at three hotels (two currencies), of every status, entered and arriving
over five years, some voided, with block revisions and settlement decisions (some awaiting
approval, approved or refused), some accounts marked lost, are compared on dates spread over
those years; then contracts are edited, moved, voided and deleted, decisions approved, blocks
revised and accounts marked lost, and the two compared again.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text

from hotelattrition.domain.retention_events import account_events
from hotelattrition.domain.retention_inputs import AccountBook, Stay
from hotelattrition.models import (
    Account,
    BlockNight,
    BlockRevision,
    Complaint,
    Contract,
    DailyTally,
    DecisionReview,
    MonthlyTally,
    RetentionInputs,
    RevenueSnapshot,
    SettlementDecision,
)
from hotelattrition.models.retention_tallies import TURNS_LOCK, rebuild_tallies, refresh_tallies
from hotelattrition.reports.retention import (
    _accounts,
    _churned_revenue,
    _damages,
    _lost,
    period_of,
    periods_for,
)
from hotelattrition.reports.retention_accounts import compare
from hotelattrition.reports.retention_care import churned_by_reason
from hotelattrition.reports.retention_pipeline import funnel, step_reasons
from hotelattrition.reports.retention_tallied import tallied

STATUSES = ("tentative", "definite", "definite", "settled", "settled", "cancelled", "lost")
REASONS = (None, "price", "competitor")
AS_OF = (date(2024, 3, 31), date(2025, 1, 1), date(2025, 8, 15), date(2026, 6, 30),
         date(2027, 2, 28), date(2027, 12, 31), date(2029, 1, 1))  # fmt: skip


def _day(rng: random.Random, start: date, days: int) -> date:
    # Never the 29th-31st: SQLite moves "Jan 31 + 1 month" into March, PostgreSQL and the
    # events keep it in February; the report's dates are compared on both engines here.
    day = start + timedelta(days=rng.randrange(days))
    return day.replace(day=min(day.day, 28))


def _contracts(database: Any, props: list[Any], accounts: list[Any], n: int, seed: int) -> None:
    rng = random.Random(seed)
    for i in range(n):
        arrival = _day(rng, date(2023, 1, 1), 5 * 365)
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
            _revise(database, rng, contract, number)
        for _ in range(rng.choice((0, 0, 1, 2))):
            _decide(database, rng, contract)
        for _ in range(rng.choice((0, 0, 0, 1, 2))):
            _complain(database, rng, contract)
        for _ in range(rng.choice((0, 1, 2))):  # F&B spent, known on a day: realised revenue
            known = contract.departure + timedelta(days=rng.randrange(-30, 300))
            database.add(
                RevenueSnapshot(
                    contract_id=contract.id, kind="fnb", as_of=known,
                    amount=Decimal(rng.randrange(1000, 900000)) / 100,
                )
            )  # fmt: skip
    database.flush()


def _complain(database: Any, rng: random.Random, contract: Any) -> None:
    day = contract.arrival + timedelta(days=rng.randrange(0, 120))
    database.add(
        Complaint(
            contract_id=contract.id, happened="Cold rooms", department="housekeeping",
            severity="high", recorded_on=day, recorded_at=_moment(day),
            recorded_by="s@example.com",
        )
    )  # fmt: skip


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _revise(database: Any, rng: random.Random, contract: Any, number: int) -> None:
    entered = contract.arrival - timedelta(days=rng.randrange(-20, 400))
    revision = BlockRevision(
        contract_id=contract.id, number=number, reason="edit", effective_on=entered,
        created_at=_moment(entered),
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


def _decide(database: Any, rng: random.Random, contract: Any) -> None:
    decided = contract.departure + timedelta(days=rng.randrange(-10, 200))
    damages = Decimal(rng.randrange(100, 900000)) / 100
    kind = rng.choice(("collect", "waive", "convert"))
    decision = SettlementDecision(
        contract_id=contract.id, kind=kind, damages=damages,
        amount=damages if kind == "collect" else (damages / 2).quantize(Decimal("0.01")),
        currency=rng.choice(("EUR", "USD")), decided_by="t@example.com",
        decided_at=_moment(decided), needs_approval=rng.random() < 0.4,
    )  # fmt: skip
    database.add(decision)
    database.flush()
    if decision.needs_approval and rng.random() < 0.7:
        reviewed = decided + timedelta(days=rng.randrange(0, 60))
        database.add(
            DecisionReview(
                decision_id=decision.id, approved=rng.random() < 0.8, reviewed_by="m@example.com",
                reviewed_at=_moment(reviewed),
            )
        )  # fmt: skip


def _mark_lost(accounts: list[Any], rng: random.Random) -> None:
    for account in rng.sample(accounts, 4):
        account.lost_on = _day(rng, date(2024, 1, 1), 4 * 365)
        account.lost_reason = rng.choice(REASONS)


def _sql(periods: Any, as_of: date, scope: Any) -> tuple[Any, ...]:
    groups, money = compare(period_of("year", _year(periods)), as_of, scope)
    return (
        _accounts(periods, as_of, scope),
        funnel(periods, as_of, scope),
        sorted(step_reasons(periods, as_of, scope), key=repr),
        sorted(_damages(periods, as_of, scope), key=repr),
        sorted(_lost(periods, as_of, scope), key=repr),
        sorted(churned_by_reason(periods, as_of, scope), key=repr),
        groups,
        money,
        sorted(_churned_revenue(periods, as_of, scope), key=repr),
    )


def _stored(periods: Any, as_of: date, scope: int) -> tuple[Any, ...]:
    found = tallied(periods, as_of, scope, _year(periods))
    assert found.counted is not None
    return (
        found.counted.accounts,
        found.funnel,
        sorted(found.reasons, key=repr),
        sorted(found.counted.damages, key=repr),
        sorted(found.counted.lost, key=repr),
        sorted(found.churn_reasons, key=repr),
        found.groups,
        found.group_money,
        sorted(found.counted.churned, key=repr),
    )


def _year(periods: Any) -> int:
    """The report's year: the last of the five by year, the twelve months' by month."""
    return int(periods[-1].start.year)


def _same_everywhere(props: list[Any], years: tuple[int, ...] = (2024, 2026, 2027)) -> int:
    """Compares the two everywhere; each section is non-empty somewhere (else, proves nothing)."""
    compared = 0
    shown = [0] * 9
    for by in ("year", "month"):
        for year in years:
            periods = periods_for(by, year)
            for as_of in AS_OF:
                for scope, stored in [(None, 0)] + [((p.id,), p.id) for p in props]:
                    sql = _sql(periods, as_of, scope)
                    assert _stored(periods, as_of, stored) == sql, (by, year, as_of, scope)
                    compared += 1
                    shown = [
                        n + bool(_nonzero(section)) for n, section in zip(shown, sql, strict=True)
                    ]
    assert all(shown), shown
    return compared


def _nonzero(section: list[Any]) -> bool:
    """Whether a section shows anything (the account figures are rows of zeros when empty)."""
    return any(
        any(v for k, v in vars(row).items() if k != "period" and isinstance(v, int | Decimal))
        for row in section
    )


@pytest.fixture
def book(database: Any, create_property: Any) -> dict[str, Any]:
    props = [create_property(code, cur) for code, cur in (("MAD", "EUR"), ("BCN", "EUR"),
                                                          ("CUN", "USD"))]  # fmt: skip
    accounts = [Account(name=f"Account {i}") for i in range(12)]
    database.add_all(accounts)
    database.flush()
    _contracts(database, props, accounts, 90, seed=17)
    _mark_lost(accounts, random.Random(3))
    # Marked lost before its first contract was entered: it counts as churned from that entry.
    late = Account(name="Late", lost_on=date(2025, 1, 10), lost_reason="price")
    database.add(late)
    database.flush()
    database.add(
        Contract(
            code="LATE-1", property_id=props[2].id, account_id=late.id, name="Late group",
            status="definite", arrival=date(2024, 11, 5), departure=date(2024, 11, 7),
            created_at=_moment(date(2025, 8, 20)),
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
                created_at=_moment(entered),
            )
        )  # fmt: skip
    database.flush()
    first = database.scalar(select(Contract.id).where(Contract.code == "BACK-24"))
    database.add(RevenueSnapshot(contract_id=first, kind="fnb", as_of=date(2024, 6, 1),
                                 amount=Decimal("4321.00")))  # fmt: skip
    database.flush()
    return {"props": props, "accounts": accounts}


def test_the_sums_give_what_the_sql_gives(database: Any, book: dict[str, Any]) -> None:
    assert database.scalar(select(func.count()).select_from(MonthlyTally)) > 0
    assert _same_everywhere(book["props"]) == 2 * 3 * len(AS_OF) * 4


def test_the_sums_follow_edits_moves_voids_and_deletions(
    database: Any, book: dict[str, Any]
) -> None:
    rng = random.Random(5)
    contracts = list(database.scalars(select(Contract).order_by(Contract.id)))
    for contract in rng.sample(contracts, 12):
        contract.status = rng.choice(STATUSES)
        contract.lost_reason = "price" if contract.status in ("lost", "cancelled") else None
    for contract in rng.sample(contracts, 8):
        contract.arrival += timedelta(days=rng.randrange(-400, 400))
        contract.departure = contract.arrival + timedelta(days=2)
    for contract in rng.sample(contracts, 6):
        contract.account_id = rng.choice(book["accounts"]).id
        contract.property_id = rng.choice(book["props"]).id
    database.flush()
    for contract in rng.sample(contracts, 4):  # moved as services do, its account_id unloaded
        database.expire(contract)
        contract.account = rng.choice(book["accounts"])
    for contract in rng.sample(contracts, 6):
        contract.created_at -= timedelta(days=rng.randrange(1, 300))
    for contract in rng.sample(contracts, 4):
        contract.voided_at = datetime(2027, 2, 1, tzinfo=UTC)
    database.flush()
    decided = set(database.scalars(select(SettlementDecision.contract_id)))
    for contract in rng.sample([c for c in contracts if c.id not in decided], 3):
        database.delete(contract)
    database.flush()
    for contract in rng.sample(contracts, 10):
        if contract in database:
            _decide(database, rng, contract)
            _revise(database, rng, contract, 9)
            _complain(database, rng, contract)
            contract.signed_on = None if contract.signed_on else contract.arrival
    reviewed = select(DecisionReview.decision_id)
    waiting = select(SettlementDecision).where(
        SettlementDecision.needs_approval.is_(True), SettlementDecision.id.not_in(reviewed)
    )
    for decision in database.scalars(waiting):  # approved (or refused) at last
        database.add(
            DecisionReview(
                decision_id=decision.id, approved=rng.random() < 0.7, reviewed_by="m@example.com",
                reviewed_at=decision.decided_at + timedelta(days=rng.randrange(1, 90)),
            )
        )  # fmt: skip
    _mark_lost(book["accounts"], rng)
    database.flush()
    for account in [a for a in book["accounts"] if a.lost_on][:2]:  # won back
        account.lost_on, account.lost_reason = None, None
    for complaint in list(database.scalars(select(Complaint).limit(3))):
        database.delete(complaint)
    database.flush()
    _contracts(database, book["props"], book["accounts"], 10, seed=23)
    _same_everywhere(book["props"], years=(2025, 2027))


def test_a_rebuild_gives_the_sums_kept_by_the_writes(database: Any, book: dict[str, Any]) -> None:
    def rows() -> list[Any]:
        return [
            tuple(r)
            for table in (MonthlyTally, DailyTally)
            for r in database.execute(
                select(table.__table__)
                .where(table.__table__.c.amount != 0)
                .order_by(*table.__table__.primary_key.columns)
            )
        ]

    kept = rows()
    rebuild_tallies(database.connection())
    assert rows() == kept


def test_a_recount_adds_only_what_changed_since_the_last(
    database: Any, book: dict[str, Any]
) -> None:
    before = database.scalar(select(func.sum(MonthlyTally.amount)))
    # Forgetting the books makes the next recount add everything again (so it does read them);
    # a recount with nothing changed since adds nothing.
    database.execute(delete(RetentionInputs))
    everyone = list(database.scalars(select(Account.id)))
    refresh_tallies(database.connection(), everyone)
    assert database.scalar(select(func.sum(MonthlyTally.amount))) == 2 * before
    refresh_tallies(database.connection(), everyone)
    assert database.scalar(select(func.sum(MonthlyTally.amount))) == 2 * before


def test_worked_example_of_one_annual_account() -> None:
    """Acme at MAD: arrives 2025-05-10 (entered 2024-11-01), again 2026-05-10 (entered
    2025-09-01, 4 months after the first departed on 2025-05-12). By year:
    * 2025: active from 2024-11-01, new from then; 2026: active and retained from 2025-09-01,
      not new; 2025's stay held from 2025-05-12, rebooked within 12 months on 2025-09-01;
    * its 12-month window is open from 2025-05-12 and ends on 2026-05-12."""
    first = Stay(1, 7, date(2025, 5, 10), date(2025, 5, 12), "settled", date(2024, 11, 1))
    second = Stay(2, 7, date(2026, 5, 10), date(2026, 5, 12), "definite", date(2025, 9, 1))
    events = account_events(AccountBook((first, second)))
    year = {(k[2], k[3], k[5]): n for k, n in events.items() if k[0] == 0 and k[1] == "year"}
    assert year[(2025, "active", date(2024, 11, 1))] == 1
    assert year[(2025, "new", date(2024, 11, 1))] == 1
    assert year[(2026, "active", date(2025, 9, 1))] == 1
    assert year[(2026, "before", date(2024, 11, 1))] == 1
    assert year[(2026, "retained", date(2025, 9, 1))] == 1
    assert (2026, "new", date(2025, 9, 1)) not in year
    assert year[(2025, "stays_held", date(2025, 5, 12))] == 1
    assert year[(2025, "rebooked_12", date(2025, 9, 1))] == 1
    assert year[(2025, "open_12", date(2025, 5, 12))] == 1
    assert year[(2025, "open_12", date(2026, 5, 12))] == -1
    # The same events in MAD's own scope (7), and none in another's.
    assert {k[1:]: n for k, n in events.items() if k[0] == 7} == {
        k[1:]: n for k, n in events.items() if k[0] == 0
    }
    assert {k[0] for k in events} == {0, 7}


def test_a_recount_takes_the_writers_turn_until_its_transaction_ends(
    database: Any, book: dict[str, Any], engine_name: str
) -> None:
    """On PostgreSQL a transaction that recounts holds one advisory lock to its end, so two
    writers never take the shared sums' rows in opposite orders (SQLite has one writer)."""
    if engine_name != "postgresql":
        pytest.skip("PostgreSQL's advisory locks")
    held = (
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
        f"AND ((classid::bigint << 32) | objid::bigint) = {TURNS_LOCK}"
    )
    contract = database.scalars(select(Contract).limit(1)).one()
    contract.status = "lost" if contract.status != "lost" else "definite"
    database.flush()
    assert database.execute(text(held)).scalar() == 1
