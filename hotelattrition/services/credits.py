"""Rebooking credits: convert a settlement's damages, and use credits on a new contract.

`convert_damages(contract, actor)` carries out the decision "convert" (recorded through
settlement_decisions.decide_convert, which calls it); without that decision on record it
refuses. Its credits are of source "invoice" (what was paid, or the held invoice).
`grant_waiver_credit` gives a waiver decision's amount as a credit of source "waiver".
`apply_credits(contract)` uses the credits that credit_checks finds apply: a credit_paid
credit is paid into the contract's open invoices as payments of method "account credit"; a
waive_on_rebook credit cancels its held invoice by credit note.
"""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ..domain.codec import plain, rebooking_to_json
from ..domain.money import ZERO
from ..domain.rebooking import expires_on
from ..extensions import db
from ..models import AccountCredit, Contract, Invoice, Payment, User
from ..models.settlement_decisions import DecisionReview, SettlementDecision, approved
from . import ServiceError
from .audit import actor_name, record_change
from .contract_locks import fully_credited, open_invoice
from .contract_terms import terms_of
from .contracts import get_contract
from .credit_checks import CreditCheck, credit_checks, rebooking_of, refusal_text
from .credit_ledger import append_entry
from .invoice_payments import balance, record_payment
from .invoices import credit_invoice, credit_invoice_share, issue_invoice
from .payment_chains import append_payment, lock_chain
from .refusals import _

log = logging.getLogger(__name__)
ACCOUNT_CREDIT = "account_credit"


class NoCreditUsed(ServiceError):
    """Nothing was used; `waiting` when a credit applies but the contract has no open invoice."""

    def __init__(self, message: str, waiting: bool):
        super().__init__(message)
        self.waiting = waiting


def convert_damages(contract: Contract | str, actor: User | str = "cli") -> AccountCredit:
    """Convert the contract's damages under its rebooking clause into an account credit.

    credit_paid: what is paid on the damages invoice (now and later) is earned by the credit.
    waive_on_rebook: the invoice's total is held, and cancelled if the group books in time.
    The damages invoice is issued first when it is not yet.
    """
    if isinstance(contract, str):
        contract = get_contract(contract)
    decided = select(SettlementDecision.id).where(
        SettlementDecision.contract_id == contract.id, SettlementDecision.kind == "convert"
    )
    if db.session.scalar(decided) is None:  # convert decisions never wait for approval
        raise ServiceError(
            _(
                "Contract %(code)s: record the decision to convert its damages first.",
                code=contract.code,
            )
        )
    terms = terms_of(contract)
    clause = terms.rebooking
    if clause is None:
        raise ServiceError(
            _(
                "contract %(code)s has no rebooking clause: nothing to convert",
                code=contract.code,
            )
        )
    if db.session.scalar(select(AccountCredit.id).where(AccountCredit.contract_id == contract.id)):
        raise ServiceError(_("contract %(code)s is converted already", code=contract.code))
    invoice = open_invoice(contract) or issue_invoice(contract, actor)
    today = contract.property.today()
    credit = AccountCredit(
        account_id=contract.account_id,
        contract_id=contract.id,
        property_id=contract.property_id,
        invoice_id=invoice.id,
        source="invoice",
        mode=clause.mode,
        currency=invoice.currency,
        opened_on=today,
        expires_on=expires_on(clause, contract.arrival),
        arrival=contract.arrival,
        room_nights=sum(b.rooms for b in terms.block),
        fnb_minimum=terms.fnb.minimum if terms.fnb else ZERO,
        clause=rebooking_to_json(clause),
        created_by=actor_name(actor),
    )
    db.session.add(credit)
    db.session.flush()
    if clause.mode == "credit_paid":
        for payment in invoice.payments:
            if payment.method == "transfer":
                kind = "earn" if payment.amount > 0 else "unearn"
                append_entry(
                    credit, kind, payment.amount, payment.paid_on, actor,
                    invoice_id=invoice.id, payment_id=payment.id, note=payment.reference,
                )  # fmt: skip
    else:
        held = balance(invoice, today)
        if held.total + held.credited > 0:
            append_entry(
                credit, "earn", held.total + held.credited, today, actor,
                invoice_id=invoice.id, note="held",
            )  # fmt: skip
    record_change(
        actor, "convert", "contract", contract.code,
        {"mode": clause.mode, "invoice": invoice.number, "credit": credit.id,
         "expires_on": credit.expires_on.isoformat()},
    )  # fmt: skip
    log.info(
        "damages converted: contract %s (id %s), invoice %s, credit %s (%s), expires %s",
        contract.code, contract.id, invoice.number, credit.id, clause.mode,
        credit.expires_on.isoformat(),
    )  # fmt: skip
    return credit


