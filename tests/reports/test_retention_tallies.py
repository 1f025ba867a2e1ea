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
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text

from hotelattrition.domain.retention_events import (
    CHURNED_NIL,
    account_events,
    churned_revenue_events,
)
from hotelattrition.domain.retention_inputs import AccountBook, Earned, Stay
from hotelattrition.models import (
    Account,
    Complaint,
    Contract,
    DailyTally,
    DecisionReview,
    MonthlyTally,
    RetentionInputs,
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

from .retention_book import (
    STATUSES,
    add_contracts,
    complain,
    decide,
    mark_lost,
    revise,
)

AS_OF = (date(2024, 3, 31), date(2025, 1, 1), date(2025, 8, 15), date(2026, 6, 30),
         date(2027, 2, 28), date(2027, 12, 31), date(2029, 1, 1))  # fmt: skip


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
            decide(database, rng, contract)
            revise(database, rng, contract, 9)
            complain(database, rng, contract)
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
    mark_lost(book["accounts"], rng)
    database.flush()
    for account in [a for a in book["accounts"] if a.lost_on][:2]:  # won back
        account.lost_on, account.lost_reason = None, None
    for complaint in list(database.scalars(select(Complaint).limit(3))):
        database.delete(complaint)
    database.flush()
    add_contracts(database, book["props"], book["accounts"], 10, seed=23)
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


def test_worked_example_of_churned_revenue() -> None:
    """Acme at MAD (EUR) stays once in 2024: arriving 2024-06-10, entered 2024-01-15; 10,000.00
    realised from 2024-03-01, 12,500.00 from 2024-06-20. A second group arriving 2024-08-01
    was entered on 2024-05-01 with 3,000.00 known from 2024-04-01; a third, cancelled, has
    5,000.00 that never counts. Nothing in 2025 until a contract entered on 2025-02-01.

    By year Acme is churned in 2025 from 2024-01-15 (active in 2024) until 2025-02-01, and
    its 2024 revenue counts then, each row from the later of its first day and its contract's
    entry: +10,000.00 on 2024-03-01, +3,000.00 on 2024-05-01 (not 04-01), +2,500.00 on
    2024-06-20, and all 15,500.00 off on 2025-02-01. That contract (900.00, tentative) is
    2025's, with nothing booked for 2026: churned in 2026 with its 900.00 from 2025-02-01."""
    eur = 10_000

    def stay(n: int, arrival: date, status: str, entered: date, *earned: Earned) -> Stay:
        departure = arrival + timedelta(days=2)
        return Stay(n, 7, arrival, departure, status, entered, currency="EUR", earned=earned)

    first = stay(1, date(2024, 6, 10), "settled", date(2024, 1, 15),
                 Earned(date(2024, 3, 1), date(2024, 6, 20), 10_000 * eur),
                 Earned(date(2024, 6, 20), None, 12_500 * eur))  # fmt: skip
    second = stay(2, date(2024, 8, 1), "definite", date(2024, 5, 1),
                  Earned(date(2024, 4, 1), None, 3_000 * eur))  # fmt: skip
    cancelled = stay(3, date(2024, 9, 1), "cancelled", date(2024, 2, 1),
                     Earned(date(2024, 2, 1), None, 5_000 * eur))  # fmt: skip
    back = stay(4, date(2025, 9, 1), "tentative", date(2025, 2, 1),
                Earned(date(2025, 2, 1), None, 900 * eur))  # fmt: skip
    events = churned_revenue_events(AccountBook((first, second, cancelled, back)))
    year = {(k[2], k[3], k[4], k[5]): n for k, n in events.items() if k[:2] == (0, "year")}
    assert year == {
        (2025, "churned_revenue", "EUR", date(2024, 3, 1)): 10_000 * eur,
        (2025, "churned_revenue", "EUR", date(2024, 5, 1)): 3_000 * eur,
        (2025, "churned_revenue", "EUR", date(2024, 6, 20)): 2_500 * eur,
        (2025, "churned_revenue", "EUR", date(2025, 2, 1)): -15_500 * eur,
        (2026, "churned_revenue", "EUR", date(2025, 2, 1)): 900 * eur,
    }
    # The same in MAD's own scope (7); and they are among the account's events.
    assert {k[1:]: n for k, n in events.items() if k[0] == 7} == {
        k[1:]: n for k, n in events.items() if k[0] == 0
    }
    everything = account_events(AccountBook((first, second, cancelled, back)))
    assert all(everything[k] == n for k, n in events.items())


def test_churned_revenue_of_nothing_is_shown_as_the_sql_shows_it() -> None:
    """A churned account whose only contract realised 0.00 (its pickup corrected to nothing):
    the period shows 0.00 in its currency, as the SQL's sum over that row does, so the rows
    of zero are counted beside the amounts; a contract with no row in force shows nothing."""
    stay = Stay(1, 7, date(2024, 6, 10), date(2024, 6, 12), "settled", date(2024, 1, 15),
                currency="EUR", earned=(Earned(date(2024, 3, 1), None, 0),))  # fmt: skip
    events = churned_revenue_events(AccountBook((stay,)))
    year = {(k[2], k[3], k[5]): n for k, n in events.items() if k[:2] == (0, "year")}
    assert year == {(2025, CHURNED_NIL, date(2024, 3, 1)): 1}
    assert not churned_revenue_events(AccountBook((replace(stay, earned=()),)))


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
