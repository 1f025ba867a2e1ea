"""The pickup upload form, and the as-of refusal in the words of the user's language."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField
from wtforms.validators import InputRequired

from ...services.pickup import AsOfOutOfRange


class PickupImportForm(FlaskForm):
    file = FileField(
        _l("Pickup export (CSV)"),
        validators=[
            FileRequired(_l("Choose the CSV file exported from the PMS.")),
            FileAllowed(["csv", "txt"], _l("Upload a .csv file.")),
        ],
    )
    as_of = DateField(_l("Pickup as of"), validators=[InputRequired()])


def as_of_message(refused: AsOfOutOfRange) -> str:
    """The refusal of an as-of date, translated (the service's own words are English)."""
    if refused.latest is None:
        return _("%(day)s is before 2000-01-01: check the year", day=refused.as_of.isoformat())
    return _(
        "%(day)s is after tomorrow at %(property)s (%(latest)s): "
        "pickup cannot be dated in the future",
        day=refused.as_of.isoformat(),
        property=refused.code,
        latest=refused.latest.isoformat(),
    )