def grant_waiver_credit(contract: Contract | str, actor: User | str = "cli") -> AccountCredit:
    """Grant what a waiver decision waived as an account credit of source "waiver".

    The hotel forgave the damages and, under the contract's rebooking clause, gives the
    amount as credit toward the account's next comparable meeting (the clause's windows, step
    down and comparability apply as to any credit). The waiver must be in force (approved or
    needing no approval); the contract may have one credit only.
    """
    if isinstance(contract, str):
        contract = get_contract(contract)
    clause = rebooking_of(contract)
    if clause is None:
        raise ServiceError(
            _(
                "contract %(code)s has no rebooking clause: a credit needs its windows",
                code=contract.code,
            )
        )
    decision = db.session.scalar(
        select(SettlementDecision)
        .outerjoin(DecisionReview, DecisionReview.decision_id == SettlementDecision.id)
        .where(SettlementDecision.contract_id == contract.id, SettlementDecision.kind == "waive")
        .where(approved())
        .order_by(SettlementDecision.decided_at.desc(), SettlementDecision.id.desc())
    )
    if decision is None or decision.amount <= 0:
        raise ServiceError(
            _("contract %(code)s has no waiver in force to grant as credit", code=contract.code)
        )
    if db.session.scalar(select(AccountCredit.id).where(AccountCredit.contract_id == contract.id)):
        raise ServiceError(_("contract %(code)s has a credit already", code=contract.code))
    invoice = (
        db.session.scalar(select(Invoice).where(Invoice.number == decision.invoice_number))
        if decision.invoice_number
        else None
    )
    today = contract.property.today()
    block = contract.current_block
    credit = AccountCredit(
        account_id=contract.account_id,
        contract_id=contract.id,
        property_id=contract.property_id,
        invoice_id=invoice.id if invoice else None,
        source="waiver",
        mode="credit_paid",  # used as a payment on the new contract's invoice
        currency=decision.currency,
        opened_on=today,
        expires_on=expires_on(clause, contract.arrival),
        arrival=contract.arrival,
        room_nights=block.room_nights if block else 0,
        fnb_minimum=contract.fnb.minimum if contract.fnb else ZERO,
        clause=rebooking_to_json(clause),
        created_by=actor_name(actor),
    )
    db.session.add(credit)
    db.session.flush()
    append_entry(
        credit, "earn", decision.amount, today, actor,
        invoice_id=credit.invoice_id, note=f"waiver decision {decision.id}: {decision.reason}",
    )  # fmt: skip
    record_change(
        actor, "grant_waiver_credit", "contract", contract.code,
        {"decision": decision.id, "credit": credit.id, "amount": format(decision.amount, "f"),
         "currency": decision.currency, "expires_on": credit.expires_on.isoformat()},
    )  # fmt: skip
    log.info(
        "waiver granted as credit: contract %s (id %s), decision %s, credit %s, %s %s, "
        "expires %s",
        contract.code, contract.id, decision.id, credit.id, format(decision.amount, "f"),
        decision.currency, credit.expires_on.isoformat(),
    )  # fmt: skip
    return credit


def apply_credits(
    contract: Contract | str, actor: User | str = "cli", *, strict: bool = False
) -> list[Payment | Invoice]:
    """Use the contract's eligible credits; return the payments and credit notes made.

    Called when the contract's invoice is issued or a payment is recorded on it. With `strict`
    (someone asked for it), a contract no credit applies to is refused, saying why.
    """
    if isinstance(contract, str):
        contract = get_contract(contract)
    checks = credit_checks(contract)
    made: list[Payment | Invoice] = []
    for check in checks:
        if not check.eligibility.applies or check.usable <= 0:
            continue
        if check.credit.mode == "waive_on_rebook":
            made += _waive(check, contract, actor)
        else:
            made += _pay(check, contract, actor)
    if strict and not made:
        waiting = any(c.eligibility.applies and c.usable > 0 for c in checks)
        raise NoCreditUsed(refusal_text(contract, checks), waiting)
    return made


