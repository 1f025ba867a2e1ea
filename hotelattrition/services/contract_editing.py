"""Contracts edited in the web app: terms, review reductions, cut-off releases, actuals."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from ..domain.codec import plain
from ..domain.settlement import Settlement, settle
from ..domain.terms import BlockRow, ReleasedRow, Terms
from ..extensions import db
from ..models import Contract, ReviewDate, User
from . import AlreadyExists, ServiceError
from .audit import document_changes, record_change
from .contract_documents import add_block_revision, contract_document
from .contract_locks import refuse_if_invoiced
from .contract_terms import terms_of
from .contracts import import_contract
from .pickup import RevenueKey, RoomKey, check_as_of, record_actuals_snapshot
from .refusals import _, day
from .settlements import store_settlement

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ContractDetails:
    """What the contract form edits beside the settlement document."""

    cutoff_on: date | None
    review_dates: tuple[tuple[date, Decimal], ...]


class EditConflict(ServiceError):
    """Someone saved the contract since the form was opened; `current` is their version."""

    def __init__(self, contract: Contract):
        super().__init__(f"contract {contract.code} was changed by someone else meanwhile")
        self.current = contract_document(contract) | details_of(contract)
        self.version = contract.version


def details_of(contract: Contract) -> dict[str, Any]:
    return {
        "cutoff_on": contract.cutoff_on.isoformat() if contract.cutoff_on else None,
        "review_dates": [
            [r.review_on.isoformat(), plain(r.max_reduction_pct)] for r in contract.review_dates
        ],
    }


def create_contract(document: dict[str, Any], details: ContractDetails, actor: User) -> Contract:
    """Create a contract from the form's document (it carries no actuals yet)."""
    if db.session.scalar(select(Contract.id).where(Contract.code == document["code"])):
        raise AlreadyExists(
            f"contract {document['code']} already exists",
            [("code", "already exists: choose another code")],
        )
    contract = import_contract(document, actor).contract
    _write_details(contract, details, actor, audit=False)
    return contract


def update_contract(
    contract: Contract,
    document: dict[str, Any],
    details: ContractDetails,
    expected_version: int,
    actor: User,
) -> Contract:
    """Replace the terms; actuals stay as recorded. Refuse a stale form (optimistic lock)."""
    if expected_version != contract.version:
        raise EditConflict(contract)
    current = contract_document(contract)
    document = _with_recorded_actuals(document | {"code": contract.code}, current)
    import_contract(document, actor, revision_reason="edit")
    _write_details(contract, details, actor, audit=True)
    contract.updated_at = datetime.now(UTC)  # the row changes, so its version moves on
    db.session.flush()
    return contract


