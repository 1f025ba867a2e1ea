"""The evidence pack of a damages invoice: what the damages rest on, as one PDF (EN or ES).

The final pickup (the statement the invoice was issued on, or the latest published; without
one, the figures frozen on the invoice), per night the block, pickup, resold and outside-block
rooms beside the hotel's own occupancy where the property records it, the outside-block match
report (counts only: no attendee's name leaves the hotel), the clause terms and the
settlement's working as invoiced. Read from stored and frozen data; nothing is written.
"""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from typing import Any

from ..documents.evidence_packs import evidence_pack_html_pdf
from ..domain import parse_document, settle, settlement_to_json
from ..domain.terms import Terms
from ..models import Invoice
from .occupancy import occupancy_of
from .pickup_statements import (
    invoice_statement,
    latest_reply,
    latest_statement,
    statement_nights,
    statement_state,
)
from .reconciliations import confirmed_report, outside_per_night

log = logging.getLogger(__name__)

LANGUAGES = ("en", "es")


def frozen_terms(document: dict[str, Any]) -> Terms:
    """The terms frozen on the invoice: its settlement document, read the one way."""
    return parse_document(document)


def evidence_data(invoice: Invoice, language: str = "en") -> dict[str, Any]:
    """The pack's content as plain values (dates as dates, counts as ints).

    The working is the frozen document settled again, its sentences in `language`; the
    invoice's own lines (in its language) stand in if that ever differed from the invoice.
    """
    contract = invoice.contract
    snap = invoice.snapshot
    terms = frozen_terms(snap["document"])
    settled = settle(terms)
    working = settlement_to_json(settled, language) if settled.total == invoice.total else None
    link = invoice_statement(invoice)
    statement = link.statement if link else latest_statement(contract)
    if statement is not None:
        nights = statement.nights
        reply = latest_reply(statement)
        source: dict[str, Any] = {
            "kind": "statement",
            "version": statement.version,
            "published_on": statement.published_at.date(),
            "state": statement_state(statement),
            "accepted_at_issue": link.accepted if link else None,
            "replied_on": reply.replied_at.date() if reply else None,
            "comments": [
                {"night": date.fromisoformat(n["night"]), "comment": n["comment"]}
                for n in (reply.nights if reply else [])
                if not n["accepted"]
            ],
        }
    else:
        nights = statement_nights(terms)
        source = {"kind": "invoice"}
    occupancy = occupancy_of(contract.property_id, contract.nights)
    rows = []
    for n in nights:
        night = date.fromisoformat(n["night"])
        occ = occupancy.get(night)
        rows.append(
            {
                "night": night,
                "rooms": n["rooms"],
                "block": sum(r["block"] for r in n["rooms"]),
                "pickup": sum(r["pickup"] for r in n["rooms"]),
                "resold": n["resold"],
                "outside_block": n["outside_block"],
                "sold": occ.sold if occ else None,
                "available": occ.available if occ else None,
                "occupancy_pct": (
                    (Decimal(occ.sold) * 100 / Decimal(occ.available)).quantize(Decimal("0.1"))
                    if occ
                    else None
                ),
                "sold_out": bool(occ and occ.sold >= occ.available),
            }
        )
    report = confirmed_report(contract)
    match = None
    if report is not None:
        per_night = outside_per_night(report)
        match = {
            "confirmed_on": report.confirmed_at.date() if report.confirmed_at else None,
            "registrations": report.registrations,
            "guests": report.guests,
            "matched": report.matched,
            "outside": report.outside,
            "room_nights": report.room_nights,
            "shoulder_room_nights": report.shoulder_room_nights,
            "nights": [{"night": k, "rooms": v} for k, v in sorted(per_night.items())],
        }
    return {
        "number": invoice.number,
        "issued_on": invoice.issued_on,
        "currency": invoice.currency,
        "contract": {
            "code": contract.code,
            "name": contract.name,
            "account": snap["buyer"]["name"],
            "property_name": snap["seller"]["name"],
            "arrival": contract.arrival,
            "departure": contract.departure,
        },
        "source": source,
        "nights": rows,
        "occupancy_recorded": bool(occupancy),
        "match": match,
        "document": snap["document"],
        "working": working,
        "lines": snap["lines"],
        "taxes": snap["taxes"],
        "subtotal": Decimal(snap["subtotal"]),
        "tax": Decimal(snap["tax"]),
        "total": Decimal(snap["total"]),
        "settlement_status": snap["settlement_status"],
    }


def evidence_pack_pdf(invoice: Invoice, language: str) -> bytes:
    """The invoice's evidence pack as an A4 PDF in English or Spanish."""
    language = language if language in LANGUAGES else "en"
    prop_locale = invoice.property.locale
    locale = prop_locale if prop_locale.split("_")[0].lower() == language else language
    pdf = evidence_pack_html_pdf(evidence_data(invoice, language), locale)
    log.info("evidence pack for invoice %s (%s): %d bytes", invoice.number, language, len(pdf))
    return pdf