def _pay(check: CreditCheck, contract: Contract, actor: User | str) -> list[Payment]:
    credit, left, made = check.credit, check.usable, []
    today = contract.property.today()
    invoices = db.session.scalars(
        select(Invoice)
        .where(Invoice.contract_id == contract.id, Invoice.kind == "invoice")
        .order_by(Invoice.id)
    )
    for invoice in invoices:
        if left <= 0 or fully_credited(invoice):
            continue
        chain = lock_chain(invoice)
        open_ = balance(invoice, today).open
        amount = min(left, open_)
        if amount <= 0:
            continue
        payment = Payment(
            paid_on=today,
            amount=amount,
            reference=f"account credit {credit.id}",
            method=ACCOUNT_CREDIT,
            recorded_by=actor_name(actor),
        )
        append_payment(chain, invoice, payment)
        db.session.expire(invoice, ["payments"])
        append_entry(
            credit, "apply", -amount, today, actor,
            invoice_id=invoice.id, payment_id=payment.id, note=f"{contract.code} {invoice.number}",
        )  # fmt: skip
        record_change(
            actor, "apply_credit", "invoice", invoice.number,
            {"credit": credit.id, "amount": format(amount, "f"), "contract": contract.code},
        )  # fmt: skip
        log.info(
            "account credit %s applied: %s %s on invoice %s (id %s) of contract %s",
            credit.id, format(amount, "f"), credit.currency, invoice.number, invoice.id,
            contract.code,
        )  # fmt: skip
        left -= amount
        made.append(payment)
    return made


def _waive(check: CreditCheck, contract: Contract, actor: User | str) -> list[Invoice]:
    """Cancel the held invoice by credit note: all of it at 100 %, else the window's share.

    Below 100 % the note takes the percentage of every line and tax, and the rest of the
    invoice is released for payment (an `unearn` entry closes the credit: nothing stays held).
    """
    credit = check.credit
    held = db.session.get(Invoice, credit.invoice_id)
    if held is None or fully_credited(held):
        return []
    pct = check.eligibility.pct
    if pct < 100 and held.credit_notes:
        # A share of every line cannot follow a note on some lines: the invoice stays held,
        # and the contract page still lists the credit for a person to settle.
        log.info(
            "held invoice %s has a credit note already: its %s%% share is not credited (credit %s)",
            held.number, plain(pct), credit.id,
        )  # fmt: skip
        return []
    if pct >= 100:
        note = credit_invoice(
            held.number, f"waiver: rebooked as {contract.code} (rebooking clause)", actor=actor
        )
    else:
        reason = f"rebooked: {contract.code} ({plain(pct)}% under the rebooking clause)"
        note = credit_invoice_share(held.number, pct, reason, actor)
    append_entry(
        credit, "waive", note.total if pct < 100 else -check.balance.nominal, note.issued_on,
        actor, invoice_id=note.id, note=f"{contract.code} {note.number}",
    )  # fmt: skip
    released = check.balance.nominal + note.total if pct < 100 else ZERO
    if released > 0:
        append_entry(
            credit, "unearn", -released, note.issued_on, actor,
            invoice_id=held.id, note=f"released for payment: {contract.code} {plain(pct)}%",
        )  # fmt: skip
        record_change(
            actor, "release_held", "invoice", held.number,
            {"credit": credit.id, "contract": contract.code, "pct": plain(pct),
             "credit_note": note.number, "released": format(released, "f")},
        )  # fmt: skip
    log.info(
        "held invoice %s waived by credit note %s (%s%%), %s %s released: contract %s "
        "rebooked (credit %s)",
        held.number, note.number, plain(pct), format(released, "f"), credit.currency,
        contract.code, credit.id,
    )  # fmt: skip
    return [note]


def issue_with_credits(contract: Contract | str, actor: User | str = "cli") -> Invoice:
    """Issue the contract's damages invoice, then use the account's eligible credits on it."""
    invoice = issue_invoice(contract, actor)
    apply_credits(invoice.contract, actor)
    return invoice


def pay_with_credits(
    number: str, amount: Decimal | str, paid_on: date, reference: str, actor: User | str = "cli"
) -> Payment:
    """Record a payment, then use the account's eligible credits on what is still open."""
    payment = record_payment(number, amount, paid_on, reference, actor)
    invoice = db.session.get(Invoice, payment.invoice_id)
    assert invoice is not None
    apply_credits(invoice.contract, actor)
    return payment
