"""The stored account series (models/account_revenue.py) give each account's lifetime revenue
as the contracts' series do, as of any date, for every property and for each hotel, per
currency; customer value read from them (reports/retention_value.py) is the one its SQL over
the contracts gives (reports/retention_accounts.py, the oracle); and both follow every kind of
write: contracts entered, moved, voided, deleted, their entry day changed, F&B and pickup
recorded through the ORM or set-based.

The data is the stored sums' random book (tests/reports/retention_book.py): 12 accounts over
three hotels in EUR and USD, F&B spent known on days spread over five years.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, select

from hotelattrition import jobs
from hotelattrition.models import (
    AccountRevenue,
    BlockNight,
    BlockRevision,
    Contract,
    ContractRevenue,
    Property,
    RevenueSnapshot,
    RoomNightSnapshot,
)
from hotelattrition.models.account_revenue import AccountRevenueStale, in_force
from hotelattrition.models.revenue_series import (
    rebuild_account_revenue,
    refresh_revenue,
    refresh_stale_accounts,
    revenue_refreshed_meanwhile,
)
from hotelattrition.reports import retention_tallied, retention_value
from hotelattrition.reports.retention import _churned_revenue, period_of, periods_for
from hotelattrition.reports.retention_accounts import customer_value_of
from hotelattrition.reports.retention_sql import counted, revenue_in_force
from hotelattrition.reports.retention_value import customer_value

AS_OF = (date(2023, 6, 30), date(2024, 3, 31), date(2025, 1, 1), date(2025, 8, 15),
         date(2026, 6, 30), date(2027, 2, 28), date(2028, 12, 31))  # fmt: skip
YEARS = (2024, 2025, 2026, 2027)
LIMITS = (1, 2, 3, 5, 25)
Values = dict[tuple[int, int, str], Decimal]


def _stored(as_of: date) -> Values:
    """(scope, account, currency) -> the stored series' revenue in force on the date."""
    v = AccountRevenue
    rows = select(v.scope, v.account_id, v.currency, v.revenue).where(in_force(as_of))
    return {(r.scope, r.account_id, r.currency): r.revenue for r in _db().execute(rows)}


def _live(as_of: date) -> Values:
    """The same from every contract's series, summed here in Python (zero: no entry)."""
    found: Values = defaultdict(Decimal)
    rows = (
        select(Contract.account_id, Contract.property_id, Property.currency,
               ContractRevenue.revenue)
        .join(ContractRevenue, ContractRevenue.contract_id == Contract.id)
        .join(Property, Property.id == Contract.property_id)
        .where(counted(as_of, None), revenue_in_force(as_of))
    )  # fmt: skip
    for r in _db().execute(rows):
        for scope in (0, r.property_id):
            found[(scope, r.account_id, r.currency)] += r.revenue
    return {k: n for k, n in found.items() if n}


def _db() -> Any:
    from hotelattrition.extensions import db

    return db.session


def _same_revenue() -> int:
    compared = 0
    for as_of in AS_OF:
        stored = {k: n for k, n in _stored(as_of).items() if n}
        assert stored == _live(as_of), as_of
        compared += len(stored)
    return compared


def _same_value(props: list[Any], monkeypatch: Any) -> tuple[int, int]:
    """Customer value both ways, for every property and each hotel; (times the stored path
    found the leaders, accounts shown in all)."""
    led = shown = 0
    leaders = retention_value._leaders

    def counting(*args: Any) -> Any:
        nonlocal led
        found = leaders(*args)
        led += found is not None
        return found

    monkeypatch.setattr(retention_value, "_leaders", counting)
    for year in YEARS:
        for as_of in AS_OF:
            for scope in [None, *((p.id,) for p in props)]:
                for limit in LIMITS:
                    whole = period_of("year", year)
                    sql = customer_value_of(whole, as_of, scope, limit)
                    assert customer_value(whole, as_of, scope, limit) == sql, (
                        year, as_of, scope, limit,
                    )  # fmt: skip
                    shown += len(sql)
    return led, shown


