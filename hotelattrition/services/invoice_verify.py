"""Verify the stored invoices: numbers, chains, columns against snapshots, PDFs, payments.

`verify_invoices` lists what was changed behind the application's back (tampering);
`missing_pdfs` lists the issued documents whose PDF was never stored (rendered on first
download), which is a gap to close, not a forgery.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Invoice, InvoicePdf, InvoiceSeries, Property
from ..models.invoices import GENESIS
from .credit_ledger import verify_ledger
from .invoice_numbers import Broken, pdf_seal, record_hash, sha256
from .payment_chains import verify_payments

# populate_existing: read what the database holds now, not objects the session remembers.
FRESH = {"populate_existing": True}


def verify_invoices() -> list[Broken]:
    """Every broken record of every series and payment chain; empty when all is intact."""
    return verify_series() + verify_payments() + verify_ledger()


def missing_pdfs() -> list[str]:
    """The numbers of issued documents without a stored PDF, in series order."""
    return list(
        db.session.scalars(
            select(Invoice.number)
            .outerjoin(InvoicePdf, InvoicePdf.invoice_id == Invoice.id)
            .where(InvoicePdf.invoice_id.is_(None))
            .order_by(Invoice.property_id, Invoice.year, Invoice.sequence)
        )
    )


def verify_series() -> list[Broken]:
    """Check every series: numbers without gaps, each record's hashes, the chain, the PDFs."""
    found: list[Broken] = []
    counters = {
        (s.property_id, s.year): s
        for s in db.session.scalars(select(InvoiceSeries).execution_options(**FRESH))
    }
    codes = {p.id: p.code for p in db.session.execute(select(Property.id, Property.code))}
    invoices = list(
        db.session.scalars(
            select(Invoice)
            .options(selectinload(Invoice.pdf))
            .order_by(Invoice.property_id, Invoice.year, Invoice.sequence)
            .execution_options(**FRESH)
        )
    )
    numbers = {inv.id: inv.number for inv in invoices}
    by_series: dict[tuple[int, int], list[Invoice]] = {key: [] for key in counters}
    for invoice in invoices:
        by_series.setdefault((invoice.property_id, invoice.year), []).append(invoice)
    for (property_id, year), records in sorted(by_series.items()):
        name = f"series {codes.get(property_id, property_id)} {year}"
        found += _verify_one(name, counters.get((property_id, year)), records, numbers)
    return found


def _verify_one(
    name: str, counter: InvoiceSeries | None, records: list[Invoice], numbers: dict[int, str]
) -> list[Broken]:
    found: list[Broken] = []
    expected, previous, previous_number, scheme = 1, GENESIS, "the start of the series", 1
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
        if _snapshot_digest(inv) != inv.snapshot_sha256:
            found.append(Broken(inv.number, "snapshot changed since issue (digest differs)"))
        if _recomputed_hash(inv) != inv.record_hash:
            found.append(Broken(inv.number, "record changed since issue (hash differs)"))
        else:  # what scheme 1's hash leaves out, the snapshot still pins down
            found += [Broken(inv.number, p) for p in _columns_against_snapshot(inv, numbers)]
        if inv.hash_scheme < scheme:  # a later record on an older, weaker scheme: downgraded
            found.append(Broken(inv.number, f"hash scheme {inv.hash_scheme} after scheme {scheme}"))
        scheme = max(scheme, inv.hash_scheme)
        if inv.previous_hash != previous:
            found.append(
                Broken(inv.number, f"chain broken: previous hash is not that of {previous_number}")
            )
        found += [Broken(inv.number, p) for p in _pdf_problems(inv)]
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


def _snapshot_digest(invoice: Invoice) -> str | None:
    try:
        return sha256(invoice.snapshot)
    except (TypeError, ValueError):
        return None


def _recomputed_hash(invoice: Invoice) -> str | None:
    """The record's hash from what is stored now; None when a field was mangled beyond reading."""
    try:
        return record_hash(invoice)
    except (KeyError, TypeError, AttributeError, ValueError):
        return None


def _columns_against_snapshot(inv: Invoice, numbers: dict[int, str]) -> list[str]:
    """Columns the list shows that must say what the frozen snapshot says (every scheme).

    Scheme 1 records hash the snapshot but not these columns; comparing them catches a
    changed buyer name or a total changed below the cent without rewriting any stored hash.
    """
    snap = inv.snapshot if isinstance(inv.snapshot, dict) else {}
    credits = snap.get("credits") or {}
    expected: dict[str, Any] = {
        "kind": snap.get("kind"),
        "title": snap.get("title"),
        "issued_on": snap.get("issued_on"),
        "due_on": snap.get("due_on"),
        "currency": snap.get("currency"),
        "buyer_name": (snap.get("buyer") or {}).get("name"),
        "credits": credits.get("number"),
        "reason": (credits.get("reason") or "")[:500],
    }
    stored: dict[str, Any] = {
        "kind": inv.kind,
        "title": inv.title,
        "issued_on": inv.issued_on.isoformat(),
        "due_on": inv.due_on.isoformat(),
        "currency": inv.currency,
        "buyer_name": inv.buyer_name,
        "credits": numbers.get(inv.credits_id) if inv.credits_id is not None else None,
        "reason": inv.reason,
    }
    problems = [
        f"{key} differs from the issued document" for key in stored if stored[key] != expected[key]
    ]
    for key in ("subtotal", "tax", "total"):
        if _decimal(snap.get(key)) != getattr(inv, key):
            problems.append(f"{key} differs from the issued document")
    return problems


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def _pdf_problems(inv: Invoice) -> list[str]:
    """A stored PDF must hash to its digest and, from scheme 2, carry this record's seal."""
    pdf = inv.pdf
    if pdf is None:
        return []  # not forged, just not rendered yet: `missing_pdfs` lists it
    problems = []
    if hashlib.sha256(pdf.content).hexdigest() != pdf.sha256:
        problems.append("PDF changed since it was stored (SHA-256 differs)")
    if inv.hash_scheme >= 2 and pdf.seal != pdf_seal(inv, pdf.sha256):
        problems.append("PDF is not this document's (its seal differs)")
    return problems
