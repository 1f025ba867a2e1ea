"""The at-risk setting: how far a repeat account's room nights may fall before it is at risk."""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from ..extensions import db
from ..models import Property
from . import ServiceError
from .properties import get_property
from .refusals import _

log = logging.getLogger(__name__)


def set_at_risk_drop(code: str, pct: Decimal | str) -> Property:
    """Set the share (percent, 0-100) room nights may fall on the year before."""
    prop = get_property(code)
    try:
        value = Decimal(str(pct).strip())
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= 100 or value != round(value, 4):
        message = _("The drop is a percentage from 0 to 100, at most 4 decimal places.")
        raise ServiceError(message, [("at_risk_drop_pct", message)])
    prop.at_risk_drop_pct = value
    db.session.flush()
    log.info("at-risk drop set: property %s (id %s) %s%%", code, prop.id, value)
    return prop
