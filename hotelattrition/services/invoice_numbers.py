"""Number series and the tamper-evident chain over each series' documents.

Each property numbers its documents per issue year (`MAD-2027-000042`). Taking a number locks
the series' counter row, so numbers run without gaps or duplicates however many processes
issue at once; the unique (property, year, sequence) constraint is the last guard. Each record
carries a SHA-256 over its stored fields, snapshot digest and the previous record's hash (in
the spirit of Spain's VERI*FACTU records), so `invoice_verify` finds a record changed, deleted
or reordered behind the application's back, even with the triggers removed.

Hash scheme 2 covers every stored field a user is shown, with the exact stored values; the PDF,
rendered after the number is committed, carries its own seal over the record hash, its SHA-256
and the number. Documents issued before keep scheme 1: their stored hashes are never rewritten.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.money import round_money
from ..extensions import db
from ..models import Invoice, InvoiceSeries
from ..models.invoices import GENESIS, HASH_SCHEME
from ..models.types import SCALE


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
    invoice.hash_scheme = HASH_SCHEME
    invoice.reason = invoice.reason or ""  # the column default would arrive after the hash
    invoice.record_hash = record_hash(invoice)
    series.last_number, series.last_hash = sequence, invoice.record_hash
    db.session.add(invoice)
    db.session.flush()
    return invoice


def exact(value: Decimal) -> str:
    """A stored amount as its exact plain string at the column's scale (never rounded)."""
    quantum = Decimal(1).scaleb(-SCALE)
    if value.quantize(quantum) != value:  # more places than the column keeps: not stored
        raise ValueError(f"{value} has more than {SCALE} decimal places")
    return format(value.quantize(quantum), "f")


def chain_record(invoice: Invoice) -> dict[str, Any]:
    """What the record's hash covers, by the scheme the document was issued with."""
    if invoice.hash_scheme == 1:
        return _chain_record_v1(invoice)
    if invoice.hash_scheme == 2:
        return _chain_record_v2(invoice)
    raise ValueError(f"unknown hash scheme {invoice.hash_scheme!r}")


def _chain_record_v1(invoice: Invoice) -> dict[str, Any]:
    """Scheme 1: number, date, parties, totals rounded to the cent, previous hash."""
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


def _chain_record_v2(invoice: Invoice) -> dict[str, Any]:
    """Scheme 2: every stored field a user is shown, with the exact stored values.

    The snapshot (lines, parties, stay, taxes) is covered through its digest; the columns the
    list and the page read directly (buyer_name, totals, reason...) are covered one by one.
    """
    snap = invoice.snapshot
    credits = snap.get("credits") or {}
    return {
        "scheme": 2,
        "number": invoice.number,
        "property_id": invoice.property_id,
        "year": invoice.year,
        "sequence": invoice.sequence,
        "kind": invoice.kind,
        "title": invoice.title,
        "contract_id": invoice.contract_id,
        "credits_id": invoice.credits_id,
        "credits": credits.get("number"),
        "issued_on": invoice.issued_on.isoformat(),
        "due_on": invoice.due_on.isoformat(),
        "currency": invoice.currency,
        "subtotal": exact(invoice.subtotal),
        "tax": exact(invoice.tax),
        "total": exact(invoice.total),
        "buyer_name": invoice.buyer_name,
        "reason": invoice.reason,
        "seller": snap["seller"],
        "issued_by": invoice.issued_by,
        "snapshot_sha256": invoice.snapshot_sha256,
        "previous_hash": invoice.previous_hash,
    }


def record_hash(invoice: Invoice) -> str:
    return sha256(chain_record(invoice))


def pdf_seal(invoice: Invoice, pdf_sha256: str) -> str:
    """The PDF's seal: binds its SHA-256 to this document's record hash and number."""
    return sha256({"record_hash": invoice.record_hash, "pdf_sha256": pdf_sha256,
                   "number": invoice.number})  # fmt: skip
