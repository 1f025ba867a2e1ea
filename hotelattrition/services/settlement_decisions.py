"""The decision on a settlement's damages: collect them, or waive all or part of them.

One decision stands per settlement. A waiver is carried out at once when the one deciding may
(accounting up to the property's threshold; managers and admins any amount), otherwise it
waits for a manager's review. Carrying a waiver out on an invoiced contract issues a credit
note through the invoice service (numbering and chains unchanged); a whole waiver before
invoicing issues nothing and takes the contract off the lists of what is due.

The third kind, "convert", puts the damages under the contract's rebooking clause: carrying it
out is `credits.convert_damages` (the invoice is issued if it is not yet, and the account
credit opened), so a converted contract always has its decision row and its audit entry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain import Settlement
from ..domain.money import ZERO, round_money
from ..extensions import db
from ..models import Contract, Invoice, Property, User
from ..models.reasons import Reason
from ..models.settlement_decisions import DecisionReview, SettlementDecision
from . import NotFound, ServiceError
from .audit import actor_name, record_change
from .contract_locks import credited_lines, open_invoice
from .contract_terms import terms_of
from .credits import convert_damages
from .invoice_snapshots import credit_snapshot
from .invoices import credit_invoice
from .properties import get_property
from .settlements import settle_contract

log = logging.getLogger(__name__)

NOTE_MAX = 1000
# Roles whose waivers never wait (the command line is an operator's, like an admin's).
APPROVERS = ("manager", "admin")


def role_of(actor: User | str) -> str:
    return actor.role if isinstance(actor, User) else "admin"


def decisions_of(contract: Contract) -> list[SettlementDecision]:
    """Every decision on the contract, oldest first, with its review."""
    return list(
        db.session.scalars(
            select(SettlementDecision)
            .where(SettlementDecision.contract_id == contract.id)
            .options(selectinload(SettlementDecision.review))
            .order_by(SettlementDecision.decided_at, SettlementDecision.id)
        )
    )


def standing_decision(contract: Contract) -> SettlementDecision | None:
    """The decision in force or waiting for review; refused ones leave the settlement open."""
    standing = [d for d in decisions_of(contract) if d.state != "refused"]
    return standing[-1] if standing else None


def decidable_damages(contract: Contract) -> Settlement:
    """What the settlement owes, once it is known; refuses a contract with nothing to decide."""
    if contract.status in ("tentative", "lost"):
        raise ServiceError(
            f"contract {contract.code} is {contract.status}: nothing is owed",
            [("", "nothing is owed: there is nothing to decide")],
        )
    settlement = settle_contract(contract)
    if settlement.status == "no_damages" or settlement.total <= 0:
        raise ServiceError(
            f"contract {contract.code} owes nothing: there is nothing to decide",
            [("", "nothing is owed: there is nothing to decide")],
        )
    today = contract.property.today()
    if settlement.status == "attrition" and today <= contract.departure:
        raise ServiceError(
            f"contract {contract.code}: the damages are known once the stay is over "
            f"(departure {contract.departure.isoformat()})",
            [("", "the damages are known once the stay is over")],
        )
    return settlement


def decide_collect(contract: Contract, actor: User | str, note: str = "") -> SettlementDecision:
    """Collect the damages: invoice them as usual."""
    settlement = decidable_damages(contract)
    invoice = open_invoice(contract)
    decision = record_decision(
        contract, "collect", actor, damages=settlement.total, amount=ZERO,
        currency=settlement.currency, note=note,
        invoice_number=invoice.number if invoice else None,
    )  # fmt: skip
    return decision


def decide_convert(contract: Contract, actor: User | str, note: str = "") -> SettlementDecision:
    """Convert the damages under the contract's rebooking clause into an account credit."""
    settlement = decidable_damages(contract)
    if terms_of(contract).rebooking is None:
        raise ServiceError(
            f"contract {contract.code} has no rebooking clause: nothing to convert",
            [("kind", "this contract has no rebooking clause: there is nothing to convert")],
        )
    invoice = open_invoice(contract)
    return record_decision(
        contract, "convert", actor, damages=settlement.total, amount=settlement.total,
        currency=settlement.currency, note=note,
        invoice_number=invoice.number if invoice else None,
    )  # fmt: skip


