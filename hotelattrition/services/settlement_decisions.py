"""The decision on a settlement's damages: collect them, or waive all or part of them.

One decision stands per settlement. A waiver is carried out at once when the one deciding may
(accounting up to the property's threshold; managers and admins any amount), otherwise it
waits for a manager's review. Carrying a waiver out on an invoiced contract issues a credit
note through the invoice service (numbering and chains unchanged); a whole waiver before
invoicing issues nothing and takes the contract off the lists of what is due. A waiver of an
amount (part of the damages, tax included) before invoicing leaves the rest to invoice: the
invoice shows the damages and the waiver as lines of their own (see invoice_snapshots.with_waiver);
after invoicing it is a credit note for that amount.

A waiver may follow a decision to collect (the customer asks after the invoice went out): it is
a credit note whose reason says "waiver" and the reason code. Otherwise one decision stands.

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
from .invoices import credit_invoice, credit_invoice_amount, issue_invoice
from .properties import get_property
from .reasons import reason_label
from .refusals import _, day
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
    if contract.status == "tentative":
        raise ServiceError(
            _("Contract %(code)s is tentative: nothing is owed yet.", code=contract.code),
            [("", _("nothing is owed: there is nothing to decide"))],
        )
    if contract.status == "lost":
        raise ServiceError(
            _("Contract %(code)s is lost business: nothing is owed.", code=contract.code),
            [("", _("nothing is owed: there is nothing to decide"))],
        )
    settlement = settle_contract(contract)
    if settlement.status == "no_damages" or settlement.total <= 0:
        raise ServiceError(
            _("Contract %(code)s owes nothing: there is nothing to decide.", code=contract.code),
            [("", _("nothing is owed: there is nothing to decide"))],
        )
    today = contract.property.today()
    if settlement.status == "attrition" and today <= contract.departure:
        raise ServiceError(
            _("Contract %(code)s: the damages are known once the stay is over (departure "
              "%(departure)s).", code=contract.code, departure=day(contract.departure)),
            [("", _("the damages are known once the stay is over"))],
        )  # fmt: skip
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
    """Convert the damages under the contract's rebooking clause into an account credit.

    The damages invoice is issued first when it is not yet (the credit stands on it), then the
    decision is recorded, then `convert_damages` opens the credit, which it does only for a
    contract with a convert decision on record."""
    settlement = decidable_damages(contract)
    if terms_of(contract).rebooking is None:
        raise ServiceError(
            _("Contract %(code)s has no rebooking clause: there is nothing to convert.",
              code=contract.code),
            [("kind", _("this contract has no rebooking clause: there is nothing to convert"))],
        )  # fmt: skip
    _refuse_if_decided(contract, "convert")
    invoice = open_invoice(contract) or issue_invoice(contract, actor)
    return record_decision(
        contract, "convert", actor, damages=settlement.total, amount=settlement.total,
        currency=settlement.currency, note=note, invoice_number=invoice.number,
    )  # fmt: skip


def decide_waiver(
    contract: Contract,
    actor: User | str,
    reason: str,
    note: str = "",
    lines: Iterable[int] = (),
    amount: Decimal | str | None = None,
) -> SettlementDecision:
    """Waive the damages: all of them, an amount of them (tax included), or (once invoiced)
    the invoice lines named. Before invoicing an amount is taken off the invoice when it is
    issued; after, a credit note takes it off."""
    settlement = decidable_damages(contract)
    _check_reason(reason)
    invoice = open_invoice(contract)
    chosen = sorted(set(lines))
    part = None if amount is None or str(amount).strip() == "" else str(amount)
    if part is not None and chosen:
        raise ServiceError(
            _("Waive either invoice lines or an amount, not both."),
            [("amount", _("Waive either invoice lines or an amount, not both."))],
        )
    if invoice is None:
        if chosen:
            raise ServiceError(
                _("A part of the damages is waived on the invoice's lines once it is issued; "
                  "before, waive an amount or all of them."),
                [("lines", _("Not invoiced yet: waive an amount or all of the damages."))],
            )  # fmt: skip
        total = settlement.total
        waived = total if part is None else _waived_part(part, total, settlement.currency)
    elif part is not None:
        waived = _waived_part(part, _uncredited_total(invoice), settlement.currency)
    else:
        chosen = chosen or _uncredited(invoice)
        waived = waived_amount(invoice, chosen)
    needs = role_of(actor) == "sales" or (
        role_of(actor) not in APPROVERS and waived > contract.property.waiver_approval_threshold
    )
    decision = record_decision(
        contract, "waive", actor, damages=settlement.total, amount=waived,
        currency=settlement.currency, reason=reason, note=note,
        lines=chosen if invoice else [], invoice_number=invoice.number if invoice else None,
        needs_approval=needs,
    )  # fmt: skip
    return decision


def _waived_part(value: str, below: Decimal, currency: str) -> Decimal:
    """An amount to waive: > 0, below what is owed (all of it is a whole waiver), to the
    currency's minor unit."""
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount <= 0 or amount != round_money(amount, currency):
        raise ServiceError(
            _("amount: a positive amount in %(currency)s, to its minor unit", currency=currency),
            [("amount", _("Must be a positive amount to the currency's minor unit."))],
        )
    if amount >= below:
        raise ServiceError(
            _("amount: below %(owed)s %(currency)s; to waive all of it, leave the amount empty",
              owed=format(below, "f"), currency=currency),
            [("amount", _("Must be below what is owed; to waive all of it, leave it empty."))],
        )  # fmt: skip
    return amount


