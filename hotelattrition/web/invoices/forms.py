"""Invoice forms: the list's filters, issuing, crediting lines, recording a payment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it
    BooleanField,
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..numbers import NumberField


class FilterForm(FlaskForm):
    """The list's filters, read from the query string (a GET changes nothing: no CSRF)."""

    class Meta:
        csrf = False

    property = SelectField(_l("Property"), choices=[], default="", validate_choice=False)
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("", _l("any")),
            SelectChoice("open", _l("open")),
            SelectChoice("paid", _l("paid")),
            SelectChoice("credited", _l("credited")),
            SelectChoice("credit_note", _l("credit note")),
        ],
        default="",
    )
    issued_from = DateField(_l("Issued from"), validators=[Optional()])
    issued_to = DateField(_l("to"), validators=[Optional()])
    overdue = BooleanField(_l("Overdue only"))

    def query_args(self) -> dict[str, str]:
        """The valid, non-empty filters as query-string values, for the page links."""
        values = {
            "property": self.property.data or "",
            "status": self.status.data or "",
            "issued_from": self.issued_from.data.isoformat() if self.issued_from.data else "",
            "issued_to": self.issued_to.data.isoformat() if self.issued_to.data else "",
            "overdue": "y" if self.overdue.data else "",
        }
        return {name: value for name, value in values.items() if value}


class IssueForm(FlaskForm):
    """Issuing is one button: the contract's settlement is what gets invoiced."""


class CreditForm(FlaskForm):
    lines = SelectMultipleField(
        _l("Lines to credit"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        # Ticking nothing once credited every line: a slip of the hand voided the invoice.
        validators=[DataRequired(_l("Tick the lines to credit."))],
    )
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class PaymentForm(FlaskForm):
    amount = NumberField(
        _l("Amount"),
        validators=[DataRequired(), Length(max=30)],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    paid_on = DateField(_l("Received on"), validators=[DataRequired()])
    reference = StringField(_l("Reference"), validators=[DataRequired(), Length(max=200)])


class ReverseForm(FlaskForm):
    """Reverse a payment in full; `confirmed` is set by the confirmation page's button."""

    confirmed = HiddenField(default="")
