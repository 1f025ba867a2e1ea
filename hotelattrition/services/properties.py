"""Create and find properties (the hotels of the group)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from sqlalchemy import select

from ..domain.money import money_currencies
from ..extensions import db
from ..models import Property
from . import AlreadyExists, NotFound, ServiceError

log = logging.getLogger(__name__)

RATE_FIELDS = (
    "room_tax_pct",
    "fnb_service_charge_pct",
    "fnb_tax_pct",
    "meeting_room_tax_pct",
    "services_tax_pct",
    "cancellation_tax_pct",
)
_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,19}")


@dataclass
class PropertyData:
    code: str
    name: str
    currency: str
    locale: str
    country: str
    legal_name: str = ""
    address: str = ""
    tax_id: str | None = None
    timezone: str = "UTC"
    payment_terms_days: int = 30
    invoice_prefix: str = ""
    rates: dict[str, str] = field(default_factory=dict)


def get_property(code: str) -> Property:
    prop = db.session.scalar(select(Property).where(Property.code == code))
    if prop is None:
        raise NotFound(f"property {code} not found")
    return prop


def create_property(data: PropertyData) -> Property:
    """Add a property after checking each field; raise ServiceError naming the bad ones."""
    problems = _check(data)
    if problems:
        raise ServiceError("; ".join(f"{f}: {m}" for f, m in problems), problems)
    if db.session.scalar(select(Property.id).where(Property.code == data.code)) is not None:
        raise AlreadyExists(f"property {data.code} already exists")
    prop = Property(
        code=data.code,
        name=data.name,
        legal_name=data.legal_name or data.name,
        address=data.address,
        country=data.country.upper(),
        tax_id=data.tax_id,
        currency=data.currency,
        locale=str(Locale.parse(data.locale)),
        timezone=data.timezone,
        payment_terms_days=data.payment_terms_days,
        invoice_prefix=data.invoice_prefix or data.code,
        **{k: Decimal(v) for k, v in data.rates.items()},
    )
    db.session.add(prop)
    db.session.flush()
    log.info("property created: %s (id %s), %s, %s", prop.code, prop.id, prop.currency, prop.locale)
    return prop


def _check(data: PropertyData) -> list[tuple[str, str]]:
    problems = []
    if not _CODE.fullmatch(data.code):
        problems.append(("code", "capital letters, digits, '_' or '-', at most 20"))
    if not data.name.strip():
        problems.append(("name", "required"))
    if data.currency not in money_currencies():
        problems.append(("currency", f"unknown currency {data.currency!r}"))
    try:
        Locale.parse(data.locale)
    except (UnknownLocaleError, ValueError):
        problems.append(("locale", f"unknown locale {data.locale!r}"))
    if data.country.upper() not in Locale("en").territories or len(data.country) != 2:
        problems.append(("country", f"unknown country code {data.country!r}"))
    try:
        ZoneInfo(data.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(("timezone", f"unknown time zone {data.timezone!r}"))
    if data.payment_terms_days < 0:
        problems.append(("payment_terms_days", "must be >= 0"))
    for key, value in data.rates.items():
        if key not in RATE_FIELDS:
            problems.append((key, "unknown rate"))
            continue
        try:
            rate = Decimal(value)
            ok = rate.is_finite() and 0 <= rate <= 100 and rate == rate.quantize(Decimal("0.0001"))
        except InvalidOperation:
            ok = False
        if not ok:
            problems.append((key, "must be a percentage from 0 to 100, at most 4 decimal places"))
    return problems
