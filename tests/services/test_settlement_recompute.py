"""The pickup import's recompute is set-based: latest actuals picked in SQL, one upsert."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event

from hotelattrition.extensions import db
from hotelattrition.models import StoredSettlement
from hotelattrition.services.pickup import latest_actuals
from hotelattrition.services.pickup_import import import_pickup
from hotelattrition.services.settlements import settle_contract, store_settlements

DEC1, DEC3 = date(2026, 12, 1), date(2026, 12, 3)


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL the session runs inside the block, one entry per execute (or executemany)."""
    seen: list[str] = []
    engine = db.session.get_bind()

    def record(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        seen.append(sql)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def pickup_file(codes: list[str], rooms: int) -> bytes:
    lines = ["contract_code,night,room_type,rooms"]
    lines += [f"{code},2027-03-10,DBL,{rooms}" for code in codes]
    return ("\n".join(lines) + "\n").encode()


def test_the_import_writes_every_settlement_in_one_statement(
    database: Any, create_contract: Any
) -> None:
    contracts = [create_contract(code=f"G-{i}") for i in range(12)]
    codes = [c.code for c in contracts]
    import_pickup(pickup_file(codes, 10), DEC1)
    with statements() as seen:
        result = import_pickup(pickup_file(codes, 12), DEC3)
    assert result.settlements == 12
    writes = [s for s in seen if "stored_settlements" in s and not s.lstrip().startswith("SELECT")]
    assert len(writes) == 1
    assert "ON CONFLICT" in writes[0].upper()
    # Each contract's history stays in SQL: only the latest row per key comes back.
    # (The realised revenue series is rewritten by one INSERT ... SELECT: nothing comes back.)
    latest = [s for s in seen if "FROM room_night_snapshots" in s and "contract_revenue" not in s]
    picks = "DISTINCT ON" if database.get_bind().dialect.name == "postgresql" else "row_number()"
    assert latest and all(picks in s for s in latest)
    for contract in contracts:
        stored = database.get(StoredSettlement, contract.id)
        assert stored.picked_up == 12 + 5 + 18  # 03-10 DBL now 12; STE 5 and 03-11 DBL as before
        assert stored.total == settle_contract(contract).total


def test_latest_actuals_take_the_latest_row_of_each_key(
    database: Any, create_contract: Any
) -> None:
    contract = create_contract()
    import_pickup(pickup_file([contract.code], 0), DEC1)  # empties 03-10 DBL
    import_pickup(pickup_file([contract.code], 7), DEC3)
    rooms = latest_actuals([contract.id])[contract.id].rooms
    assert rooms[("pickup", date(2027, 3, 10), "DBL")] == 7
    assert rooms[("pickup", date(2027, 3, 11), "DBL")] == 18
    assert latest_actuals([]) == {}


def test_a_loaded_settlement_reads_the_rows_just_written(
    database: Any, create_contract: Any
) -> None:
    contract = create_contract()
    assert contract.settlement.picked_up == 45  # loaded into the session before the upsert
    import_pickup(pickup_file([contract.code], 30), DEC1)
    assert contract.settlement.picked_up == 30 + 5 + 18
    assert store_settlements([]) == 0
