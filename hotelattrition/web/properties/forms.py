"""The property form: identity, money and language, default rates, invoices and payment."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it
from wtforms.validators import DataRequired, Length, Optional

from ...domain.money import money_currencies
from ...domain.tax_ids import IBAN_MAX, TAX_ID_MAX
from ...services.properties import (
    ADDRESS_MAX,
    INSTRUCTIONS_MAX,
    NAME_MAX,
    RATE_FIELDS,
    ROOM_TYPES_MAX,
)
from ..accounts.forms import TOO_LONG
from ..numbers import CountField, NumberField

RATE_LABELS = {
    "room_tax_pct": _l("Room tax %"),
    "fnb_service_charge_pct": _l("F&B service charge %"),
    "fnb_tax_pct": _l("F&B tax %"),
    "meeting_room_tax_pct": _l("Meeting room tax %"),
    "services_tax_pct": _l("Services tax %"),
    "cancellation_tax_pct": _l("Cancellation tax %"),
}


def currency_choices() -> list[SelectChoice]:
    return [SelectChoice(code, code) for code in sorted(money_currencies())]


@cache  # available_timezones() walks the tz database's files at every call
def _zones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def timezone_choices() -> list[SelectChoice]:
    return [SelectChoice(zone, zone) for zone in _zones()]


def _text(label: str, limit: int, required: bool = False) -> StringField:
    checks = [DataRequired()] if required else []
    return StringField(label, validators=[*checks, Length(max=limit, message=TOO_LONG)])


class PropertyForm(FlaskForm):
    name = _text(_l("Name"), NAME_MAX, required=True)
    legal_name = _text(_l("Legal name"), NAME_MAX)
    address = TextAreaField(_l("Address"), validators=[Length(max=ADDRESS_MAX, message=TOO_LONG)])
    country = SelectField(_l("Country"), choices=[])
    tax_id = _text(_l("Tax id"), TAX_ID_MAX)
    currency = SelectField(_l("Currency"), choices=[])
    locale = _text(_l("Locale"), 20, required=True)
    timezone = SelectField(_l("Time zone"), choices=[])
    room_tax_pct = NumberField(RATE_LABELS["room_tax_pct"], validators=[DataRequired()])
    fnb_service_charge_pct = NumberField(
        RATE_LABELS["fnb_service_charge_pct"], validators=[DataRequired()]
    )
    fnb_tax_pct = NumberField(RATE_LABELS["fnb_tax_pct"], validators=[DataRequired()])
    meeting_room_tax_pct = NumberField(
        RATE_LABELS["meeting_room_tax_pct"], validators=[DataRequired()]
    )
    services_tax_pct = NumberField(RATE_LABELS["services_tax_pct"], validators=[DataRequired()])
    cancellation_tax_pct = NumberField(
        RATE_LABELS["cancellation_tax_pct"], validators=[DataRequired()]
    )
    room_types = _text(_l("Room types"), ROOM_TYPES_MAX)
    invoice_title = SelectField(
        _l("Damages are billed as"),
        choices=[
            SelectChoice("invoice", _l("an invoice")),
            SelectChoice("debit_note", _l("a debit note")),
        ],
    )
    payment_terms_days = CountField(
        _l("Payment terms (days)"),
        validators=[DataRequired()],
    )
    iban = _text(_l("IBAN"), IBAN_MAX)
    bic = _text(_l("BIC / SWIFT"), 11)
    payment_instructions = TextAreaField(
        _l("Payment instructions"),
        validators=[Optional(), Length(max=INSTRUCTIONS_MAX, message=TOO_LONG)],
    )

    at_risk_drop_pct = NumberField(
        _l("Fall in room nights that puts an account at risk (%)"),
        validators=[DataRequired(_l("From 1 to 100."))],
    )

    def rate_fields(self) -> list[NumberField]:
        return [self[name] for name in RATE_FIELDS]


class NewPropertyForm(PropertyForm):
    code = _text(_l("Code"), 20, required=True)
    invoice_prefix = _text(_l("Invoice number prefix"), 20)
