"""Number series and the tamper-evident chain over each series' documents.

Each property numbers its documents per issue year (`MAD-2027-000042`). Taking a number locks
the series' counter row, so numbers run without gaps or duplicates however many processes
issue at once; the unique (property, year, sequence) constraint is the last guard. Each record
carries a SHA-256 over its number, date, parties, totals, snapshot digest and the previous
record's hash (in the spirit of Spain's VERI*FACTU records), so `verify_series` finds a record
changed, deleted or reordered behind the application's back, even with the triggers removed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from ..domain.money import round_money
from ..extensions import db
from ..models import Invoice, InvoiceSeries, Property
from ..models.invoices import GENESIS


@dataclass(frozen=True)
class Broken:
    """One finding of `verify_series`: the record (a number, or a series) and what is wrong."""

    record: str
    problem: str

    def __str__(self) -> str:
        return f"{self.record}: {self.problem}"


def canonical(value: Any) -> bytes:
    """The one byte form hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def series_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:06d}"


def lock_series(property_id: int, year: int) -> InvoiceSeries:
    """The series' counter row, created if new and locked until the transaction ends."""
    session = db.session
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # On SQLite this write also takes the database's write lock at once, which serialises
    # issuers the way FOR UPDATE does on PostgreSQL.
    session.execute(
        insert(InvoiceSeries)
        .values(property_id=property_id, year=year, last_number=0, last_hash=GENESIS)
        .on_conflict_do_nothing()
    )
    return session.scalars(
        select(InvoiceSeries)
        .where(InvoiceSeries.property_id == property_id, InvoiceSeries.year == year)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def append_to_series(series: InvoiceSeries, prefix: str, invoice: Invoice) -> Invoice:
    """Give the document the series' next number and chain it; call with the series locked."""
    sequence = series.last_number + 1
    invoice.property_id, invoice.year, invoice.sequence = series.property_id, series.year, sequence
    invoice.number = series_number(prefix, series.year, sequence)
    invoice.snapshot = invoice.snapshot | {"number": invoice.number}
    invoice.snapshot_sha256 = sha256(invoice.snapshot)
    invoice.previous_hash = series.last_hash
    invoice.record_hash = record_hash(invoice)
    series.last_number, series.last_hash = sequence, invoice.record_hash
    db.session.add(invoice)
    db.session.flush()
    return invoice


def chain_record(invoice: Invoice) -> dict[str, Any]:
    """What each record's hash covers: number, date, parties, totals, previous hash."""
    snap, cur = invoice.snapshot, invoice.currency
    credits = snap.get("credits") or {}
    return {
        "number": invoice.number,
        "kind": invoice.kind,
        "issued_on": invoice.issued_on.isoformat(),
        "seller": [snap["seller"]["legal_name"], snap["seller"]["tax_id"]],
        "buyer": [snap["buyer"]["name"], snap["buyer"]["tax_id"]],
        "currency": cur,
        "subtotal": format(round_money(invoice.subtotal, cur), "f"),
        "tax": format(round_money(invoice.tax, cur), "f"),
        "total": format(round_money(invoice.total, cur), "f"),
        "credits": credits.get("number"),
        "snapshot_sha256": invoice.snapshot_sha256,
        "previous_hash": invoice.previous_hash,
    }


def record_hash(invoice: Invoice) -> str:
    return sha256(chain_record(invoice))


def _recomputed_hash(invoice: Invoice) -> str | None:
    """The record's hash from what is stored now; None when a field was mangled beyond reading."""
    try:
        return record_hash(invoice)
    except (KeyError, TypeError, AttributeError, ValueError):
        return None


def verify_series() -> list[Broken]:
    """Check every series: numbers without gaps, each record's hashes, the chain, the PDFs."""
    found: list[Broken] = []
    # populate_existing: read what the database holds now, not objects the session remembers.
    fresh = {"populate_existing": True}
    counters = {
        (s.property_id, s.year): s
        for s in db.session.scalars(select(InvoiceSeries).execution_options(**fresh))
    }
    codes = {p.id: p.code for p in db.session.execute(select(Property.id, Property.code))}
    invoices = db.session.scalars(
        select(Invoice)
        .options(selectinload(Invoice.pdf))
        .order_by(Invoice.property_id, Invoice.year, Invoice.sequence)
        .execution_options(**fresh)
    )
    by_series: dict[tuple[int, int], list[Invoice]] = {key: [] for key in counters}
    for invoice in invoices:
        by_series.setdefault((invoice.property_id, invoice.year), []).append(invoice)
    for (property_id, year), records in sorted(by_series.items()):
        name = f"series {codes.get(property_id, property_id)} {year}"
        found += _verify_one(name, counters.get((property_id, year)), records)
    return found


def _verify_one(name: str, counter: InvoiceSeries | None, records: list[Invoice]) -> list[Broken]:
    found: list[Broken] = []
    expected, previous, previous_number = 1, GENESIS, "the start of the series"
    for inv in records:
        if inv.sequence > expected:
            missing = (
                f"{expected}" if inv.sequence == expected + 1 else f"{expected}-{inv.sequence - 1}"
            )
            found.append(Broken(name, f"sequence {missing} missing before {inv.number} (deleted?)"))
        if not inv.number.endswith(f"-{inv.year}-{inv.sequence:06d}") or (
            not isinstance(inv.snapshot, dict) or inv.snapshot.get("number") != inv.number
        ):
            found.append(Broken(inv.number, "number does not match its sequence or snapshot"))
        if sha256(inv.snapshot) != inv.snapshot_sha256:
            found.append(Broken(inv.number, "snapshot changed since issue (digest differs)"))
        if _recomputed_hash(inv) != inv.record_hash:
            found.append(Broken(inv.number, "record changed since issue (hash differs)"))
        if inv.previous_hash != previous:
            found.append(
                Broken(inv.number, f"chain broken: previous hash is not that of {previous_number}")
            )
        if inv.pdf is not None and hashlib.sha256(inv.pdf.content).hexdigest() != inv.pdf.sha256:
            found.append(Broken(inv.number, "PDF changed since it was stored (SHA-256 differs)"))
        expected, previous, previous_number = inv.sequence + 1, inv.record_hash, inv.number
    if counter is None:
        found.append(Broken(name, "has documents but no counter row"))
    elif (counter.last_number, counter.last_hash) != (expected - 1, previous):
        found.append(
            Broken(
                name,
                f"counter ends at {counter.last_number}, the records at {expected - 1}, "
                "or its head hash differs (last documents deleted?)",
            )
        )
    return found
