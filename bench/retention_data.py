"""The retention bench's data set: the reports bench's 100,000 contracts (bench/report_data.py:
50 hotels, 2,000 contracts each over 2026-2028) spread over about 20,000 accounts the way a
group sales office's book looks.

Each hotel's 2,000 arrival slots are three years of 667 slots; slot k of every year is one
**series** (an annual event at that hotel), so a hotel has 667 series of 3 editions.
* one series in 25 is a **one-off** each year: every edition a different, new account;
* one in 10 **churns**: half after its first edition, half after its second; the editions
  after that go to new one-off accounts;
* the rest (about 96 %) are **repeat** series, spread over 11,000 repeat accounts
  (series x 7,919 mod 11,000): a repeat account holds about 2.9 series at different hotels,
  so about 8 contracts over the three years.
That makes about 11,000 repeat accounts holding about 91 % of the contracts and 9,000 one-off
accounts with one contract each. Contracts are entered (the inquiry) 10 to 59 days before
their signing; one tentative group in three is lost to a reason; one settled stay in five has
a decision to collect its damages and one in eleven a waiver.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from functools import cache
from typing import Any

from . import report_data as data

SERIES_SLOTS = 667  # arrival slots per year at a hotel
REPEAT_ACCOUNTS = 11_000
LOST_REASONS = ("rate_too_high", "other_hotel", "dates_unavailable")


def series_of(i: int) -> tuple[int, int, int]:
    """(hotel, series, edition) of contract i."""
    slot = i % data.PER_PROPERTY
    return data.property_of(i), slot % SERIES_SLOTS, min(slot // SERIES_SLOTS, 2)


def kind_of_series(series: int) -> str:
    if series % 25 == 0:
        return "one-off"
    if series % 10 == 3:
        return "churns"
    return "repeat"


@cache
def accounts_of(count: int) -> tuple[int, ...]:
    """Every contract's account id (1-based), the one-off accounts numbered after the repeat."""
    out, one_off = [], REPEAT_ACCOUNTS
    for i in range(count):
        hotel, series, edition = series_of(i)
        kind = kind_of_series(series)
        stays = kind == "repeat" or (kind == "churns" and edition <= (series // 10) % 2)
        if stays:
            out.append(1 + (hotel * SERIES_SLOTS + series) * 7_919 % REPEAT_ACCOUNTS)
        else:
            one_off += 1
            out.append(one_off)
    return tuple(out)


def status_of(i: int) -> tuple[str, str]:
    """(status, lost reason or NULL) of contract i."""
    v, kind = i % data.VARIANTS, data.kind_of(i)
    if kind in ("cancelled", "settled"):
        return kind, r"\N"
    if v % 7 == 0:
        return ("lost", LOST_REASONS[i % 3]) if i % 3 == 0 else ("tentative", r"\N")
    return "definite", r"\N"


def contract_rows(count: int, property_ids: Sequence[int]) -> Iterator[str]:
    accounts = accounts_of(count)
    for i in range(count):
        v, arrival = i % data.VARIANTS, data.arrival_of(i)
        status, reason = status_of(i)
        signed = arrival - timedelta(days=120 + 3 * v)
        entered = signed - timedelta(days=10 + i % 50)
        cutoff = (arrival - timedelta(days=21)).isoformat() if v % 2 else r"\N"
        departure = arrival + timedelta(days=3 + v % 5)
        yield (
            f"{i + 1}\tC{i + 1:06}\t{property_ids[data.property_of(i)]}\t{accounts[i]}\t"
            f"Group {i + 1}\tgroup {i + 1} c{i + 1:06}\t{status}\t{reason}\t{signed}\t"
            f"{arrival}\t{departure}\t{cutoff}\t1\t{entered}\t{entered}\n"
        )


CONTRACT_COLUMNS = (
    "id, code, property_id, account_id, name, search_key, status, lost_reason, signed_on, "
    "arrival, departure, cutoff_on, version, created_at, updated_at"
)
DECISION_COLUMNS = "contract_id, kind, damages, amount, currency, reason, note, lines, "
DECISION_COLUMNS += "needs_approval, decided_by, decided_at"


def decision_rows(count: int) -> Iterator[str]:
    """Collect one settled stay in five, waive 40 % of one in eleven (by the damages stored)."""
    for i in range(count):
        if data.kind_of(i) != "settled" or (i % 5 and i % 11):
            continue
        total = data.stored(i % data.VARIANTS, "settled")[10]  # scaled, as stored
        if not total:
            continue
        decided = data.arrival_of(i) + timedelta(days=30)
        kind, amount, reason = ("collect", 0, r"\N") if i % 5 == 0 else (
            "waive", total * 2 // 5, "goodwill"
        )  # fmt: skip
        yield (f"{i + 1}\t{kind}\t{total}\t{amount}\tEUR\t{reason}\t\t[]\tf\tbench\t"
               f"{decided} 12:00:00+00\n")  # fmt: skip


def load(connection: Any, count: int, property_ids: Sequence[int]) -> dict[str, int]:
    """The accounts beyond the reports bench's 500, the contracts and all they hold."""
    accounts = max(accounts_of(count))
    counts = {
        "accounts": _copy(connection, "accounts (id, name, search_key, billing_address, tax_id, "
                          "contact_name, contact_email, contact_phone)",
                          (f"{a}\tAccount {a}\taccount {a}\t\t\\N\t\t\t\n"
                           for a in range(data.ACCOUNTS + 1, accounts + 1))),
        "contracts": _copy(connection, f"contracts ({CONTRACT_COLUMNS})",
                           contract_rows(count, property_ids)),
    }  # fmt: skip
    for table, lines in (
        ("block_revisions", data.revision_rows(0, count)),
        ("block_nights", data.block_night_rows(0, count)),
        ("room_night_snapshots", data.snapshot_rows(0, count)),
        *data.clause_rows(0, count).items(),
        ("stored_settlements", data.settlement_rows(0, count)),
    ):
        counts[table] = data.copy_lines(connection, table, lines)
    counts["settlement_decisions"] = _copy(
        connection, f"settlement_decisions ({DECISION_COLUMNS})", decision_rows(count)
    )
    return counts


def _copy(connection: Any, target: str, lines: Iterator[str]) -> int:
    count = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for line in lines:
            copy.write(line)
            count += 1
    return count
