"""Login and logout forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length

from ...services.users import MIN_PASSWORD


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class PasswordForm(FlaskForm):
    """The signed-in user's own password: the current one, and the new one twice."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=1024)]
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD,
                max=1024,
                message=_l("Between %(min)d and %(max)d characters, please."),
            ),
        ],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The two new passwords differ.")),
        ],
    )


class LogoutForm(FlaskForm):
    """Logout is a POST with a CSRF token, so another site cannot sign a user out."""


class LanguageForm(FlaskForm):
    """The interface language: English, Spanish, or the browser's ("")."""

    language = StringField(validators=[AnyOf(["", "en", "es"])])
