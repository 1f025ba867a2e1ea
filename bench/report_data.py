"""A synthetic data set for the reports bench, loaded into PostgreSQL with COPY.

Contract i (from 0) is at property i // 2,000 and arrives on day (i % 2,000) x 1,096 / 2,000
of 2026-2028: about 55 arrivals a month at every property whatever the size, so one
property-month is the same work in the 10,000- and the 100,000-contract sets. Its shape comes
from a variant v = i % 64: 3 to 7 nights of KNG, DBL and STE rooms (15 block nights on
average), pickup snapshots 60 and 10 days before arrival (half, then 60-100 % of the block),
one in eight with an earlier, larger block revision, one in 23 cancelled, past stays settled
with their F&B actual. Stored settlements are the calculator's, computed once per variant
(dates do not change a settlement's figures when every date moves together).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from hotelattrition.domain import parse_document, settle, settlement_to_json

PER_PROPERTY = 2_000
ACCOUNTS = 500
VARIANTS = 64
BASE = date(2026, 1, 1)
SETTLED_BEFORE = date(2026, 11, 1)
ROOM_TYPES = (("KNG", Decimal("180.00"), 20, 30), ("DBL", Decimal("150.00"), 10, 15),
              ("STE", Decimal("320.00"), 2, 5))  # fmt: skip
OLD_REVISION = 10_000_000  # id offset of the earlier block revisions
CANCELLED_DAYS = 45
SCHEDULE = [{"min_days": 90, "pct": "50"}, {"min_days": 30, "pct": "80"},
            {"min_days": 0, "pct": "100"}]  # fmt: skip


def property_of(i: int) -> int:
    return i // PER_PROPERTY


def arrival_of(i: int) -> date:
    return BASE + timedelta(days=(i % PER_PROPERTY) * 1_096 // PER_PROPERTY)


def kind_of(i: int) -> str:
    """cancelled, settled (the stay is over) or open."""
    if (i % VARIANTS) % 23 == 0:
        return "cancelled"
    return "settled" if arrival_of(i) < SETTLED_BEFORE else "open"


def block_of(v: int, extra: int = 0) -> list[tuple[int, str, Decimal, int]]:
    """(night offset, room type, rate, rooms) of a variant's block."""
    return [
        (n, room_type, rate, low + v % span + extra)
        for n in range(3 + v % 5)
        for room_type, rate, low, span in ROOM_TYPES
    ]


def final_pickup(v: int, rooms: int) -> int:
    return rooms * (60 + 5 * (v % 9)) // 100


def fnb_minimum(v: int) -> Decimal:
    return Decimal(60) * sum(rooms for *_, rooms in block_of(v))


def fnb_actual(v: int) -> Decimal:
    return fnb_minimum(v) * (80 + 5 * (v % 5)) / 100


@cache
def stored(v: int, kind: str) -> tuple[Any, ...]:
    """The stored_settlements columns (scaled integers) of a variant, computed once."""
    arrival = date(2027, 6, 1)
    block = block_of(v)
    doc: dict[str, Any] = {
        "currency": "EUR",
        "arrival": arrival.isoformat(),
        "departure": (arrival + timedelta(days=3 + v % 5)).isoformat(),
        "block": [
            {
                "night": (arrival + timedelta(days=n)).isoformat(),
                "room_type": t,
                "rooms": r,
                "rate": str(rate),
            }
            for n, t, rate, r in block
        ],
        "room_attrition": {"allowance_pct": "20", "tax_pct": "10"},
        "fnb": {
            "minimum": str(fnb_minimum(v)),
            "actual": "0",
            "allowance_pct": "10",
            "tax_pct": "10",
        },
        "cancellation": {"schedule": SCHEDULE},
    }
    if kind == "cancelled":
        cancelled_on = arrival - timedelta(days=CANCELLED_DAYS)
        doc["cancellation"]["cancelled_on"] = cancelled_on.isoformat()
    else:
        doc["pickup"] = [
            {"night": (arrival + timedelta(days=n)).isoformat(), "room_type": t,
             "rooms": final_pickup(v, r)}
            for n, t, _, r in block if final_pickup(v, r)
        ]  # fmt: skip
    if kind == "settled":
        doc["fnb"]["actual"] = str(fnb_actual(v))
    result = settle(parse_document(doc))
    rooms = result.rooms
    return (
        result.status, result.currency, rooms.contracted, scaled(rooms.minimum, 6),
        rooms.picked_up, rooms.resold, scaled(rooms.shortfall, 6), scaled(rooms.pickup_pct),
        scaled(result.subtotal), scaled(result.tax), scaled(result.total),
        json.dumps(settlement_to_json(result), separators=(",", ":")),
    )  # fmt: skip


