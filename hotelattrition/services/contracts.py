"""Contracts in and out: import a settlement document with contract keys, export one."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from ..domain import InvalidDocument, parse_document
from ..domain.codec import read_date
from ..domain.contract_statuses import LOST_STATUSES, STATUSES
from ..domain.limits import (
    ACCOUNT_NAME_MAX,
    CODE_MAX,
    CONTRACT_NAME_MAX,
    PROPERTY_CODE_MAX,
    length_problem,
)
from ..domain.terms import BlockRow, NightRooms, PickupRow, Terms
from ..extensions import db
from ..models import Account, Contract, Property, User
from ..models.contracts import DISPUTE_WINDOW_DAYS
from . import NotFound, ServiceError
from .audit import document_changes, record_change
from .contract_documents import (
    actuals_of,
    add_block_revision,
    add_release_revisions,
    block_rows,
    contract_document,
    current_block_rows,
    release_to_record,
    write_clauses,
)
from .contract_locks import refuse_if_invoiced
from .lost_business import LOST_TO_MAX, REASON_MAX, lost_problems
from .pickup import record_actuals_snapshot
from .refusals import _
from .settlements import store_settlement

log = logging.getLogger(__name__)

_CODE = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,{CODE_MAX - 1}}}")
# Each contract key's limit: its column's length, the same the contract form checks.
KEY_LIMITS = {
    "code": CODE_MAX,
    "property": PROPERTY_CODE_MAX,
    "account": ACCOUNT_NAME_MAX,
    "name": CONTRACT_NAME_MAX,
}
# Room and day counts are stored as 32-bit integers on PostgreSQL; the document allows more.
MAX_STORED_COUNT = 2**31 - 1
SIGNED = ("definite", "settled")  # a tentative contract becoming one of these was signed
TERMS_KEYS = (
    "currency",
    "arrival",
    "departure",
    "block",
    "room_attrition",
    "fnb",
    "services",
    "meeting_room",
    "cancellation",
)


@dataclass(frozen=True)
class ImportResult:
    contract: Contract
    created: bool
    terms_changed: bool
    actuals_changed: int


def get_contract(code: str) -> Contract:
    contract = db.session.scalar(select(Contract).where(Contract.code == code))
    if contract is None:
        raise NotFound(_("contract %(code)s not found", code=code))
    return contract


def export_contract(code: str) -> dict[str, Any]:
    """The contract's settlement document with its contract keys."""
    return contract_document(get_contract(code))


def import_contract(
    data: Any, actor: User | str = "cli", revision_reason: str = "import"
) -> ImportResult:
    """Create or update a contract from a settlement document plus contract keys.

    A changed block becomes a revision labelled `revision_reason` ("edit" from the form).
    """
    if isinstance(data, dict) and isinstance(data.get("code"), str):
        existing = db.session.scalar(select(Contract).where(Contract.code == data["code"].strip()))
        if existing is not None and existing.voided_at is not None:
            raise ServiceError(
                _(
                    "contract %(code)s is voided: import it under another code",
                    code=existing.code,
                )
            )
        if existing is not None:
            refuse_if_invoiced(existing)  # an invoiced contract's terms and status are frozen
    problems: list[tuple[str, str]] = []
    try:
        terms = parse_document(data)
    except InvalidDocument as invalid:
        problems += invalid.problems
        terms = None
    keys = _contract_keys(data, problems) if isinstance(data, dict) else None
    if terms is not None:
        problems += [
            (where, f"must be at most {MAX_STORED_COUNT}") for where in _huge_counts(terms)
        ]
    if problems or keys is None or terms is None:
        raise InvalidDocument(problems)
    prop = db.session.scalar(select(Property).where(Property.code == keys["property"]))
    if prop is None:
        raise NotFound(_("property %(code)s not found: create it first", code=keys["property"]))
    if terms.currency != prop.currency:
        raise InvalidDocument(
            [("/currency", f"must be {prop.currency}, the currency of property {prop.code}")]
        )
    contract = db.session.scalar(select(Contract).where(Contract.code == keys["code"]))
    was = contract.status if contract is not None else None
    status = _status(keys, terms, was)
    signed = bool(keys.get("signed_on") or (contract is not None and contract.signed_on))
    current = contract.lost_reason if contract is not None else None
    # A document naming the status asks its reason; one whose cancellation clause alone makes
    # the group cancelled (a bare settlement document) leaves it to the contract page.
    asks = "status" in keys or "lost_reason" in keys
    if asks and (lost := lost_problems(status, was, keys.get("lost_reason"), current, signed)):
        raise InvalidDocument(lost)
    as_of = keys.get("as_of") or prop.today()
    if contract is None:
        return _create(prop, keys, terms, as_of, actor)
    return _update(contract, prop, keys, terms, as_of, actor, revision_reason)


