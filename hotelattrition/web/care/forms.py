"""The customer-care forms: a complaint, its resolution, a follow-up, an account lost."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it
    BooleanField,
    DateField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from ...models.complaints import TEXT_MAX
from ...models.followups import NOTE_MAX
from ...services.lost_accounts import LOST_TO_MAX

TOO_LONG = _l("At most %(max)d characters, please.")
SEVERITIES = [
    SelectChoice("low", _l("Low")),
    SelectChoice("medium", _l("Medium")),
    SelectChoice("high", _l("High")),
]
KINDS = [
    SelectChoice("contact", _l("Contact")),
    SelectChoice("offer", _l("Offer")),
    SelectChoice("other", _l("Other")),
]


class ComplaintForm(FlaskForm):
    happened = TextAreaField(
        _l("What happened"),
        validators=[DataRequired(_l("Say what happened.")), Length(max=TEXT_MAX, message=TOO_LONG)],
    )
    department = SelectField(_l("Department"), choices=[], validate_choice=True)
    severity = SelectField(_l("Severity"), choices=SEVERITIES, default="medium")
    action = TextAreaField(
        _l("What was done"), validators=[Optional(), Length(max=TEXT_MAX, message=TOO_LONG)]
    )
    resolved = BooleanField(_l("Resolved"))


class ResolveForm(FlaskForm):
    action = TextAreaField(
        _l("What was done"), validators=[Optional(), Length(max=TEXT_MAX, message=TOO_LONG)]
    )


class FollowUpForm(FlaskForm):
    kind = SelectField(_l("Next action"), choices=KINDS, default="contact")
    owner = SelectField(_l("Owner"), choices=[], validate_choice=True)
    due_on = DateField(_l("Due on"), validators=[DataRequired(_l("Choose a day from today on."))])
    note = TextAreaField(
        _l("Note"), validators=[Optional(), Length(max=NOTE_MAX, message=TOO_LONG)]
    )


class AccountLostForm(FlaskForm):
    reason = SelectField(_l("Why the account left"), choices=[], validate_choice=True)
    lost_to = StringField(
        _l("Competitor that won it"),
        validators=[Optional(), Length(max=LOST_TO_MAX, message=TOO_LONG)],
    )


class ButtonForm(FlaskForm):
    """A button that changes something: its CSRF token only."""
