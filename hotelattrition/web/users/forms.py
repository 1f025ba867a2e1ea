"""The administrator's user forms: who, with which role, at which properties."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.forms import TOO_LONG


class AccessForm(FlaskForm):
    """Name, role and properties: what an administrator changes on an existing user."""

    name = StringField(_l("Name"), validators=[Length(max=200, message=TOO_LONG)])
    role = SelectField(_l("Role"), choices=[])
    properties = SelectMultipleField(
        _l("Properties"),
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[Optional()],
    )


class NewUserForm(AccessForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254, message=TOO_LONG)])


class UserActionForm(FlaskForm):
    """Deactivate, reactivate or reset a password: a button with its CSRF token."""
