"""Create and find properties (the hotels of the group)."""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from sqlalchemy import select

from ..domain.at_risk import read_drop_pct
from ..domain.limits import length_problem
from ..domain.money import money_currencies
from ..domain.tax_ids import check_iban, check_tax_id
from ..extensions import db
from ..models import Contract, Property, User
from . import AlreadyExists, NotFound, ServiceError
from .audit import record_change
from .refusals import _

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
    iban: str = ""
    bic: str = ""
    payment_instructions: str = ""
    room_types: str = ""


def get_property(code: str) -> Property:
    prop = db.session.scalar(select(Property).where(Property.code == code))
    if prop is None:
        raise NotFound(_("property %(code)s not found", code=code))
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
        iban=data.iban,
        bic=data.bic,
        payment_instructions=data.payment_instructions,
        room_types=data.room_types,
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


INVOICE_TITLES = ("invoice", "debit_note")  # models.invoices.TITLES less the credit note
NAME_MAX, ADDRESS_MAX, INSTRUCTIONS_MAX, ROOM_TYPES_MAX = 200, 500, 1000, 200
MAX_PAYMENT_TERMS_DAYS = 365
_BIC = re.compile(r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?")
_ROOM_TYPE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,19}")


@dataclass(frozen=True)
class PropertySettings:
    """What an administrator edits on a property (its code and invoice series stay)."""

    name: str
    legal_name: str
    address: str
    country: str
    tax_id: str
    currency: str
    locale: str
    timezone: str
    rates: dict[str, str]
    room_types: str
    invoice_title: str
    payment_terms_days: int
    iban: str
    bic: str
    payment_instructions: str
    at_risk_drop_pct: str = "25"  # accounts at risk beyond this fall in room nights, 1-100 %


def property_settings(prop: Property) -> PropertySettings:
    """The property's editable settings as stored (rates as plain decimal strings)."""
    return PropertySettings(
        name=prop.name,
        legal_name=prop.legal_name,
        address=prop.address,
        country=prop.country,
        tax_id=prop.tax_id or "",
        currency=prop.currency,
        locale=prop.locale,
        timezone=prop.timezone,
        rates={key: format(getattr(prop, key).normalize(), "f") for key in RATE_FIELDS},
        room_types=prop.room_types,
        invoice_title=prop.invoice_title,
        payment_terms_days=prop.payment_terms_days,
        iban=prop.iban,
        bic=prop.bic,
        payment_instructions=prop.payment_instructions,
        at_risk_drop_pct=format(prop.at_risk_drop_pct.normalize(), "f"),
    )


def update_property(actor: User | str, prop: Property, settings: PropertySettings) -> Property:
    """Store new settings after checking each; raise ServiceError naming every bad field.

    The currency is fixed once the property has contracts: their amounts are in it.
    """
    settings, problems = _checked_settings(prop, settings)
    if problems:
        raise ServiceError("; ".join(f"{f}: {m}" for f, m in problems), problems)
    before = asdict(property_settings(prop))
    after = asdict(settings)
    for key, value in after.items():
        if key == "rates":
            for rate, text in value.items():
                setattr(prop, rate, Decimal(text))
        elif key == "at_risk_drop_pct":
            prop.at_risk_drop_pct = Decimal(value)
        else:
            setattr(prop, key, value)
    prop.tax_id = settings.tax_id or None
    changes = {k: {"before": before[k], "after": v} for k, v in after.items() if before[k] != v}
    if changes:
        record_change(actor, "edit_property", "property", prop.code, changes)
        log.info("property %s (id %s) edited: %s", prop.code, prop.id, ", ".join(changes))
    return prop


