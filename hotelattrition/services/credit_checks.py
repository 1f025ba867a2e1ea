"""Which of an account's open credits a contract may use, and why or why not.

`credit_checks(contract)` checks every open credit of the account (and its affiliates)
against the contract; `credit_panel` is what the contract page shows; the reasons are keys
with figures, worded here in English for the command line and refusals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ..domain.codec import plain
from ..domain.money import ZERO
from ..domain.rebooking import (
    Candidate,
    Eligibility,
    Original,
    eligibility,
    rebooking_clause,
    usable,
)
from ..domain.terms import Rebooking
from ..extensions import db
from ..models import AccountCredit, Contract
from ..models.accounts import affiliated_account_ids
from .credit_ledger import CreditBalance, clause_of, credit_balance


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
    # From the contract's rows, not terms_of: the contract page reads its terms once already.
    block = contract.current_block
    candidate = Candidate(
        account_id=contract.account_id,
        currency=contract.property.currency,
        signed_on=contract.signed_on if contract.status != "tentative" else None,
        arrival=contract.arrival,
        room_nights=block.room_nights if block else 0,
        fnb_minimum=contract.fnb.minimum if contract.fnb else ZERO,
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


def refusal_text(contract: Contract, checks: list[CreditCheck]) -> str:
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
        rebooking_of(contract),
        own,
        credit_balance(own, today) if own is not None else None,
        credit_checks(contract, today),
    )


def rebooking_of(contract: Contract) -> Rebooking | None:
    """The contract's rebooking clause, as the domain reads it."""
    rb = contract.rebooking
    if rb is None:
        return None
    return rebooking_clause(
        rb.mode, ((w.months, w.pct) for w in rb.windows), rb.counts_to,
        rb.room_nights_pct, rb.fnb_pct, rb.affiliates,
    )  # fmt: skip
