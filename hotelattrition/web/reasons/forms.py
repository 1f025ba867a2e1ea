"""The reason form: which list, its code, and its words in English and Spanish."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it
from wtforms.validators import DataRequired, Length, Regexp

from ...services.reasons import CODE_MAX, LABEL_MAX
from ..accounts.forms import TOO_LONG

# The lists as a page names them, in the order it shows them.
LIST_NAMES = {
    "waiver": _l("Why damages are waived"),
    "lost_business": _l("Why a group was lost or cancelled"),
    "account_lost": _l("Why an account left"),
    "department": _l("Complaint departments"),
}


class ReasonForm(FlaskForm):
    kind = SelectField(
        _l("List"),
        choices=[SelectChoice(k, v) for k, v in LIST_NAMES.items()],
        default="department",
    )
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(_l("Give the reason a code.")),
            Length(max=CODE_MAX, message=TOO_LONG),
            Regexp(r"^[a-z0-9_]+$", message=_l("A code is 1-40 lower-case letters, digits or _.")),
        ],
    )
    label_en = StringField(
        _l("In English"),
        validators=[
            DataRequired(_l("Say it in English.")),
            Length(max=LABEL_MAX, message=TOO_LONG),
        ],
    )
    label_es = StringField(
        _l("In Spanish"),
        validators=[
            DataRequired(_l("Say it in Spanish.")),
            Length(max=LABEL_MAX, message=TOO_LONG),
        ],
    )