def _with_recorded_actuals(document: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    doc = {k: v for k, v in document.items() if k not in ("pickup", "outside_block", "resold")}
    doc |= {k: current[k] for k in ("pickup", "outside_block", "resold") if k in current}
    if "fnb" in doc:
        doc["fnb"] = doc["fnb"] | {"actual": current.get("fnb", {}).get("actual", "0")}
    actuals = {s["name"]: s["actual"] for s in current.get("services", [])}
    if "services" in doc:
        doc["services"] = [s | {"actual": actuals.get(s["name"], "0")} for s in doc["services"]]
    return doc


def _write_details(contract: Contract, details: ContractDetails, actor: User, audit: bool) -> None:
    before = details_of(contract)
    contract.cutoff_on = details.cutoff_on
    wanted = dict(details.review_dates)
    for review in list(contract.review_dates):
        if review.review_on not in wanted:
            contract.review_dates.remove(review)
        else:
            review.max_reduction_pct = wanted.pop(review.review_on)
    for review_on, pct in sorted(wanted.items()):
        contract.review_dates.append(ReviewDate(review_on=review_on, max_reduction_pct=pct))
    db.session.flush()
    changes = document_changes(before, details_of(contract))
    if audit and changes:
        record_change(actor, "edit_dates", "contract", contract.code, changes)


# Block revisions ------------------------------------------------------------------------------


def revise_block(
    contract: Contract, reason: str, rooms: dict[tuple[date, str], int], on: date, actor: User
) -> None:
    """Apply a review-date reduction ("review") or a cut-off release ("cutoff").

    `rooms` holds the new room count per (night, room type); rates stay as contracted.
    """
    refuse_if_invoiced(contract)
    _check_revision(contract, reason, rooms, on)
    block = contract.current_block
    assert block is not None
    new_block = tuple(
        BlockRow(n.night, n.room_type, rooms.get((n.night, n.room_type), n.rooms), n.rate)
        for n in block.nights
    )
    before = sum(n.rooms for n in block.nights)
    terms = Terms(
        currency="", arrival=contract.arrival, departure=contract.departure, block=new_block
    )
    add_block_revision(contract, terms, reason, on)
    contract.updated_at = datetime.now(UTC)
    db.session.flush()
    store_settlement(contract)
    after = sum(b.rooms for b in new_block)
    record_change(
        actor,
        f"block_{reason}",
        "contract",
        contract.code,
        {"room_nights": {"before": before, "after": after}, "on": on.isoformat()},
    )
    log.info(
        "block revised: contract %s (id %s), %s on %s, %d -> %d room nights",
        contract.code, contract.id, reason, on.isoformat(), before, after,
    )  # fmt: skip


@dataclass(frozen=True)
class RevisionEffect:
    """The settlement before and after a proposed revision, for the user to confirm."""

    before: Settlement
    after: Settlement
    # A cut-off release under a clause that still counts released rooms toward attrition.
    counts_released: bool = False
    # Room nights in the block as it stands, before and after (the settlement's `contracted`
    # adds back the released rooms when they count).
    block_before: int = 0
    block_after: int = 0


def revision_effect(
    contract: Contract, reason: str, rooms: dict[tuple[date, str], int], on: date
) -> RevisionEffect:
    """What the revision would do to the settlement, checked as revise_block checks; no write."""
    refuse_if_invoiced(contract)
    _check_revision(contract, reason, rooms, on)
    terms = terms_of(contract)
    block = tuple(b._replace(rooms=rooms.get((b.night, b.room_type), b.rooms)) for b in terms.block)
    after = replace(terms, block=block)
    counts = reason == "cutoff" and bool(
        terms.room_attrition and terms.room_attrition.count_released
    )
    if counts:
        after = replace(after, released=_released_after(terms, block))
    return RevisionEffect(
        settle(terms),
        settle(after),
        counts,
        sum(b.rooms for b in terms.block),
        sum(b.rooms for b in block),
    )


def _released_after(terms: Terms, block: tuple[BlockRow, ...]) -> tuple[ReleasedRow, ...]:
    """The released rooms once this release is added to those released before."""
    released = {(r.night, r.room_type): r.rooms for r in terms.released}
    for now, then in zip(terms.block, block, strict=True):
        if (cut := now.rooms - then.rooms) > 0:
            key = (now.night, now.room_type)
            released[key] = released.get(key, 0) + cut
    return tuple(ReleasedRow(n, t, count) for (n, t), count in sorted(released.items()))


def _check_revision(
    contract: Contract, reason: str, rooms: dict[tuple[date, str], int], on: date
) -> None:
    """Refuse rooms above the current block or below zero, and what the reason's rules forbid."""
    block = contract.current_block
    assert block is not None
    current = {(n.night, n.room_type): n for n in block.nights}
    problems = [
        (f"{night}|{room_type}", _("Cannot be more than the current block."))
        for (night, room_type), count in rooms.items()
        if (night, room_type) in current and count > current[night, room_type].rooms
    ]
    problems += [
        (f"{k[0]}|{k[1]}", _("Must not be negative.")) for k, count in rooms.items() if count < 0
    ]
    if reason == "review":
        problems += _review_rules(contract, current, rooms, on)
    elif reason == "cutoff":
        problems += _cutoff_rules(contract, current, rooms)
    if problems:
        raise ServiceError("; ".join(m for _, m in problems), problems)


def _review_rules(
    contract: Contract, current: dict, rooms: dict[tuple[date, str], int], on: date
) -> list[tuple[str, str]]:
    review = next((r for r in contract.review_dates if r.review_on == on), None)
    if review is None:
        return [("review_on", _("This is not one of the contract's review dates."))]
    if any(r.reason == "review" and r.effective_on == on for r in contract.revisions):
        return [("review_on", _("This review date's reduction has been applied already."))]
    if contract.property.today() > on:
        return [("review_on", _("This review date has passed."))]
    total = sum(n.rooms for n in current.values())
    cut = sum(n.rooms - rooms.get(k, n.rooms) for k, n in current.items())
    allowed = total * review.max_reduction_pct / 100
    if cut > allowed:
        return [
            (
                "rooms",
                _(
                    "This reduces %(cut)s room nights; this review date allows at most "
                    "%(allowed)s (%(pct)s %%).",
                    cut=cut,
                    allowed=plain(allowed),
                    pct=plain(review.max_reduction_pct),
                ),
            )
        ]
    return []


def _cutoff_rules(contract: Contract, current: dict, rooms: dict[tuple[date, str], int]) -> list:
    if contract.cutoff_on is None:
        return [("cutoff_on", _("The contract has no cut-off date."))]
    if contract.property.today() < contract.cutoff_on:
        return [
            (
                "cutoff_on",
                _(
                    "Rooms are released from the cut-off date, %(day)s.",
                    day=day(contract.cutoff_on),
                ),
            )
        ]
    picked = _picked_up(contract)
    return [
        (
            f"{k[0]}|{k[1]}",
            _("Rooms already picked up (%(rooms)s) cannot be released.", rooms=picked[k]),
        )
        for k in current
        if rooms.get(k, current[k].rooms) < picked.get(k, 0)
    ]


def _picked_up(contract: Contract) -> dict[tuple[date, str], int]:
    return {(p.night, p.room_type): p.rooms for p in terms_of(contract).pickup}


# Actuals ------------------------------------------------------------------------------------


def record_actuals(
    contract: Contract,
    as_of: date,
    rooms: dict[RoomKey, int],
    revenue: dict[RevenueKey, Decimal],
    actor: User,
) -> int:
    """Record a dated snapshot of what changed; recompute the stored settlement."""
    check_as_of(as_of, [contract.property])
    refuse_if_invoiced(contract)
    booked = {(n.night, n.room_type) for n in contract.current_block.nights}  # type: ignore[union-attr]
    unknown = [k for k in rooms if k[0] == "pickup" and (k[1], k[2]) not in booked]
    if unknown:
        raise ServiceError(
            _(
                "the block has no %(type)s rooms on %(day)s",
                type=unknown[0][2],
                day=day(unknown[0][1]) if isinstance(unknown[0][1], date) else unknown[0][1],
            )
        )
    changed = record_actuals_snapshot(contract, as_of, rooms, revenue)
    if changed:
        store_settlement(contract)
        record_change(
            actor,
            "record_actuals",
            "contract",
            contract.code,
            {"as_of": as_of.isoformat(), "figures_changed": changed},
        )
    log.info(
        "pickup recorded: contract %s (id %s) as of %s, %d figures changed",
        contract.code, contract.id, as_of.isoformat(), changed,
    )  # fmt: skip
    return changed
