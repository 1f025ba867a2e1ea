"""The report choices: a property (one the user sees) and, for the monthly report, a month."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField
from wtforms.validators import Optional

from ..months import MonthField


class PropertyForm(FlaskForm):
    """A GET form: it changes nothing, so it carries no CSRF token."""

    class Meta:
        csrf = False

    property = SelectField(_l("Property"), validate_choice=False)
    tentative = BooleanField(_l("Count tentative groups in the totals"))


class PropertyMonthForm(PropertyForm):
    month = MonthField(_l("Month"), validators=[Optional()], render_kw={"placeholder": "YYYY-MM"})