def _same_churned(props: list[Any]) -> int:
    """Churned revenue from the retention sums (with what the accounts left to the job add)
    and from the SQL over the contracts, by year and by month, for every property and each
    hotel; how many figures were compared."""
    compared = 0
    for by in ("year", "month"):
        for year in (2025, 2027):
            periods = periods_for(by, year)
            for as_of in AS_OF:
                for scope, stored in [(None, 0), *(((p.id,), p.id) for p in props)]:
                    sql = sorted(_churned_revenue(periods, as_of, scope), key=repr)
                    found = retention_tallied.tallied(periods, as_of, stored, year).counted
                    assert found is not None
                    assert sorted(found.churned, key=repr) == sql, (by, year, as_of, scope)
                    compared += len(sql)
    return compared


def test_the_series_give_each_accounts_lifetime_revenue(
    database: Any, book: dict[str, Any]
) -> None:
    assert _same_revenue() > 40


def test_customer_value_from_the_series_is_the_sqls(
    database: Any, book: dict[str, Any], monkeypatch: Any
) -> None:
    led, shown = _same_value(book["props"], monkeypatch)
    # Both paths ran: the stored one where enough accounts have revenue, the SQL's otherwise.
    assert led > 100 and shown > 500, (led, shown)


def test_the_series_follow_every_write(
    database: Any, book: dict[str, Any], monkeypatch: Any
) -> None:
    rng = random.Random(11)
    contracts = list(database.scalars(select(Contract).order_by(Contract.id)))
    for contract in rng.sample(contracts, 6):
        contract.account_id = rng.choice(book["accounts"]).id
        contract.property_id = rng.choice(book["props"]).id
    database.flush()
    for contract in rng.sample(contracts, 4):  # moved as services do, its account_id unloaded
        database.expire(contract)
        contract.account = rng.choice(book["accounts"])
    for contract in rng.sample(contracts, 6):
        contract.created_at -= timedelta(days=rng.randrange(1, 600))
    for contract in rng.sample(contracts, 4):
        contract.voided_at = datetime(2027, 2, 1, tzinfo=UTC)
    database.flush()
    for contract in rng.sample(contracts, 3):
        database.delete(contract)
    database.flush()
    for contract in rng.sample([c for c in contracts if c in database], 10):
        database.add(
            RevenueSnapshot(
                contract_id=contract.id, kind="fnb", as_of=contract.departure,
                amount=Decimal(rng.randrange(1000, 900000)) / 100,
            )
        )  # fmt: skip
    database.flush()
    _pickup_written_set_based(database, rng, [c for c in contracts if c in database])
    assert _same_revenue() > 40
    _same_value(book["props"], monkeypatch)
    assert _same_churned(book["props"]) > 40


def _pickup_written_set_based(database: Any, rng: random.Random, contracts: list[Any]) -> None:
    """A block and its pickup written as an import does (no flush hook sees them), then the
    series refreshed from the pickup's date on."""
    picked = rng.sample(contracts, 8)
    for contract in picked:
        revision = BlockRevision(
            contract_id=contract.id, number=20, reason="edit", effective_on=contract.arrival,
            created_at=datetime(2024, 1, 2, tzinfo=UTC),
        )  # fmt: skip
        database.add(revision)
        database.flush()
        night = BlockNight(revision_id=revision.id, night=contract.arrival, room_type="DBL",
                           rooms=40, rate=Decimal("120.00"))  # fmt: skip
        database.add(night)
    database.flush()
    on = date(2026, 3, 1)
    database.execute(
        insert(RoomNightSnapshot),
        [{"contract_id": c.id, "as_of": on, "night": c.arrival, "room_type": "DBL",
          "kind": "pickup", "rooms": rng.randrange(1, 40)} for c in picked],
    )  # fmt: skip
    refresh_revenue(database.connection(), [c.id for c in picked], since=on)


