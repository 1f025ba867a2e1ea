"""The stored realised-revenue series equals the live computation from snapshots and revisions
(tests/reports/revenue_oracle.py, the report's query before the series), as of every date,
and every write path keeps it.

The sample contract (tests.conftest.sample_document) picks up 22 DBL + 5 STE on 2027-03-10
and 18 DBL on 2027-03-11 at 150.00 and 290.00 and spends 7,000.00 on F&B, as of 2026-11-01:
3,300 + 1,450 + 2,700 + 7,000 = 14,450.00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import BlockRevision, ContractRevenue
from hotelattrition.services.contract_documents import add_block_revision
from hotelattrition.services.contracts import export_contract, import_contract
from hotelattrition.services.pickup import record_actuals_snapshot
from tests.conftest import KNOWN_ON, log_in, sample_document
from tests.reports.revenue_oracle import revenue_both_ways
from tests.web.html_forms import form_values
from tests.web.test_pickup import upload

N1, N2 = date(2027, 3, 10), date(2027, 3, 11)
TODAY = datetime.now(UTC).date()  # the day the tests' block revisions are entered
DATES = [date(2026, 10, 1), date(2026, 10, 15), date(2026, 10, 31), date(2026, 11, 1),
         date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 21), date(2026, 12, 2),
         date(2027, 1, 5), date(2030, 1, 1)]  # fmt: skip


def stored_equals_live(as_of: date) -> dict[int, Decimal]:
    stored, live = revenue_both_ways(as_of)
    assert stored == live, as_of
    return stored


def _revise(contract: Any, created: datetime, rate: str, drop: tuple[date, str] | None) -> None:
    """A new block revision entered at `created`: every rate `rate`, one night dropped."""
    from hotelattrition.domain.terms import BlockRow, Terms

    block = tuple(
        BlockRow(n.night, n.room_type, n.rooms, Decimal(rate))
        for n in contract.current_block.nights
        if (n.night, n.room_type) != drop
    )
    terms = Terms(currency="EUR", arrival=contract.arrival, departure=contract.departure,
                  block=block)  # fmt: skip
    add_block_revision(contract, terms, "edit", created.date())
    contract.revisions[-1].created_at = created


def test_the_series_equals_the_live_revenue_over_dated_backdated_and_revised_history(
    database: Any, create_contract: Any
) -> None:
    a = create_contract()  # 14,450.00 as of 2026-11-01
    b = create_contract(code="G-200", account="Beta", pickup=[])  # F&B only
    c = create_contract(code="G-300", account="Gamma")
    for contract, entered in ((a, "2026-10-10"), (b, "2026-10-10"), (c, "2026-11-25")):
        contract.revisions[0].created_at = datetime.fromisoformat(entered).replace(tzinfo=UTC)
    # Later snapshots, a backdated one (dated before the first) and a same-day correction.
    record_actuals_snapshot(a, date(2026, 12, 2), {("pickup", N1, "DBL"): 30}, {})
    record_actuals_snapshot(a, date(2026, 10, 15), {("pickup", N1, "DBL"): 10}, {})
    record_actuals_snapshot(b, date(2026, 11, 19), {}, {("fnb", ""): Decimal("8100.50")})
    record_actuals_snapshot(b, date(2026, 11, 19), {}, {("fnb", ""): Decimal("8200.25")})
    record_actuals_snapshot(c, date(2027, 1, 5), {("pickup", N2, "STE"): 4}, {})
    # Revisions entered at the day's edges (UTC): new rates, and one that drops a picked-up
    # night (its rooms realise nothing while that revision is in force).
    _revise(a, datetime(2026, 11, 20, 23, 59, tzinfo=UTC), "160.00", None)
    _revise(c, datetime(2026, 11, 21, 0, 0, tzinfo=UTC), "100.00", (N1, "DBL"))
    database.flush()
    seen = {d: stored_equals_live(d) for d in DATES}
    # Worked by hand for A: as of 2026-10-31 only the backdated 10 DBL on the first night count
    # (revision entered 2026-10-10: 150.00); 2026-11-01 the import: 14,450.00.
    assert seen[date(2026, 10, 31)][a.id] == Decimal("1500.00")
    assert seen[date(2026, 11, 1)][a.id] == Decimal("14450.00")
    # From 2026-11-20 the rooms (22 + 5 + 18) at 160.00: 7,200.00 + 7,000.00 F&B.
    assert seen[date(2026, 11, 20)][a.id] == Decimal("14200.00")
    # From 2026-12-02 30 DBL on the first night and nothing else (a snapshot records every
    # figure: the ones it leaves out are 0 from then): 30 x 160.00.
    assert seen[date(2026, 12, 2)][a.id] == Decimal("4800.00")
    # B: the same-day correction replaced the first figure.
    assert seen[date(2026, 11, 19)][b.id] == Decimal("8200.25")
    assert seen[date(2026, 11, 1)][b.id] == Decimal("7000.00")


@pytest.mark.parametrize("on", [date(2026, 10, 20), date(2026, 11, 19), date(2027, 2, 1)])
def test_an_import_rewrites_the_series_from_its_date_on(
    database: Any, create_contract: Any, on: date
) -> None:
    """An import's snapshots (COPY, no flush) rewrite only the rows from their date: backdated
    between two snapshots, on the day of one, or after every date, the series stays exact.
    The import's path: the rows written, then the settlements stored with revenue_since (on
    PostgreSQL the refresh runs in pipeline mode while the settlements are computed)."""
    from hotelattrition.services.pickup_snapshots import insert_snapshots
    from hotelattrition.services.settlements import store_settlements

    a = create_contract()  # its snapshot is dated 2026-11-01
    b = create_contract(code="G-200", account="Beta")
    for contract in (a, b):
        contract.revisions[0].created_at = datetime(2026, 10, 10, tzinfo=UTC)
    record_actuals_snapshot(a, date(2026, 12, 2), {("pickup", N1, "DBL"): 30}, {})
    record_actuals_snapshot(a, date(2026, 10, 15), {("pickup", N1, "DBL"): 10}, {})
    database.flush()
    days = sorted({*DATES, on, on - timedelta(days=1)})
    before = {d: stored_equals_live(d) for d in days}
    insert_snapshots({(a.id, N1, "DBL"): 12, (a.id, N2, "STE"): 9}, on)
    stale, live = revenue_both_ways(on)
    assert stale == before[on] and live != stale  # the rows alone leave the series as it was
    store_settlements([a.id], revenue_since=on)
    after = {d: stored_equals_live(d) for d in days}
    assert after[on][a.id] != before[on][a.id]  # the import counts from its day
    assert all(after[d] == before[d] for d in days if d < on)  # and not a day before
    assert all(after[d].get(b.id) == before[d].get(b.id) for d in days)
    ends = database.execute(
        select(ContractRevenue.effective_on, ContractRevenue.ends_on)
        .where(ContractRevenue.contract_id == a.id)
        .order_by(ContractRevenue.effective_on)
    ).all()
    # Each row ends where the next starts: no gap, no overlap, the last one open.
    assert [e for _, e in ends] == [s for s, _ in ends[1:]] + [None]


def test_the_series_equals_the_live_revenue_over_the_demo_data(database: Any) -> None:
    from hotelattrition.services.demo import load_demo_data

    load_demo_data(date(2027, 3, 10))
    database.flush()
    found = [stored_equals_live(d) for d in (date(2025, 6, 30), date(2026, 6, 30),
                                             date(2027, 3, 10), date(2028, 1, 1))]  # fmt: skip
    assert any(found)


@pytest.fixture
def sales(client: Any, create_contract: Any, create_user: Any) -> tuple[Any, Any]:
    """A signed-in sales client, and G-100 at its hotel."""
    contract = create_contract()
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    return client, contract


def _series(database: Any, contract_id: int) -> list[tuple[date, Decimal | None]]:
    rows = database.execute(
        select(ContractRevenue.effective_on, ContractRevenue.revenue)
        .where(ContractRevenue.contract_id == contract_id)
        .order_by(ContractRevenue.effective_on)
    )
    return [tuple(r) for r in rows]


def test_a_pickup_import_keeps_the_series(sales: tuple[Any, Any], database: Any) -> None:
    client, contract = sales
    response = upload(client, "contract_code,night,room_type,rooms\nG-100,2027-03-10,DBL,30\n")
    assert response.status_code == 302
    # 30 DBL instead of 22 on the first night from 2026-12-01: 14,450 + 8 x 150 (from the day
    # the block was entered, today: the test's contract was entered after its snapshots' dates).
    assert date(2026, 12, 1) in dict(_series(database, contract.id))
    assert _series(database, contract.id)[-1][1] == Decimal("15650.00")
    stored_equals_live(date(2026, 12, 1))
    stored_equals_live(TODAY)


def test_the_pickup_form_keeps_the_series(sales: tuple[Any, Any], database: Any) -> None:
    client, contract = sales
    page = client.get("/contracts/G-100/pickup").get_data(as_text=True)
    values = form_values(page, "pickup-form") | {"as_of": "2026-12-02", "fnb_actual": "9500"}
    assert client.post("/contracts/G-100/pickup", data=values).status_code == 302
    # F&B 9,500.00 instead of 7,000.00 from 2026-12-02.
    assert date(2026, 12, 2) in dict(_series(database, contract.id))
    assert _series(database, contract.id)[-1][1] == Decimal("16950.00")
    stored_equals_live(date(2026, 12, 2))
    stored_equals_live(TODAY)


def test_a_document_import_with_new_rates_keeps_the_series(
    database: Any, create_contract: Any
) -> None:
    # The document path (the CLI's and the app's import): a new revision and new actuals.
    contract = create_contract()
    doc = export_contract("G-100")
    for night in doc["block"]:
        night["rate"] = "200.00"
    doc["as_of"] = "2026-12-03"
    import_contract(doc)
    database.flush()
    revision = database.scalars(
        select(BlockRevision).where(BlockRevision.contract_id == contract.id)
        .order_by(BlockRevision.number.desc())
    ).first()  # fmt: skip
    entered = revision.created_at.astimezone(UTC).date()
    # As of the day the new revision was entered: (22 + 5 + 18) x 200 + 7,000.
    assert stored_equals_live(entered)[contract.id] == Decimal("16000.00")
    # Before any block was entered the rooms had no rate in force: the F&B only.
    assert stored_equals_live(date.fromisoformat(KNOWN_ON))[contract.id] == Decimal("7000.00")


def test_a_new_contract_gets_its_series(database: Any, create_property: Any) -> None:
    create_property("MAD", "EUR")
    contract = import_contract({"as_of": KNOWN_ON} | sample_document(code="G-900")).contract
    # Its snapshots are dated 2026-11-01, its block entered today: F&B, then everything.
    assert _series(database, contract.id) == [
        (date.fromisoformat(KNOWN_ON), Decimal("7000.00")), (TODAY, Decimal("14450.00")),
    ]  # fmt: skip
