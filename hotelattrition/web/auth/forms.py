"""Login and logout forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import AnyOf, DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class LogoutForm(FlaskForm):
    """Logout is a POST with a CSRF token, so another site cannot sign a user out."""


class LanguageForm(FlaskForm):
    """The interface language: English, Spanish, or the browser's ("")."""

    language = StringField(validators=[AnyOf(["", "en", "es"])])