def _uncredited_total(invoice: Invoice) -> Decimal:
    """What is left of the invoice once its credit notes are taken off (tax included)."""
    return invoice.total + sum((note.total for note in invoice.credit_notes), ZERO)


def waived_amount(invoice: Invoice, lines: list[int]) -> Decimal:
    """What crediting these lines of the invoice takes off it, tax included (exact)."""
    known = {line["number"] for line in invoice.snapshot["lines"]}
    unknown = [n for n in lines if n not in known]
    if unknown:
        raise ServiceError(
            _("%(number)s has lines 1-%(last)s; no line %(lines)s", number=invoice.number,
              last=len(known), lines=", ".join(map(str, unknown))),
            [("lines", _("unknown line"))],
        )  # fmt: skip
    twice = sorted(credited_lines(invoice) & set(lines))
    if twice:
        raise ServiceError(
            _("%(number)s: line(s) %(lines)s are credited already", number=invoice.number,
              lines=", ".join(map(str, twice))),
            [("lines", _("Line(s) %(lines)s are credited already.",
                          lines=", ".join(map(str, twice))))],
        )  # fmt: skip
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
    _check_note(note)
    _refuse_if_decided(contract, kind)
    decision = SettlementDecision(
        contract=contract, kind=kind, damages=damages, amount=amount, currency=currency,
        reason=reason, note=note.strip(), lines=lines or [], invoice_number=invoice_number,
        needs_approval=needs_approval, user_id=actor.id if isinstance(actor, User) else None,
        decided_by=actor_name(actor),
    )  # fmt: skip
    if not needs_approval and kind not in AFTER_THE_ROW:  # carried out before it is written
        decision.credit_note_number = carry_out(decision, actor)
    db.session.add(decision)
    db.session.flush()
    if kind in AFTER_THE_ROW:
        carry_out(decision, actor)
    record_change(actor, "decide_" + kind, "contract", contract.code, decision.summary())
    log.info(
        "settlement decision: %s (id %s) on contract %s (id %s), %s %s, %s",
        kind, decision.id, contract.code, contract.id, decision.amount, decision.currency,
        decision.state,
    )  # fmt: skip
    return decision


def _refuse_if_decided(contract: Contract, kind: str) -> None:
    """One decision stands per settlement; a waiver may still follow a decision to collect."""
    _lock_contract(contract)
    standing = standing_decision(contract)
    if standing is None or (kind == "waive" and standing.kind == "collect"):
        return
    raise ServiceError(
        _("Contract %(code)s has a decision already: one decision stands per settlement.",
          code=contract.code),
        [("kind", _("a decision stands already: one per settlement"))],
    )  # fmt: skip


def _check_note(note: str) -> None:
    if len(note) > NOTE_MAX:
        raise ServiceError(
            _("note: at most %(max)s characters", max=NOTE_MAX),
            [("note", _("At most %(max)s characters.", max=NOTE_MAX))],
        )


def carry_out(decision: SettlementDecision, actor: User | str) -> str | None:
    """Run the decision's effect once it is in force; the credit note's number if one issued."""
    return _EFFECTS[decision.kind](decision, actor)