def _checked_settings(
    prop: Property, settings: PropertySettings
) -> tuple[PropertySettings, list[tuple[str, str]]]:
    """The settings trimmed and in standard form, and the problems found."""
    country = settings.country.strip().upper()
    data = PropertyData(
        code=prop.code,
        name=settings.name.strip(),
        currency=settings.currency.strip().upper(),
        locale=settings.locale.strip(),
        country=country,
        timezone=settings.timezone.strip(),
        payment_terms_days=settings.payment_terms_days,
        rates=settings.rates,
    )
    problems = _check(data)
    if settings.payment_terms_days > MAX_PAYMENT_TERMS_DAYS:
        problems.append(("payment_terms_days", f"at most {MAX_PAYMENT_TERMS_DAYS} days"))
    if data.currency != prop.currency and db.session.scalar(
        select(Contract.id).where(Contract.property_id == prop.id).limit(1)
    ):
        problems.append(("currency", "fixed once the property has contracts"))
    tax_id, problem = check_tax_id(country, settings.tax_id)
    if problem:
        problems.append(("tax_id", problem))
    iban, problem = check_iban(settings.iban)
    if problem:
        problems.append(("iban", problem))
    bic = settings.bic.strip().upper().replace(" ", "")
    if bic and not _BIC.fullmatch(bic):
        problems.append(("bic", "8 or 11 letters and digits"))
    room_types = settings.room_types.upper().replace(",", " ").split()
    if any(not _ROOM_TYPE.fullmatch(code) for code in room_types):
        problems.append(("room_types", "codes of capital letters, digits, '_' or '-'"))
    drop = read_drop_pct(settings.at_risk_drop_pct)
    if drop is None:
        message = _("The drop is a percentage from 1 to 100, at most 4 decimal places.")
        problems.append(("at_risk_drop_pct", message))
    if settings.invoice_title not in INVOICE_TITLES:
        problems.append(("invoice_title", "unknown title"))
    for field_name, value, limit in (
        ("name", settings.name, NAME_MAX),
        ("legal_name", settings.legal_name, NAME_MAX),
        ("address", settings.address, ADDRESS_MAX),
        ("room_types", " ".join(room_types), ROOM_TYPES_MAX),
        ("payment_instructions", settings.payment_instructions, INSTRUCTIONS_MAX),
    ):
        if problem := length_problem(value.strip(), limit):
            problems.append((field_name, problem))
    cleaned = replace(
        settings,
        name=data.name,
        legal_name=settings.legal_name.strip() or data.name,
        address=_lines(settings.address),
        country=country,
        tax_id=tax_id,
        currency=data.currency,
        locale=data.locale,
        timezone=data.timezone,
        room_types=" ".join(dict.fromkeys(room_types)),
        iban=iban,
        bic=bic,
        payment_instructions=_lines(settings.payment_instructions),
        at_risk_drop_pct=format(drop.normalize(), "f") if drop else settings.at_risk_drop_pct,
    )
    return cleaned, problems


def _lines(text: str) -> str:
    """Text with each line trimmed and no blank lines around it."""
    return "\n".join(line.strip() for line in text.strip().splitlines())


def add_property(
    actor: User | str, code: str, invoice_prefix: str, settings: PropertySettings
) -> Property:
    """Create a property with every setting checked as an edit checks them; audited."""
    code, prefix = code.strip().upper(), invoice_prefix.strip().upper()
    data = PropertyData(
        code=code,
        name=settings.name.strip() or code,
        currency=settings.currency.strip().upper(),
        locale=settings.locale.strip() or "en",
        country=settings.country.strip().upper(),
        timezone=settings.timezone.strip() or "UTC",
        invoice_prefix=prefix,
    )
    problems = [(f, m) for f, m in _check(data) if f in ("code", "currency", "locale")]
    if prefix and not _CODE.fullmatch(prefix):
        problems.append(("invoice_prefix", "capital letters, digits, '_' or '-', at most 20"))
    if problems:
        raise ServiceError("; ".join(f"{f}: {m}" for f, m in problems), problems)
    if db.session.scalar(select(Property.id).where(Property.code == code)) is not None:
        raise AlreadyExists(
            f"property {code} already exists", [("code", "another property has this code")]
        )
    prop = Property(
        code=code,
        name=data.name,
        legal_name=data.name,
        country=data.country,
        currency=data.currency,
        locale=str(Locale.parse(data.locale)),
        timezone=data.timezone,
        invoice_prefix=prefix or code,
    )
    db.session.add(prop)
    db.session.flush()
    record_change(actor, "create_property", "property", code, {"currency": data.currency})
    log.info("property created: %s (id %s), %s", code, prop.id, data.currency)
    return update_property(actor, prop, settings)
