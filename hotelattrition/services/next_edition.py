"""Copy a contract as its next edition: a tentative contract a year on, clauses copied.

The dates move 52 weeks (364 days), not a calendar year: an annual group meets on the same
weekdays (a Tuesday-to-Friday congress stays Tuesday to Friday), which is what hotels quote.
The block is the contract's own (its current block) or the suggestion from the account's
history; rates come from the contract's block, per night of the stay and room type.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..domain.editions import SuggestedCell
from ..domain.limits import CODE_MAX, CONTRACT_NAME_MAX
from ..models import Contract, User
from . import ServiceError
from .contract_documents import contract_document, money_text
from .contract_editing import ContractDetails, create_contract
from .refusals import _

log = logging.getLogger(__name__)

YEAR_ON = timedelta(weeks=52)
ACTUALS = ("pickup", "outside_block", "resold", "released", "signed_on", "as_of")
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


def next_year_text(text: str, year: int, limit: int) -> str | None:
    """The text with its edition's year moved on ("Congress 2027" -> "Congress 2028")."""
    if str(year) in text:
        moved = _YEAR.sub(lambda m: str(year + 1) if m.group() == str(year) else m.group(), text)
        return moved if len(moved) <= limit else None
    return None


def next_code(contract: Contract) -> str:
    """A code for the next edition: the year moved on, or the next year appended."""
    year = (contract.arrival + YEAR_ON).year
    moved = next_year_text(contract.code, contract.arrival.year, CODE_MAX)
    if moved and moved != contract.code:
        return moved
    return f"{contract.code[: CODE_MAX - 5]}-{year}"


def copy_as_next_edition(
    contract: Contract, code: str, cells: Sequence[SuggestedCell] | None, actor: User
) -> Contract:
    """A tentative contract a year on with the clauses copied; its block is the suggestion's
    cells when given, the contract's current block otherwise. Adds and flushes."""
    doc = contract_document(contract)
    for key in ACTUALS:
        doc.pop(key, None)
    arrival = contract.arrival + YEAR_ON
    doc |= {
        "code": code.strip(),
        "name": next_year_text(contract.name, contract.arrival.year, CONTRACT_NAME_MAX)
        or contract.name,
        "status": "tentative",
        "arrival": arrival.isoformat(),
        "departure": (contract.departure + YEAR_ON).isoformat(),
        "block": _block(contract, arrival, cells) if cells is not None else _moved(doc["block"]),
    }
    if "fnb" in doc:
        doc["fnb"] = doc["fnb"] | {"actual": "0"}
    if doc.get("services"):
        doc["services"] = [s | {"actual": "0"} for s in doc["services"]]
    if "cancellation" in doc:
        doc["cancellation"] = {k: v for k, v in doc["cancellation"].items() if k != "cancelled_on"}
    if not doc["block"] and contract.current_block and contract.current_block.nights:
        raise ServiceError(_("The suggested block is empty: copy the last edition's block."))
    details = ContractDetails(
        cutoff_on=contract.cutoff_on + YEAR_ON if contract.cutoff_on else None,
        review_dates=tuple(
            (r.review_on + YEAR_ON, r.max_reduction_pct) for r in contract.review_dates
        ),
    )
    copy = create_contract(doc, details, actor)
    log.info("next edition of %s: %s, arriving %s, %s block of %d room nights", contract.code,
             copy.code, copy.arrival, "suggested" if cells is not None else "last edition's",
             sum(row["rooms"] for row in doc["block"]))  # fmt: skip
    return copy


def _moved(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r | {"night": (date.fromisoformat(r["night"]) + YEAR_ON).isoformat()} for r in rows]


def _block(
    contract: Contract, arrival: date, cells: Sequence[SuggestedCell]
) -> list[dict[str, Any]]:
    """The suggested cells as block rows from `arrival`, each at the contract's rate for it."""
    nights = contract.current_block.nights if contract.current_block else []
    by_cell = {((n.night - contract.arrival).days + 1, n.room_type): n.rate for n in nights}
    by_type: dict[str, Decimal] = {}
    for n in nights:
        by_type.setdefault(n.room_type, n.rate)
    stay = (contract.departure - contract.arrival).days
    rows = []
    for c in cells:
        rate = by_cell.get((c.night, c.room_type), by_type.get(c.room_type))
        if c.rooms <= 0 or c.night > stay or rate is None:
            continue  # a night beyond this stay or a room type it never had: no rate to quote
        night = arrival + timedelta(days=c.night - 1)
        rows.append({"night": night.isoformat(), "room_type": c.room_type, "rooms": c.rooms,
                     "rate": money_text(rate, contract.property.currency)})  # fmt: skip
    return rows
