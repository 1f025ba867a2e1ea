"""The planner's survey form, and the contract page's survey link buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it
    RadioField,
    SelectChoice,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from ...domain.surveys import COMMENT_MAX, RATINGS, SCORES


class SurveyForm(FlaskForm):
    """The 0-10 recommendation question, three ratings 1-5 and a comment."""

    recommend = RadioField(
        _l("How likely are you to recommend us to a colleague planning an event?"),
        choices=[SelectChoice(n, str(n)) for n in SCORES],
        coerce=int,
        validators=[InputRequired(_l("Choose a number from 0 to 10."))],
    )
    sales = RadioField(
        _l("Our sales team"),
        choices=[SelectChoice(n, str(n)) for n in RATINGS],
        coerce=int,
        validators=[InputRequired(_l("Choose from 1 to 5."))],
    )
    operations = RadioField(
        _l("The event and the stay"),
        choices=[SelectChoice(n, str(n)) for n in RATINGS],
        coerce=int,
        validators=[InputRequired(_l("Choose from 1 to 5."))],
    )
    billing = RadioField(
        _l("Billing"),
        choices=[SelectChoice(n, str(n)) for n in RATINGS],
        coerce=int,
        validators=[InputRequired(_l("Choose from 1 to 5."))],
    )
    comment = TextAreaField(
        _l("Anything you would like to tell us (optional)"),
        validators=[
            Optional(),
            Length(max=COMMENT_MAX, message=_l("At most 2000 characters, please.")),
        ],
        render_kw={"maxlength": COMMENT_MAX, "rows": 5},
    )


class SurveyLinkForm(FlaskForm):
    """Create the survey link, or make a new one (the old one stops working)."""


class RevokeSurveyLinkForm(FlaskForm):
    """Revoke the survey's live link."""
