"""The account form: billing address, country and tax id, contact, parent account."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField, TextAreaField  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it
from wtforms.validators import DataRequired, Length, Optional

from ...domain.limits import ACCOUNT_NAME_MAX
from ...domain.tax_ids import TAX_ID_MAX
from ...services.accounts import ADDRESS_MAX, CONTACT_NAME_MAX, EMAIL_MAX, PHONE_MAX

TOO_LONG = _l("At most %(max)d characters, please.")


def country_choices() -> list[SelectChoice]:
    """Every country by its name in the user's language, after an empty choice."""
    names = get_locale().territories
    countries = sorted(
        (
            SelectChoice(code, name)
            for code, name in names.items()
            if len(code) == 2 and code.isalpha()
        ),
        key=lambda choice: choice.label,
    )
    return [SelectChoice("", "—"), *countries]


class AccountForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=ACCOUNT_NAME_MAX, message=TOO_LONG)]
    )
    billing_address = TextAreaField(
        _l("Billing address"), validators=[Length(max=ADDRESS_MAX, message=TOO_LONG)]
    )
    country = SelectField(_l("Country"), choices=[], validate_choice=True)
    tax_id = StringField(_l("Tax id"), validators=[Length(max=TAX_ID_MAX, message=TOO_LONG)])
    contact_name = StringField(
        _l("Billing contact"), validators=[Length(max=CONTACT_NAME_MAX, message=TOO_LONG)]
    )
    contact_email = EmailField(
        _l("Contact email"), validators=[Optional(), Length(max=EMAIL_MAX, message=TOO_LONG)]
    )
    contact_phone = StringField(
        _l("Contact phone"), validators=[Length(max=PHONE_MAX, message=TOO_LONG)]
    )
    contact_language = SelectField(
        _l("Contact's language"),
        choices=[SelectChoice("en", "English"), SelectChoice("es", "Español")],
        default="en",
        validate_choice=True,
    )
    parent_id = SelectField(_l("Parent account"), choices=[], coerce=str, validate_choice=True)
