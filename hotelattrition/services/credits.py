"""Rebooking credits: convert a settlement's damages, check a new contract, apply the credit.

`convert_damages(contract, actor)` is the one entry point for the decision "convert" (the
decision page of issue 16 calls it). `credit_checks(contract)` says which open credits of the
account (or its affiliates) apply to a contract and why or why not; `apply_credits(contract)`
uses them: a credit_paid credit is paid into the contract's open invoices as payments of
method "account credit", a waive_on_rebook credit cancels its held invoice by credit note.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ..domain.codec import plain, rebooking_to_json
from ..domain.money import ZERO
from ..domain.rebooking import Candidate, Eligibility, Original, eligibility, expires_on, usable
from ..domain.terms import Rebooking
from ..extensions import db
from ..models import AccountCredit, Contract, Invoice, Payment, User
from ..models.accounts import affiliated_account_ids
from . import ServiceError
from .audit import actor_name, record_change
from .contract_locks import fully_credited, open_invoice
from .contract_terms import terms_of
from .contracts import get_contract
from .credit_ledger import CreditBalance, append_entry, clause_of, credit_balance
from .invoice_payments import balance, record_payment
from .invoices import credit_invoice, issue_invoice
from .payment_chains import append_payment, lock_chain

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
    terms = terms_of(contract)
    clause = terms.rebooking
    if clause is None:
        raise ServiceError(f"contract {contract.code} has no rebooking clause: nothing to convert")
    if db.session.scalar(select(AccountCredit.id).where(AccountCredit.contract_id == contract.id)):
        raise ServiceError(f"contract {contract.code} is converted already")
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


@dataclass(frozen=True)
class CreditCheck:
    """One open credit against one contract: its balance, whether it applies, and what's left."""

    credit: AccountCredit
    balance: CreditBalance
    eligibility: Eligibility
    usable: Decimal
    source_code: str  # the contract the credit came from


def credit_checks(contract: Contract, today: date | None = None) -> list[CreditCheck]:
    """Every open credit of the contract's account family, checked against the contract."""
    today = today or contract.property.today()
    family = frozenset(affiliated_account_ids(contract.account_id))
    credits = db.session.scalars(
        select(AccountCredit)
        .where(AccountCredit.account_id.in_(family), AccountCredit.contract_id != contract.id)
        .order_by(AccountCredit.expires_on, AccountCredit.id)
    )
    terms = terms_of(contract)
    candidate = Candidate(
        account_id=contract.account_id,
        currency=terms.currency,
        signed_on=contract.signed_on if contract.status != "tentative" else None,
        arrival=contract.arrival,
        room_nights=sum(b.rooms for b in terms.block),
        fnb_minimum=terms.fnb.minimum if terms.fnb else ZERO,
        cancelled=contract.status in ("cancelled", "lost"),
    )
    checks = []
    for credit in credits:
        bal = credit_balance(credit, today)
        if bal.nominal <= 0:
            continue  # used up, waived, or nothing paid yet
        original = Original(
            credit.account_id, credit.currency, credit.arrival, credit.room_nights,
            credit.fnb_minimum, clause_of(credit),
        )  # fmt: skip
        result = eligibility(original, candidate, family)
        left = usable(bal.earned, bal.used, result.pct, credit.currency) if result.applies else ZERO
        source = db.session.get(Contract, credit.contract_id)
        checks.append(CreditCheck(credit, bal, result, left, source.code if source else ""))
    return checks


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
        raise NoCreditUsed(_refusal(contract, checks), waiting)
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
    credit = check.credit
    held = db.session.get(Invoice, credit.invoice_id)
    if held is None or fully_credited(held):
        return []
    if check.eligibility.pct < 100:
        # A credit note negates whole lines: a partial waiver is the decision page's to make.
        return []
    note = credit_invoice(
        held.number, f"waiver: rebooked as {contract.code} (rebooking clause)", actor=actor
    )
    append_entry(
        credit, "waive", -check.balance.nominal, note.issued_on, actor,
        invoice_id=note.id, note=f"{contract.code} {note.number}",
    )  # fmt: skip
    log.info(
        "held invoice %s waived by credit note %s: contract %s rebooked (credit %s)",
        held.number, note.number, contract.code, credit.id,
    )  # fmt: skip
    return [note]


REASONS_EN = {
    "not_affiliated": "another account, and the clause does not count affiliates",
    "affiliate": "an affiliated account, which the clause counts",
    "currency": "the credit is in {credit}, this contract in {contract}",
    "not_signed": "this contract is not signed yet",
    "cancelled": "this contract is cancelled",
    "too_late": "{day} is after the last window closed on {until}",
    "window": "{day} is within the window to {until}: {pct}%",
    "room_nights_ok": "{have} room nights, at least {need} needed",
    "room_nights_short": "{have} room nights, fewer than the {need} needed",
    "fnb_ok": "F&B minimum {have}, at least {need} needed",
    "fnb_short": "F&B minimum {have}, below the {need} needed",
}


FAILING = ("not_affiliated", "currency", "not_signed", "too_late", "cancelled")


def describe_reason(key: str, figures: dict[str, object]) -> str:
    """A reason in English, for the command line and refusals."""
    shown = {k: plain(v) if isinstance(v, Decimal) else v for k, v in figures.items()}
    return REASONS_EN[key].format(**shown)


def _refusal(contract: Contract, checks: list[CreditCheck]) -> str:
    if not checks:
        return f"contract {contract.code}: the account has no open credit"
    if any(c.eligibility.applies and c.usable > 0 for c in checks):
        return (
            f"contract {contract.code} has no open invoice to use its credits on: they are "
            "used when its damages invoice is issued or paid"
        )
    parts = []
    for check in checks:
        failing = [
            describe_reason(k, f)
            for k, f in check.eligibility.reasons
            if k in FAILING or k.endswith("_short")
        ]
        parts.append(f"credit {check.credit.id}: " + "; ".join(failing or ["nothing left"]))
    return f"contract {contract.code}: no credit applies ({' / '.join(parts)})"


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


@dataclass(frozen=True)
class CreditPanel:
    """What the contract page shows of credits: its clause, its own credit, the account's."""

    clause: Rebooking | None
    own: AccountCredit | None
    own_balance: CreditBalance | None
    checks: list[CreditCheck]


def credit_panel(contract: Contract, today: date) -> CreditPanel:
    """The contract's rebooking clause, the credit converted from it, and the credits it may use."""
    own = db.session.scalar(select(AccountCredit).where(AccountCredit.contract_id == contract.id))
    return CreditPanel(
        terms_of(contract).rebooking,
        own,
        credit_balance(own, today) if own is not None else None,
        credit_checks(contract, today),
    )
