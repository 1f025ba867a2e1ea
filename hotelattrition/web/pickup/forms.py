"""The pickup upload form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField
from wtforms.validators import InputRequired


class PickupImportForm(FlaskForm):
    file = FileField(
        _l("Pickup export (CSV)"),
        validators=[
            FileRequired(_l("Choose the CSV file exported from the PMS.")),
            FileAllowed(["csv", "txt"], _l("Upload a .csv file.")),
        ],
    )
    as_of = DateField(_l("Pickup as of"), validators=[InputRequired()])
