"""The one month field of every list and report filter: YYYY-MM from 2000-01 to 2100-12."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import MonthField as _MonthField
from wtforms.validators import ValidationError

# Months a report or filter can mean; 0001-01 or 9999-12 would overflow the date arithmetic.
FIRST = date(2000, 1, 1)
LAST = date(2100, 12, 1)


class MonthField(_MonthField):
    """A month (YYYY-MM) refused, next to the field, outside 2000-01..2100-12."""

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and not FIRST <= self.data <= LAST:
            raise ValidationError(
                _l("Choose a month from %(first)s to %(last)s.", first="2000-01", last="2100-12")
            )
