"""Edit an account's billing details: address, country, tax id, contact and parent account."""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass

from babel import Locale
from sqlalchemy import select

from ..domain.limits import ACCOUNT_NAME_MAX, length_problem
from ..domain.tax_ids import check_tax_id
from ..extensions import db
from ..models import Account, User
from . import ServiceError
from .audit import record_change

log = logging.getLogger(__name__)
ADDRESS_MAX = 500
CONTACT_NAME_MAX = 200
EMAIL_MAX = 254
PHONE_MAX = 50
CONTACT_LANGUAGES = ("en", "es")
# A chain of parents longer than this is refused: it is a mistake, and it bounds the walk.
MAX_PARENT_DEPTH = 20
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"[0-9+() ./-]*")


@dataclass(frozen=True)
class AccountDetails:
    name: str
    billing_address: str = ""
    country: str = ""
    tax_id: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    contact_language: str = "en"  # the reminders' language: "en" or "es"
    parent_id: int | None = None


def account_details(account: Account) -> AccountDetails:
    """The account's editable details as they are stored."""
    return AccountDetails(
        name=account.name,
        billing_address=account.billing_address,
        country=account.country,
        tax_id=account.tax_id or "",
        contact_name=account.contact_name,
        contact_email=account.contact_email,
        contact_phone=account.contact_phone,
        contact_language=account.contact_language,
        parent_id=account.parent_id,
    )


def update_account(actor: User | str, account: Account, details: AccountDetails) -> Account:
    """Store new details after checking each; raise ServiceError naming every bad field."""
    details, problems = _checked(account, details)
    if problems:
        raise ServiceError("; ".join(f"{f}: {m}" for f, m in problems), problems)
    before = asdict(account_details(account))
    for key, value in asdict(details).items():
        setattr(account, key, value)
    account.tax_id = details.tax_id or None
    changes = {
        key: {"before": before[key], "after": value}
        for key, value in asdict(details).items()
        if before[key] != value
    }
    if changes:
        record_change(actor, "edit_account", "account", str(account.id), changes)
        log.info("account %s (id %s) edited: %s", account.name, account.id, ", ".join(changes))
    return account


def _checked(
    account: Account, details: AccountDetails
) -> tuple[AccountDetails, list[tuple[str, str]]]:
    """The details trimmed, the tax id in its standard form, and the problems found."""
    problems: list[tuple[str, str]] = []
    name = " ".join(details.name.split())
    country = details.country.strip().upper()
    if not name:
        problems.append(("name", "required"))
    elif problem := length_problem(name, ACCOUNT_NAME_MAX):
        problems.append(("name", problem))
    elif db.session.scalar(
        select(Account.id).where(Account.name == name, Account.id != account.id)
    ):
        problems.append(("name", "another account has this name"))
    if country and (len(country) != 2 or country not in Locale("en").territories):
        problems.append(("country", "unknown country code"))
    tax_id, problem = check_tax_id(country, details.tax_id)
    if problem:
        problems.append(("tax_id", problem))
    for field, value, limit in (
        ("billing_address", details.billing_address, ADDRESS_MAX),
        ("contact_name", details.contact_name, CONTACT_NAME_MAX),
        ("contact_email", details.contact_email, EMAIL_MAX),
        ("contact_phone", details.contact_phone, PHONE_MAX),
    ):
        if problem := length_problem(value.strip(), limit):
            problems.append((field, problem))
    email = details.contact_email.strip()
    if email and not _EMAIL.fullmatch(email):
        problems.append(("contact_email", "must be an e-mail address"))
    if not _PHONE.fullmatch(details.contact_phone.strip()):
        problems.append(("contact_phone", "digits, spaces and + ( ) . / - only"))
    if details.contact_language not in CONTACT_LANGUAGES:
        problems.append(("contact_language", "English (en) or Spanish (es)"))
    if problem := _parent_problem(account, details.parent_id):
        problems.append(("parent_id", problem))
    address = "\n".join(line.strip() for line in details.billing_address.strip().splitlines())
    cleaned = AccountDetails(
        name=name,
        billing_address=address,
        country=country,
        tax_id=tax_id,
        contact_name=details.contact_name.strip(),
        contact_email=email.lower(),
        contact_phone=details.contact_phone.strip(),
        contact_language=details.contact_language,
        parent_id=details.parent_id,
    )
    return cleaned, problems


def _parent_problem(account: Account, parent_id: int | None) -> str | None:
    """Why the parent cannot be this account's (itself, unknown, or one of its affiliates)."""
    if parent_id is None:
        return None
    if parent_id == account.id:
        return "an account cannot be its own parent"
    seen = {account.id}
    current: int | None = parent_id
    for _ in range(MAX_PARENT_DEPTH):
        if current is None:
            return None
        parent = db.session.get(Account, current)
        if parent is None:
            return "unknown account"
        if parent.id in seen:
            return "this account is already above the chosen parent"
        seen.add(parent.id)
        current = parent.parent_id
    return "too many levels of parent accounts"
