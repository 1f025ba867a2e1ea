"""The report choices: a property (one the user sees) and, for the monthly report, a month."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
)
from wtforms.validators import NumberRange, Optional, ValidationError

from ..months import FIRST, MonthField


class PropertyForm(FlaskForm):
    """A GET form: it changes nothing, so it carries no CSRF token."""

    class Meta:
        csrf = False

    property = SelectField(_l("Property"), validate_choice=False)
    tentative = BooleanField(_l("Count tentative groups in the totals"))


class PropertyMonthForm(PropertyForm):
    month = MonthField(_l("Month"), validators=[Optional()], render_kw={"placeholder": "YYYY-MM"})


class RetentionForm(FlaskForm):
    """The retention report's choices: every property or one, by year or month, a year, and
    the date the figures are read as of (only rows entered by then count)."""

    class Meta:
        csrf = False

    property = SelectField(_l("Property"), validate_choice=False)
    by = SelectField(
        _l("Periods"),
        choices=[SelectChoice("year", _l("Years")), SelectChoice("month", _l("Months"))],
        default="year",
    )
    year = IntegerField(
        _l("Year"),
        validators=[
            Optional(),
            NumberRange(2000, 2100, message=_l("Choose a year from 2000 to 2100.")),
        ],
    )
    as_of = DateField(_l("As of"), validators=[Optional()])

    def validate_as_of(self, field: DateField) -> None:
        if field.data is not None and not FIRST <= field.data <= date(2100, 12, 31):
            raise ValidationError(_l("Choose a date from 2000-01-01 to 2100-12-31."))
