"""The occupancy page's forms: the month to show (GET) and the month's nights (POST)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField
from wtforms.validators import Optional

from ...services.occupancy import MONTH_NIGHTS_MAX
from ..months import MonthField
from ..numbers import CountField

COUNT = {"inputmode": "numeric", "autocomplete": "off"}


class MonthForm(FlaskForm):
    """A GET form: it changes nothing, so it carries no CSRF token."""

    class Meta:
        csrf = False

    month = MonthField(_l("Month"), validators=[Optional()], render_kw={"placeholder": "YYYY-MM"})


class NightForm(Form):
    night = HiddenField()
    sold = CountField(_l("Rooms sold"), render_kw=COUNT)
    available = CountField(_l("Rooms available"), render_kw=COUNT)


class OccupancyForm(FlaskForm):
    nights = FieldList(FormField(NightForm), max_entries=MONTH_NIGHTS_MAX)
