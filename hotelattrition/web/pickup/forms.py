"""The pickup upload form, and the as-of refusal in the words of the user's language."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, HiddenField, SelectChoice, SelectField, StringField  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it
from wtforms.validators import InputRequired, Length, Optional

from ...domain.limits import ROOM_TYPE_MAX
from ...models.pickup_sources import ALIAS_MAX
from ...services.pickup import AsOfOutOfRange


class PickupImportForm(FlaskForm):
    file = FileField(
        _l("Pickup export (CSV)"),
        validators=[
            FileRequired(_l("Choose the CSV file exported from the PMS.")),
            FileAllowed(["csv", "txt", "xlsx"], _l("Upload a .csv, .txt or .xlsx file.")),
        ],
    )
    as_of = DateField(_l("Pickup as of"), validators=[InputRequired()])
    source = SelectField(_l("Source"), default="auto")  # choices: the view's, per user
    date_order = SelectField(
        _l("Dates like 04/03/2027"),
        choices=[
            SelectChoice("", _l("as the file or the property's language says")),
            SelectChoice("dmy", _l("day first (dd/mm/yyyy)")),
            SelectChoice("mdy", _l("month first (mm/dd/yyyy)")),
        ],
        default="",
        validators=[Optional()],
    )


class PickupConfirmForm(FlaskForm):
    """The previewed file, kept on the server under `token`, and how it was read."""

    token = HiddenField(validators=[InputRequired(), Length(max=64)])
    as_of = DateField(validators=[InputRequired()])
    source = HiddenField(validators=[Length(max=60)])
    date_order = HiddenField(validators=[Length(max=3)])


class PickupMappingForm(PickupConfirmForm):
    """Which column of an unrecognised file means what, saved per property as a source."""

    name = StringField(_l("Name of this source"), validators=[InputRequired(), Length(max=60)])
    property = SelectField(_l("Property"))
    contract_code = SelectField(_l("Contract code"), validate_choice=False)
    night = SelectField(_l("Night (one row per night)"), validate_choice=False)
    arrival = SelectField(_l("Arrival (one row per reservation)"), validate_choice=False)
    departure = SelectField(_l("Departure"), validate_choice=False)
    room_type = SelectField(_l("Room type"), validate_choice=False)
    rooms = SelectField(_l("Rooms (none: one row is one room)"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    statuses = StringField(
        _l("Statuses that count, separated by commas"), validators=[Length(max=200)]
    )

    COLUMNS = ("contract_code", "night", "arrival", "departure", "room_type", "rooms", "status")

    def offer(self, header: list[str]) -> None:
        """Offer the file's header cells (bounded) in every column choice."""
        choices = [SelectChoice("", "—"), *(SelectChoice(c, c) for c in header[:200] if c)]
        for name in self.COLUMNS:
            getattr(self, name).choices = choices


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


def _stripped(value: str | None) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) else value


class RoomTypeAliasForm(FlaskForm):
    """One alias: a name a PMS writes for one of the property's room types."""

    alias = StringField(
        _l("Name in the PMS file"),
        filters=[_stripped],
        validators=[InputRequired(), Length(max=ALIAS_MAX)],
    )
    room_type = StringField(
        _l("Room type code"),
        filters=[_stripped],
        validators=[InputRequired(), Length(max=ROOM_TYPE_MAX)],
    )


class RemoveAliasForm(FlaskForm):
    """A remove button: the CSRF token alone."""