def test_imports_from_a_date_on_keep_the_series_or_leave_them_to_the_job(
    database: Any, book: dict[str, Any], monkeypatch: Any
) -> None:
    """Rounds of pickup and F&B written set-based from a random date on (before, among and
    after the days already known), each followed by the series' refresh from that date, as an
    import does: every other round leaves the accounts to the periodic job, as an import on
    PostgreSQL does; meanwhile customer value is still the SQL's, and the job catches up."""
    rng = random.Random(29)
    nights = database.execute(
        select(BlockRevision.contract_id, BlockNight.night, BlockNight.room_type).join(
            BlockNight, BlockNight.revision_id == BlockRevision.id
        )
    ).all()
    assert len(nights) > 30
    behind = churned_behind = 0
    for round_ in range(6):
        since = date(2023, 1, 1) + timedelta(days=rng.randrange(6 * 365))
        touched = _imported(database, rng, nights, since)
        later = round_ % 2 == 1
        refresh_revenue(database.connection(), touched, since=since, accounts_later=later)
        if later:
            stale = set(database.scalars(select(AccountRevenueStale.account_id)))
            assert stale == set(
                database.scalars(select(Contract.account_id).where(Contract.id.in_(touched)))
            )
            behind += any(_stored(d) != _live(d) for d in AS_OF)
            _same_value(book["props"], monkeypatch)
            churned_behind += _churned_behind(book["props"], monkeypatch)
            # One account brought up to date, the rest still marked: still the SQL's; then the
            # job, two accounts a commit, does the rest.
            assert refresh_stale_accounts(database.connection(), 1) == 1
            assert _marked() == len(stale) - 1
            _same_value(book["props"], monkeypatch)
            assert _same_churned(book["props"])
            monkeypatch.setattr(jobs, "STALE_BATCH", 2)
            assert jobs.refresh_stale_account_revenue() == len(stale) - 1
            assert not _marked()
        assert _same_revenue() > 40, since
        assert _same_churned(book["props"]) > 40, since
    assert behind and churned_behind  # the job had something to catch up with


def _churned_behind(props: list[Any], monkeypatch: Any) -> bool:
    """While accounts are left to the job, churned revenue is the SQL's however many there
    are (corrected in Python, or the SQL over the churn spans past MOST_BEHIND); whether the
    sums alone were behind."""
    _same_churned(props)
    with monkeypatch.context() as patched:
        patched.setattr(retention_tallied, "MOST_BEHIND", 0)
        _same_churned(props)
    with monkeypatch.context() as patched:
        patched.setattr(retention_tallied, "churned_revenue_behind", lambda *_: defaultdict(int))
        try:
            _same_churned(props)
        except AssertionError:
            return True
    return False


def test_churned_revenue_that_sums_to_nothing_is_shown_as_the_sql_shows_it(
    database: Any, book: dict[str, Any]
) -> None:
    """Every contract's pickup and F&B corrected to nothing on 2028-06-01, set-based as an
    import writes them: as of 2028-12-31 the churned accounts realised 0.00, a line the SQL
    shows per period and currency and the sums must show too."""
    on = date(2028, 6, 1)
    nights = database.execute(
        select(BlockRevision.contract_id, BlockNight.night, BlockNight.room_type)
        .join(BlockNight, BlockNight.revision_id == BlockRevision.id)
        .distinct()
    ).all()
    database.execute(
        insert(RoomNightSnapshot),
        [{"contract_id": c, "as_of": on, "night": n, "room_type": t, "kind": "pickup",
          "rooms": 0} for c, n, t in nights],
    )  # fmt: skip
    spent = database.execute(
        select(RevenueSnapshot.contract_id, RevenueSnapshot.kind, RevenueSnapshot.name).distinct()
    ).all()
    database.execute(
        insert(RevenueSnapshot),
        [{"contract_id": c, "kind": k, "name": n, "as_of": on, "amount": Decimal(0)}
         for c, k, n in spent],
    )  # fmt: skip
    refresh_revenue(database.connection(), database.scalars(select(Contract.id)), since=on)
    nothing = [
        r
        for by in ("year", "month")
        for r in _churned_revenue(periods_for(by, 2027), date(2028, 12, 31), None)
        if r.revenue == 0
    ]
    assert nothing  # the SQL shows lines of 0.00
    assert _same_churned(book["props"]) >= 0


def _marked() -> int:
    return int(_db().scalar(select(func.count()).select_from(AccountRevenueStale)))


def _imported(database: Any, rng: random.Random, nights: list[Any], since: date) -> set[int]:
    """Pickup for 25 block nights and F&B for 5 contracts, dated from `since` on and written
    as an import writes them (no flush hook sees them); the contracts touched."""
    picked = rng.sample(nights, 25)
    rooms = {(c, n, t): rng.randrange(0, 70) for c, n, t in picked}  # one per key and day
    database.execute(
        insert(RoomNightSnapshot),
        [{"contract_id": c, "as_of": since + timedelta(days=rng.randrange(0, 3)),
          "night": n, "room_type": t, "kind": "pickup", "rooms": r}
         for (c, n, t), r in rooms.items()],
    )  # fmt: skip
    spent = rng.sample([c for c, _, _ in nights], 5)
    database.execute(
        insert(RevenueSnapshot),
        [{"contract_id": c, "kind": "fnb", "name": "", "as_of": since + timedelta(days=i),
          "amount": Decimal(rng.randrange(100, 90000))} for i, c in enumerate(spent)],
    )  # fmt: skip
    return {c for c, _, _ in picked} | set(spent)


