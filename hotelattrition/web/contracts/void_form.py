"""The form that voids a contract entered by mistake: the reason is required."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ...services.contract_voids import REASON_MAX


class VoidForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it voided?"),
        validators=[
            DataRequired(message=_l("Say why the contract is voided.")),
            Length(max=REASON_MAX, message=_l("At most %(max)d characters, please.")),
        ],
    )