def scaled(value: Decimal, scale: int = 4) -> int:
    """What an ExactDecimal column stores."""
    return int(value.scaleb(scale))


# Rows for COPY (text format, tab-separated) -------------------------------------------


def contract_rows(first: int, last: int, property_ids: Sequence[int]) -> Iterator[str]:
    for i in range(first, last):
        v, arrival, kind = i % VARIANTS, arrival_of(i), kind_of(i)
        status = {"cancelled": "cancelled", "settled": "settled"}.get(kind)
        status = status or ("tentative" if v % 7 == 0 else "definite")
        signed = arrival - timedelta(days=120 + 3 * v)
        cutoff = (arrival - timedelta(days=21)).isoformat() if v % 2 else r"\N"
        departure = arrival + timedelta(days=3 + v % 5)
        yield (
            f"{i + 1}\tC{i + 1:06}\t{property_ids[property_of(i)]}\t{i % ACCOUNTS + 1}\t"
            f"Group {i + 1}\tgroup {i + 1} c{i + 1:06}\t"  # the name, its search key
            f"{status}\t{signed}\t{arrival}\t{departure}\t{cutoff}\t1\t{signed}\t{signed}\n"
        )


def revision_rows(first: int, last: int) -> Iterator[str]:
    for i in range(first, last):
        v, arrival = i % VARIANTS, arrival_of(i)
        signed = arrival - timedelta(days=120 + 3 * v)
        if v % 8 == 1:
            yield f"{OLD_REVISION + i + 1}\t{i + 1}\t1\tsigned\t{signed}\t\t{signed}\n"
            yield f"{i + 1}\t{i + 1}\t2\treview\t{arrival - timedelta(days=30)}\t\t{signed}\n"
        else:
            yield f"{i + 1}\t{i + 1}\t1\tsigned\t{signed}\t\t{signed}\n"


def block_night_rows(first: int, last: int) -> Iterator[str]:
    for i in range(first, last):
        v, arrival = i % VARIANTS, arrival_of(i)
        revisions = [(i + 1, 0)] + ([(OLD_REVISION + i + 1, 5)] if v % 8 == 1 else [])
        for revision, extra in revisions:
            for n, room_type, rate, rooms in block_of(v, extra):
                night = arrival + timedelta(days=n)
                yield f"{revision}\t{night}\t{room_type}\t{rooms}\t{scaled(rate)}\n"


def snapshot_rows(first: int, last: int) -> Iterator[str]:
    for i in range(first, last):
        v, arrival = i % VARIANTS, arrival_of(i)
        if kind_of(i) == "cancelled":
            continue
        early, late = arrival - timedelta(days=60), arrival - timedelta(days=10)
        for n, room_type, _, rooms in block_of(v):
            night, final = arrival + timedelta(days=n), final_pickup(v, rooms)
            if final // 2:
                yield f"{i + 1}\tpickup\t{night}\t{room_type}\t{early}\t{final // 2}\n"
            if final:
                yield f"{i + 1}\tpickup\t{night}\t{room_type}\t{late}\t{final}\n"


def clause_rows(first: int, last: int) -> dict[str, Iterator[str]]:
    r = range(first, last)
    return {
        "room_attrition_clauses": (
            f"{i + 1}\t200000\tcumulative\texact\taverage\t\\N\t1000000\tt\tf\t100000\n" for i in r
        ),
        "fnb_clauses": (
            f"{i + 1}\t{scaled(fnb_minimum(i % VARIANTS))}\t100000\t1000000\t0\t100000\tt\n"
            for i in r
        ),
        "cancellation_clauses": (
            f"{i + 1}\t{_cancelled_on(i)}\t1000000\t1000000\tt\tt\t1000000\tt\t0\n" for i in r
        ),
        "schedule_steps": (
            f"{i + 1}\t{step['min_days']}\t{scaled(Decimal(step['pct']))}\n"
            for i in r
            for step in SCHEDULE
        ),
        "revenue_snapshots": (
            f"{i + 1}\tfnb\t\t{arrival_of(i) + timedelta(days=8)}\t"
            f"{scaled(fnb_actual(i % VARIANTS))}\n"
            for i in r
            if kind_of(i) == "settled"
        ),
    }