def test_a_rebuild_gives_the_series_kept_by_the_writes(database: Any, book: dict[str, Any]) -> None:
    def rows() -> list[Any]:
        table = AccountRevenue.__table__
        return [tuple(r) for r in database.execute(select(table).order_by(*table.primary_key))]

    kept = rows()
    assert len(kept) > 40
    database.execute(delete(AccountRevenue))
    rebuild_account_revenue(database.connection())
    assert rows() == kept


def test_worked_example_of_an_account_at_two_hotels(
    database: Any, create_contract: Any, create_property: Any
) -> None:
    """Acme: at MAD (EUR) the sample contract, entered with its block on 2026-09-01, its
    14,450.00 realised as of 2026-11-01; at CUN (USD) F&B of 2,000.00 known on 2027-01-10 and
    corrected to 2,500.00 on 2027-02-01, its contract entered on 2027-01-20, after the first
    figure was known."""
    mad = create_contract(code="A-1", account="Acme")
    mad.created_at = mad.revisions[0].created_at = datetime(2026, 9, 1, tzinfo=UTC)
    cun = create_property("CUN", "USD")
    usd = Contract(
        code="A-2", property_id=cun.id, account_id=mad.account_id, name="Acme in Cancun",
        status="definite", arrival=date(2027, 1, 5), departure=date(2027, 1, 8),
        created_at=datetime(2027, 1, 20, 9, tzinfo=UTC),
    )  # fmt: skip
    database.add(usd)
    database.flush()
    for day, amount in ((date(2027, 1, 10), "2000.00"), (date(2027, 2, 1), "2500.00")):
        database.add(RevenueSnapshot(contract_id=usd.id, kind="fnb", as_of=day,
                                     amount=Decimal(amount)))  # fmt: skip
    database.flush()
    acme, hotel = mad.account_id, mad.property_id
    eur = Decimal("14450.00")
    assert _stored(date(2026, 10, 31)) == {}
    assert _stored(date(2026, 11, 1)) == {(0, acme, "EUR"): eur, (hotel, acme, "EUR"): eur}
    # The USD figure counts from the day its contract was entered, not the day it was known.
    assert (0, acme, "USD") not in _stored(date(2027, 1, 19))
    on_entry = _stored(date(2027, 1, 20))
    assert on_entry[(0, acme, "USD")] == on_entry[(cun.id, acme, "USD")] == Decimal("2000.00")
    assert _stored(date(2027, 2, 1))[(0, acme, "USD")] == Decimal("2500.00")
    assert _stored(date(2027, 2, 1))[(0, acme, "EUR")] == eur
    usd.voided_at = datetime(2027, 3, 1, tzinfo=UTC)  # a mistake: never counted, even before
    database.flush()
    assert (0, acme, "USD") not in _stored(date(2027, 2, 1))


def test_an_import_on_postgresql_leaves_its_accounts_to_the_job(
    database: Any, book: dict[str, Any], engine_name: str
) -> None:
    """The import's refresh (the series rewritten while its settlements are computed): on
    PostgreSQL the accounts are marked for the job, elsewhere rewritten at once."""
    rng = random.Random(31)
    nights = database.execute(
        select(BlockRevision.contract_id, BlockNight.night, BlockNight.room_type).join(
            BlockNight, BlockNight.revision_id == BlockRevision.id
        )
    ).all()
    since = date(2026, 2, 1)
    touched = _imported(database, rng, nights, since)
    with revenue_refreshed_meanwhile(database.connection(), touched, since):
        pass
    stale = set(database.scalars(select(AccountRevenueStale.account_id)))
    if engine_name == "postgresql":
        assert stale and any(_stored(d) != _live(d) for d in AS_OF)
        assert jobs.refresh_stale_account_revenue() == len(stale)
    else:
        assert not stale
    assert _same_revenue() > 40
