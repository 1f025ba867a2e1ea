"""A new contract's property chosen again: its currency and default tax rates replace the old.

The form carries the code of the property whose defaults fill it (`defaults_for`); when the
chosen property differs, the form is shown again with the new property's rates, everything
else kept as typed, and nothing is saved until the user has seen them.
"""

from __future__ import annotations

from decimal import Decimal

from flask import request
from flask_babel import lazy_gettext as _l

from ...domain.limits import PROPERTY_CODE_MAX
from ...models import Property
from .forms import ContractForm

DEFAULTS_FOR = "defaults_for"  # the hidden input's name
PROPERTY_SWITCHED = _l(
    "The property changed: its currency and default rates are loaded. Check them and save again."
)


def _pct(value: Decimal) -> str:
    return format(value.normalize(), "f")


def switched_property(form: ContractForm, properties: list[Property]) -> Property | None:
    """The newly chosen property, when it is not the one whose defaults fill the form."""
    loaded = request.form.get(DEFAULTS_FOR, "")[:PROPERTY_CODE_MAX]
    chosen = next((p for p in properties if p.code == form.property.data), None)
    if not loaded or chosen is None or chosen.code == loaded:
        return None
    return chosen


def load_property_rates(form: ContractForm, prop: Property) -> None:
    """Put the property's default tax rates and service charge in every clause of the form."""
    form.room_attrition.form.tax_pct.data = _pct(prop.room_tax_pct)
    form.fnb.form.service_charge_pct.data = _pct(prop.fnb_service_charge_pct)
    form.fnb.form.tax_pct.data = _pct(prop.fnb_tax_pct)
    form.meeting_room.form.tax_pct.data = _pct(prop.meeting_room_tax_pct)
    form.cancellation.form.tax_pct.data = _pct(prop.cancellation_tax_pct)
    for entry in form.services.entries:
        entry.form.tax_pct.data = _pct(prop.services_tax_pct)