def _contract_keys(data: dict[str, Any], problems: list[tuple[str, str]]) -> dict[str, Any]:
    keys: dict[str, Any] = {}
    for key, limit in KEY_LIMITS.items():
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(
                (f"/{key}", "required" if key not in data else "must be a non-empty string")
            )
        elif problem := length_problem(value.strip(), limit):
            problems.append((f"/{key}", problem))
        else:
            keys[key] = value.strip()
    if "code" in keys and not _CODE.fullmatch(keys["code"]):
        problems.append(("/code", f"letters, digits, '.', '_' or '-', at most {CODE_MAX}"))
    if "status" in data:
        if data["status"] not in STATUSES:
            problems.append(("/status", "must be one of " + ", ".join(STATUSES)))
        else:
            keys["status"] = data["status"]
    if "dispute_window_days" in data:
        days = data["dispute_window_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 365:
            problems.append(("/dispute_window_days", "must be a whole number of days, 0 to 365"))
        else:
            keys["dispute_window_days"] = days
    for key, limit in (("lost_reason", REASON_MAX), ("lost_to", LOST_TO_MAX)):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            problems.append((f"/{key}", "must be a string"))
        elif problem := length_problem(value.strip(), limit):
            problems.append((f"/{key}", problem))
        elif value.strip():
            keys[key] = value.strip()
    for key in ("signed_on", "as_of"):
        if key in data:
            day, problem = read_date(data[key])
            if problem:
                problems.append((f"/{key}", problem))
            else:
                keys[key] = day
    return keys


def _huge_counts(terms: Terms) -> Iterator[str]:
    """Pointers to the counts too large for their column (rows keep the document's order)."""
    sections: tuple[tuple[str, tuple[BlockRow | PickupRow | NightRooms, ...]], ...] = (
        ("block", terms.block),
        ("pickup", terms.pickup),
        ("outside_block", terms.outside_block),
        ("resold", terms.resold),
    )
    for section, rows in sections:
        for i, row in enumerate(rows):
            if row.rooms > MAX_STORED_COUNT:
                yield f"/{section}/{i}/rooms"
    # Released rooms are stored added back to their block row, in the revision before release.
    booked = {(b.night, b.room_type): b.rooms for b in terms.block}
    for i, released in enumerate(terms.released):
        if released.rooms + booked.get((released.night, released.room_type), 0) > MAX_STORED_COUNT:
            yield f"/released/{i}/rooms"
    for i, step in enumerate(terms.cancellation.schedule if terms.cancellation else ()):
        if step.min_days > MAX_STORED_COUNT:
            yield f"/cancellation/schedule/{i}/min_days"


def _account(name: str) -> Account:
    account = db.session.scalar(select(Account).where(Account.name == name))
    if account is None:
        account = Account(name=name)
        db.session.add(account)
    return account


def _status(keys: dict[str, Any], terms: Terms, current: str | None) -> str:
    if "status" in keys:
        return keys["status"]
    if terms.is_cancelled:
        return "cancelled"
    return current or ("definite" if keys.get("signed_on") else "tentative")


def _mark_lost(contract: Contract, was: str | None, prop: Property, keys: dict) -> None:
    """The day the group became lost or cancelled (at the property), and why (the document's
    reason; lost_problems checked it). The day goes once the group is neither."""
    if contract.status not in LOST_STATUSES:
        contract.lost_on = None
        return
    if was not in LOST_STATUSES or contract.lost_on is None:
        contract.lost_on = prop.today()
    if "lost_reason" in keys:
        contract.lost_reason = keys["lost_reason"]
    if "lost_to" in keys:
        contract.lost_to = keys["lost_to"]


def _create(
    prop: Property, keys: dict, terms: Terms, as_of: date, actor: User | str
) -> ImportResult:
    contract = Contract(
        code=keys["code"],
        property=prop,
        account=_account(keys["account"]),
        name=keys["name"],
        status=_status(keys, terms, None),
        signed_on=keys.get("signed_on"),
        dispute_window_days=keys.get("dispute_window_days", DISPUTE_WINDOW_DAYS),
        arrival=terms.arrival,
        departure=terms.departure,
    )
    _mark_lost(contract, None, prop, keys)
    db.session.add(contract)
    if more := release_to_record(contract, terms):
        add_release_revisions(contract, terms, more, "signed", keys.get("signed_on") or as_of)
    else:
        add_block_revision(contract, terms, "signed", keys.get("signed_on") or as_of)
    write_clauses(contract, terms)
    db.session.flush()
    changed = record_actuals_snapshot(contract, as_of, *actuals_of(terms))
    store_settlement(contract)
    record_change(actor, "create", "contract", contract.code, {"document": _terms_part(contract)})
    _log_saved(contract, "created", changed)
    return ImportResult(contract, True, True, changed)


def _update(
    contract: Contract,
    prop: Property,
    keys: dict,
    terms: Terms,
    as_of: date,
    actor: User | str,
    revision_reason: str = "import",
) -> ImportResult:
    if contract.property_id != prop.id:
        raise ServiceError(
            _(
                "contract %(code)s belongs to property %(property)s, not %(other)s",
                code=contract.code,
                property=contract.property.code,
                other=prop.code,
            )
        )
    before = _terms_part(contract) | _header(contract)
    contract.account = _account(keys["account"])
    contract.name = keys["name"]
    was = contract.status
    contract.status = _status(keys, terms, contract.status)
    _mark_lost(contract, was, prop, keys)
    contract.signed_on = keys.get("signed_on", contract.signed_on)
    if contract.signed_on is None and was == "tentative" and contract.status in SIGNED:
        # Made definite with no date typed: signed the day it was recorded, so the days from
        # inquiry to contract (the retention report) count it rather than leave it out.
        contract.signed_on = as_of
    contract.dispute_window_days = keys.get("dispute_window_days", contract.dispute_window_days)
    contract.arrival, contract.departure = terms.arrival, terms.departure
    if more := release_to_record(contract, terms):
        add_release_revisions(contract, terms, more, revision_reason, as_of)
    elif block_rows(terms) != current_block_rows(contract):
        add_block_revision(contract, terms, revision_reason, as_of)
    write_clauses(contract, terms)
    db.session.flush()
    changed = record_actuals_snapshot(contract, as_of, *actuals_of(terms))
    store_settlement(contract)
    changes = document_changes(before, _terms_part(contract) | _header(contract))
    if changes:
        record_change(actor, "replace_terms", "contract", contract.code, changes)
    _log_saved(contract, "updated" if changes else "terms unchanged", changed)
    return ImportResult(contract, False, bool(changes), changed)


def _log_saved(contract: Contract, what: str, figures: int) -> None:
    log.info(
        "contract saved: %s (id %s, property %s), %s; %d actual figures recorded",
        contract.code, contract.id, contract.property.code, what, figures,
    )  # fmt: skip


def _terms_part(contract: Contract) -> dict[str, Any]:
    """The clause terms of the contract's document (no actuals), for the audit log."""
    doc = contract_document(contract)
    terms = {k: doc[k] for k in TERMS_KEYS if k in doc}
    if "fnb" in terms:
        terms["fnb"] = {k: v for k, v in terms["fnb"].items() if k != "actual"}
    if "services" in terms:
        terms["services"] = [
            {k: v for k, v in s.items() if k != "actual"} for s in terms["services"]
        ]
    return terms


def _header(contract: Contract) -> dict[str, Any]:
    return {
        "account": contract.account.name,
        "name": contract.name,
        "status": contract.status,
        "signed_on": contract.signed_on.isoformat() if contract.signed_on else None,
        "dispute_window_days": contract.dispute_window_days,
        "lost_reason": contract.lost_reason,
        "lost_to": contract.lost_to,
    }
