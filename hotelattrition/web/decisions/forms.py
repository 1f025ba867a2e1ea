"""The decision on a settlement, a manager's review, and lost business."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..numbers import NumberField


class DecisionForm(FlaskForm):
    kind = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("collect", _l("Collect the damages")),
            SelectChoice("waive", _l("Waive the damages")),
            # Offered on the page only with a rebooking clause; without one the service
            # refuses it next to this field.
            SelectChoice("convert", _l("Convert the damages under the rebooking clause")),
        ],
        validators=[DataRequired()],
    )
    reason = SelectField(_l("Reason for the waiver"), choices=[], validate_choice=False)
    lines = SelectMultipleField(
        _l("Invoice lines to waive (none ticked: all)"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[Optional()],
    )
    amount = NumberField(
        _l("Amount to waive, tax included (empty: all of it)"),
        validators=[Optional(), Length(max=30)],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=1000)])


class ReviewForm(FlaskForm):
    note = StringField(_l("Note (required to refuse)"), validators=[Optional(), Length(max=1000)])


class LostForm(FlaskForm):
    reason = SelectField(_l("Reason"), choices=[], validate_choice=False)
    lost_to = StringField(
        _l("Competitor or destination that won"), validators=[Optional(), Length(max=200)]
    )
