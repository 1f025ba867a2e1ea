"""Invoices, credit notes and payments for the pages bench, written by SQL over the contracts.

One invoice for every 40th contract (2,500 at 100,000 contracts, 50 per property), issued in
2026 on about 300 distinct days (so several share a day: the list's sort key has ties); one in
ten has a credit note (every other one crediting the whole invoice); one in three is paid in
full, one in three half paid in two payments. Amounts are integer ten-thousandths, as stored.
"""

from __future__ import annotations

from typing import Any

EVERY = 40  # one invoice per EVERY contracts
FIRST_NOTE = 10_000_000  # id offset of the credit notes

INVOICES = f"""
INSERT INTO invoices (id, number, property_id, year, sequence, kind, title, contract_id,
    credits_id, issued_on, due_on, currency, subtotal, tax, total, buyer_name, reason, snapshot,
    snapshot_sha256, previous_hash, record_hash, issued_at, issued_by)
SELECT c.id, p.code || '-2026-' || lpad(c.seq::text, 6, '0'), c.property_id, 2026, c.seq,
    'invoice', 'invoice', c.id, NULL, c.issued, c.issued + 30, p.currency,
    c.total, 0, c.total, 'Account ' || c.account_id, '', '{{}}', md5(c.code) || md5(c.name),
    repeat('0', 64), md5(c.code || 'i') || md5(c.name || 'i'), now(), 'bench'
FROM (SELECT c.*, (row_number() OVER (PARTITION BY c.property_id ORDER BY c.id))::int AS seq,
          DATE '2026-01-05' + (c.id * 7) % 300 AS issued,
          ((c.id % 97) + 1) * 10005000::bigint AS total
      FROM contracts c WHERE c.id % {EVERY} = 1) AS c
JOIN properties p ON p.id = c.property_id
"""

NOTES = f"""
INSERT INTO invoices (id, number, property_id, year, sequence, kind, title, contract_id,
    credits_id, issued_on, due_on, currency, subtotal, tax, total, buyer_name, reason, snapshot,
    snapshot_sha256, previous_hash, record_hash, issued_at, issued_by)
SELECT {FIRST_NOTE} + i.id, replace(i.number, '-2026-', '-2026-9'), i.property_id, 2026,
    900000 + i.sequence, 'credit_note', 'credit_note', i.contract_id, i.id,
    i.issued_on + 20, i.issued_on + 20, i.currency,
    -(CASE WHEN i.id % 800 = 1 THEN i.total ELSE i.total / 5 END), 0,
    -(CASE WHEN i.id % 800 = 1 THEN i.total ELSE i.total / 5 END),
    i.buyer_name, 'bench', '{{}}', i.snapshot_sha256, repeat('0', 64),
    md5(i.number || 'n') || md5(i.number || 'm'), now(), 'bench'
FROM invoices i
WHERE i.kind = 'invoice' AND i.id % 400 = 1
"""

PAYMENTS = """
INSERT INTO payments (invoice_id, paid_on, amount, reference, recorded_at, recorded_by,
    previous_hash, record_hash)
SELECT i.id, i.issued_on + 10 + n, CASE WHEN i.id % 3 = 0 THEN i.total ELSE i.total / 4 END,
    'TRF ' || i.number || '/' || n, now(), 'bench',
    repeat('0', 64), md5(i.number || 'p' || n) || md5(i.number || 'q' || n)
FROM invoices i
CROSS JOIN generate_series(0, 1) AS n
WHERE i.kind = 'invoice' AND (i.id % 3 = 1 OR (i.id % 3 = 0 AND n = 0))
"""


def load_invoices(connection: Any) -> dict[str, int]:
    """Add the invoices, credit notes and payments; return how many of each."""
    with connection.cursor() as cursor:
        invoices = cursor.execute(INVOICES).rowcount
        notes = cursor.execute(NOTES).rowcount
        payments = cursor.execute(PAYMENTS).rowcount
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('invoices', 'id'), "
            "(SELECT max(id) FROM invoices))"
        )
        cursor.execute("ANALYZE invoices")
        cursor.execute("ANALYZE payments")
    return {"invoices": invoices, "credit_notes": notes, "payments": payments}