def _cancelled_on(i: int) -> str:
    if kind_of(i) != "cancelled":
        return r"\N"
    return (arrival_of(i) - timedelta(days=CANCELLED_DAYS)).isoformat()


def settlement_rows(first: int, last: int) -> Iterator[str]:
    for i in range(first, last):
        *figures, result = stored(i % VARIANTS, kind_of(i))
        escaped = result.replace("\\", "\\\\")
        yield "\t".join(map(str, (i + 1, *figures, escaped, "2026-11-01 00:00:00+00"))) + "\n"


COLUMNS = {
    "contracts": "id, code, property_id, account_id, name, search_key, status, signed_on, "
    "arrival, departure, cutoff_on, version, created_at, updated_at",
    "block_revisions": "id, contract_id, number, reason, effective_on, note, created_at",
    "block_nights": "revision_id, night, room_type, rooms, rate",
    "room_night_snapshots": "contract_id, kind, night, room_type, as_of, rooms",
    "room_attrition_clauses": "contract_id, allowance_pct, basis, minimum_rounding, rate_basis, "
    "fixed_rate, damages_pct, credit_resold, credit_outside_block, tax_pct",
    "fnb_clauses": "contract_id, minimum, allowance_pct, damages_pct, service_charge_pct, "
    "tax_pct, tax_on_service_charge",
    "cancellation_clauses": "contract_id, cancelled_on, rooms_damages_pct, fnb_damages_pct, "
    "include_meeting_room, include_services, services_damages_pct, credit_resold, tax_pct",
    "schedule_steps": "contract_id, min_days, pct",
    "revenue_snapshots": "contract_id, kind, name, as_of, amount",
    "stored_settlements": "contract_id, status, currency, contracted, minimum, picked_up, "
    "resold, shortfall, pickup_pct, subtotal, tax, total, result, computed_at",
}


def copy_lines(connection: Any, table: str, lines: Iterator[str], chunk: int = 20_000) -> int:
    """COPY the lines into the table, a chunk at a time; return how many."""
    count, buffer = 0, io.StringIO()
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy,
    ):
        for count, line in enumerate(lines, 1):
            buffer.write(line)
            if count % chunk == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    return count


def load_contracts(
    connection: Any, first: int, last: int, property_ids: Sequence[int]
) -> dict[str, int]:
    """Add contracts first..last-1 with everything they hold; return rows per table.

    `property_ids[p]` is the id of property p (H01 is 0); accounts are ids 1..ACCOUNTS.
    """
    counts = {
        "contracts": copy_lines(connection, "contracts", contract_rows(first, last, property_ids)),
        "block_revisions": copy_lines(connection, "block_revisions", revision_rows(first, last)),
        "block_nights": copy_lines(connection, "block_nights", block_night_rows(first, last)),
        "room_night_snapshots": copy_lines(
            connection, "room_night_snapshots", snapshot_rows(first, last)
        ),
    }
    for table, lines in clause_rows(first, last).items():
        counts[table] = copy_lines(connection, table, lines)
    counts["stored_settlements"] = copy_lines(
        connection, "stored_settlements", settlement_rows(first, last)
    )
    return counts


def load_accounts(connection: Any) -> None:
    lines = "".join(f"{a}\tAccount {a}\taccount {a}\t\t\\N\t\t\t\n" for a in range(1, ACCOUNTS + 1))
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY accounts (id, name, search_key, billing_address, tax_id, contact_name, "
            "contact_email, contact_phone) FROM STDIN"
        ) as copy,
    ):
        copy.write(lines)


def reset_sequences(connection: Any) -> None:
    with connection.cursor() as cursor:
        for table in ("accounts", "contracts", "block_revisions"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute("ANALYZE")