def decide_waiver(
    contract: Contract,
    actor: User | str,
    reason: str,
    note: str = "",
    lines: Iterable[int] = (),
) -> SettlementDecision:
    """Waive the damages: all of them, or (once invoiced) the invoice lines named."""
    settlement = decidable_damages(contract)
    _check_reason(reason)
    invoice = open_invoice(contract)
    chosen = sorted(set(lines))
    if invoice is None:
        if chosen:
            raise ServiceError(
                "lines: a part of the damages is waived on the invoice's lines; issue the "
                "invoice first, or waive all of it",
                [("lines", "a part is waived on the invoice's lines: issue it first")],
            )
        amount = settlement.total
    else:
        chosen = chosen or _uncredited(invoice)
        amount = waived_amount(invoice, chosen)
    needs = role_of(actor) == "sales" or (
        role_of(actor) not in APPROVERS and amount > contract.property.waiver_approval_threshold
    )
    decision = record_decision(
        contract, "waive", actor, damages=settlement.total, amount=amount,
        currency=settlement.currency, reason=reason, note=note,
        lines=chosen if invoice else [], invoice_number=invoice.number if invoice else None,
        needs_approval=needs,
    )  # fmt: skip
    return decision


def waived_amount(invoice: Invoice, lines: list[int]) -> Decimal:
    """What crediting these lines of the invoice takes off it, tax included (exact)."""
    known = {line["number"] for line in invoice.snapshot["lines"]}
    unknown = [n for n in lines if n not in known]
    if unknown:
        raise ServiceError(
            f"{invoice.number} has lines 1-{len(known)}; no line {', '.join(map(str, unknown))}",
            [("lines", "unknown line")],
        )
    twice = sorted(credited_lines(invoice) & set(lines))
    if twice:
        raise ServiceError(
            f"{invoice.number}: line(s) {', '.join(map(str, twice))} are credited already",
            [("lines", "credited already")],
        )
    earlier = sorted(invoice.credit_notes, key=lambda n: n.sequence)
    note = credit_snapshot(invoice, lines, earlier, reason="waiver", issued_on=invoice.issued_on)
    return -Decimal(note["total"])


def record_decision(
    contract: Contract,
    kind: str,
    actor: User | str,
    *,
    damages: Decimal,
    amount: Decimal,
    currency: str,
    reason: str | None = None,
    note: str = "",
    lines: list[int] | None = None,
    invoice_number: str | None = None,
    needs_approval: bool = False,
) -> SettlementDecision:
    """Append a decision (any kind) after checking none stands, carrying it out first when it
    needs no approval; audit and log it."""
    if len(note) > NOTE_MAX:
        raise ServiceError(
            f"note: at most {NOTE_MAX} characters", [("note", "at most 1000 characters")]
        )
    _lock_contract(contract)
    if (standing := standing_decision(contract)) is not None:
        raise ServiceError(
            f"contract {contract.code} has a decision already ({standing.kind}, "
            f"{standing.state}): one decision stands per settlement",
            [("kind", "a decision stands already: one per settlement")],
        )
    decision = SettlementDecision(
        contract=contract, kind=kind, damages=damages, amount=amount, currency=currency,
        reason=reason, note=note.strip(), lines=lines or [], invoice_number=invoice_number,
        needs_approval=needs_approval, user_id=actor.id if isinstance(actor, User) else None,
        decided_by=actor_name(actor),
    )  # fmt: skip
    if not needs_approval:  # in force at once: carried out before the row is written, once
        decision.credit_note_number = carry_out(decision, actor)
    db.session.add(decision)
    db.session.flush()
    record_change(actor, "decide_" + kind, "contract", contract.code, decision.summary())
    log.info(
        "settlement decision: %s (id %s) on contract %s (id %s), %s %s, %s",
        kind, decision.id, contract.code, contract.id, decision.amount, decision.currency,
        decision.state,
    )  # fmt: skip
    return decision


def carry_out(decision: SettlementDecision, actor: User | str) -> str | None:
    """Run the decision's effect once it is in force; the credit note's number if one issued."""
    return _EFFECTS[decision.kind](decision, actor)