def _waive(decision: SettlementDecision, actor: User | str) -> str | None:
    contract = decision.contract
    invoice = open_invoice(contract)
    if invoice is None:
        if decision.invoice_number is not None:  # credited in full meanwhile: nothing left
            raise ServiceError(
                _("%(number)s is credited already: there is nothing to waive.",
                  number=decision.invoice_number)
            )  # fmt: skip
        return None  # before invoicing: nothing issued (a part is taken off the invoice)
    reason = f"waiver: {decision.reason}" + (f" ({decision.note})" if decision.note else "")
    if decision.by_amount:  # approved after the invoice went out (or decided after it)
        if decision.amount >= _uncredited_total(invoice):
            raise ServiceError(
                _("%(number)s has less than %(amount)s left to credit.", number=invoice.number,
                  amount=format(decision.amount, "f"))
            )  # fmt: skip
        said = reason_label("waiver", decision.reason or "", invoice.snapshot["language"])
        said += f" ({decision.note})" if decision.note else ""
        return credit_invoice_amount(invoice.number, decision.amount, reason, actor, said).number
    lines = decision.lines or _uncredited(invoice)
    return credit_invoice(invoice.number, reason, lines, actor).number


def _convert(decision: SettlementDecision, actor: User | str) -> str | None:
    convert_damages(decision.contract, actor)  # reads this decision, written just before
    return None  # no credit note: the credit is on the account's ledger


# Kinds carried out once their row is written: convert_damages checks the decision is on record.
AFTER_THE_ROW = ("convert",)

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
            _("Only a manager or an admin approves waivers."),
            [("", _("only a manager or an admin approves waivers"))],
        )
    decision = db.session.get(SettlementDecision, decision_id)
    if decision is None:
        raise NotFound(_("no decision %(id)s", id=decision_id))
    _lock_contract(decision.contract)
    db.session.refresh(decision, ["review"])
    if decision.state != "pending":
        raise ServiceError(
            _("This waiver was reviewed already."),
            [("", _("this waiver was reviewed already"))],
        )
    if not approve and not note.strip():
        raise ServiceError(
            _("note: say why the waiver is refused"),
            [("note", _("say why the waiver is refused"))],
        )
    _check_note(note)
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


def set_waiver_threshold(code: str, amount: Decimal | str, actor: User | str = "cli") -> Property:
    """Set the property's waiver amount (its currency) above which a manager must approve;
    the audit log keeps who changed it, from what, to what."""
    prop = get_property(code)
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0 or value != round_money(value, prop.currency):
        raise ServiceError(
            _("threshold: an amount >= 0 in %(currency)s, to its minor unit",
              currency=prop.currency),
            [("waiver_approval_threshold",
              _("Must be an amount of 0 or more, to the currency's minor unit."))],
        )  # fmt: skip
    if value >= Decimal("1e12"):
        raise ServiceError(
            _("threshold: at most 12 digits"),
            [("waiver_approval_threshold", _("At most 12 digits."))],
        )
    old = prop.waiver_approval_threshold
    prop.waiver_approval_threshold = value
    db.session.flush()
    record_change(
        actor, "waiver_threshold", "property", code,
        {"old": format(round_money(old, prop.currency), "f"),
         "new": format(round_money(value, prop.currency), "f"), "currency": prop.currency},
    )  # fmt: skip
    log.info(
        "waiver threshold set: property %s (id %s) %s -> %s %s by %s",
        code, prop.id, old, value, prop.currency, actor_name(actor),
    )  # fmt: skip
    return prop


def _uncredited(invoice: Invoice) -> list[int]:
    done = credited_lines(invoice)
    return [line["number"] for line in invoice.snapshot["lines"] if line["number"] not in done]


def _check_reason(code: str) -> None:
    reason = db.session.scalar(select(Reason).where(Reason.kind == "waiver", Reason.code == code))
    if reason is None or not reason.active:
        raise ServiceError(
            _("reason: choose a reason from the list"),
            [("reason", _("choose a reason from the list"))],
        )


def _lock_contract(contract: Contract) -> None:
    """Two decisions at once on one contract: the second waits, then sees the first."""
    db.session.execute(select(Contract.id).where(Contract.id == contract.id).with_for_update())
