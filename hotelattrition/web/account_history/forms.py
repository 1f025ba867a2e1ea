"""The next edition's form: its code and where its block comes from."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it
    RadioField,
    SelectChoice,
    StringField,
)
from wtforms.validators import DataRequired, Length, Regexp

from ...domain.limits import CODE_MAX

BLOCKS = ("suggested", "last")


class NextEditionForm(FlaskForm):
    code = StringField(
        _l("Code of the new contract"),
        validators=[
            DataRequired(),
            Length(max=CODE_MAX),
            Regexp(
                r"[A-Za-z0-9][A-Za-z0-9._-]*\Z", message=_l("Letters, digits, '.', '_' or '-'.")
            ),
        ],
    )
    block = RadioField(
        _l("Block"),
        choices=[
            SelectChoice("suggested", _l("The suggested block")),
            SelectChoice("last", _l("The last edition's block")),
        ],
        validators=[DataRequired()],
    )
