"""The two lists' upload, and the confirmation of a match report."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize

from ...services.attendee_lists import MAX_BYTES

KINDS = ["csv", "txt", "xlsx"]


class ListsForm(FlaskForm):
    registration = FileField(
        _l("Planner's registration list"),
        validators=[
            FileRequired(_l("Choose the planner's registration list.")),
            FileAllowed(KINDS, _l("Upload a .csv, .txt or .xlsx file.")),
            FileSize(MAX_BYTES, message=_l("The file is larger than 10 MiB.")),
        ],
    )
    in_house = FileField(
        _l("Hotel's in-house list for the stay"),
        validators=[
            FileRequired(_l("Choose the hotel's in-house list.")),
            FileAllowed(KINDS, _l("Upload a .csv, .txt or .xlsx file.")),
            FileSize(MAX_BYTES, message=_l("The file is larger than 10 MiB.")),
        ],
    )


class ConfirmForm(FlaskForm):
    """CSRF only: the report to confirm is in the address."""