def _waive(decision: SettlementDecision, actor: User | str) -> str | None:
    contract = decision.contract
    invoice = open_invoice(contract)
    if invoice is None:
        if decision.invoice_number is not None:  # credited in full meanwhile: nothing left
            raise ServiceError(f"{decision.invoice_number} is credited already: nothing to waive")
        return None  # a whole waiver before invoicing issues nothing
    lines = decision.lines or _uncredited(invoice)
    reason = f"waiver: {decision.reason}" + (f" ({decision.note})" if decision.note else "")
    return credit_invoice(invoice.number, reason, lines, actor).number


def _convert(decision: SettlementDecision, actor: User | str) -> str | None:
    credit = convert_damages(decision.contract, actor)
    if decision.invoice_number is None and decision.id is None:  # not yet on record
        invoice = db.session.get(Invoice, credit.invoice_id)
        decision.invoice_number = invoice.number if invoice else None
    return None  # no credit note: the credit is on the account's ledger


_EFFECTS: dict[str, Callable[[SettlementDecision, User | str], str | None]] = {
    "collect": lambda decision, actor: None,  # invoiced as usual
    "waive": _waive,
    "convert": _convert,
}


def review_waiver(
    decision_id: int, actor: User | str, approve: bool, note: str = ""
) -> SettlementDecision:
    """A manager (or admin) approves or refuses a waiting waiver; approving carries it out."""
    if role_of(actor) not in APPROVERS:
        raise ServiceError(
            "only a manager or an admin approves waivers",
            [("", "only a manager or an admin approves waivers")],
        )
    decision = db.session.get(SettlementDecision, decision_id)
    if decision is None:
        raise NotFound(f"no decision {decision_id}")
    _lock_contract(decision.contract)
    db.session.refresh(decision, ["review"])
    if decision.state != "pending":
        raise ServiceError(
            f"this waiver is {decision.state} already", [("", "this waiver was reviewed already")]
        )
    if not approve and not note.strip():
        raise ServiceError(
            "note: say why the waiver is refused", [("note", "say why the waiver is refused")]
        )
    if len(note) > NOTE_MAX:
        raise ServiceError(
            f"note: at most {NOTE_MAX} characters", [("note", "at most 1000 characters")]
        )
    review = DecisionReview(
        decision_id=decision.id, approved=approve, note=note.strip(), reviewed_by=actor_name(actor),
        user_id=actor.id if isinstance(actor, User) else None,
    )  # fmt: skip
    if approve:
        review.credit_note_number = carry_out(decision, actor)
    db.session.add(review)
    db.session.flush()
    db.session.expire(decision, ["review"])
    record_change(
        actor, "approve_waiver" if approve else "refuse_waiver", "contract",
        decision.contract.code, {"decision": decision.id, "note": review.note,
                                 "credit_note": review.credit_note_number},
    )  # fmt: skip
    log.info(
        "waiver %s: decision %s on contract %s by %s",
        "approved" if approve else "refused", decision.id, decision.contract.code,
        actor_name(actor),
    )  # fmt: skip
    return decision


def set_waiver_threshold(code: str, amount: Decimal | str) -> Property:
    """Set the property's waiver amount (its currency) above which a manager must approve."""
    prop = get_property(code)
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0 or value != round_money(value, prop.currency):
        raise ServiceError(
            f"threshold: an amount >= 0 in {prop.currency}, to its minor unit",
            [("waiver_approval_threshold", "must be an amount >= 0, at most 4 decimal places")],
        )
    if value >= Decimal("1e12"):
        raise ServiceError("threshold: at most 12 digits", [("waiver_approval_threshold", "big")])
    prop.waiver_approval_threshold = value
    db.session.flush()
    log.info("waiver threshold set: property %s (id %s) %s %s", code, prop.id, value, prop.currency)
    return prop


def _uncredited(invoice: Invoice) -> list[int]:
    done = credited_lines(invoice)
    return [line["number"] for line in invoice.snapshot["lines"] if line["number"] not in done]


def _check_reason(code: str) -> None:
    reason = db.session.scalar(select(Reason).where(Reason.kind == "waiver", Reason.code == code))
    if reason is None or not reason.active:
        raise ServiceError(
            "reason: choose a reason from the list", [("reason", "choose a reason from the list")]
        )


def _lock_contract(contract: Contract) -> None:
    """Two decisions at once on one contract: the second waits, then sees the first."""
    db.session.execute(select(Contract.id).where(Contract.id == contract.id).with_for_update())
