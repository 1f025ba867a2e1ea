"""Dispute forms: opening one, a message with files, the resolution; the planner's reply to a
final pickup statement, one answer per night."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it
    MultipleFileField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ...models.disputes import MESSAGE_MAX
from ...models.pickup_statements import COMMENT_MAX
from ..numbers import NumberField


def _checkboxes(label: Any, *validators: Any) -> SelectMultipleField:
    return SelectMultipleField(
        label,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=list(validators),
    )


class MessageForm(FlaskForm):
    body = TextAreaField(
        _l("Message"),
        validators=[DataRequired(_l("Write the message.")), Length(max=MESSAGE_MAX)],
        render_kw={"rows": 5, "maxlength": MESSAGE_MAX},
    )
    files = MultipleFileField(
        _l("Files (PDF, PNG, JPEG, CSV or text; at most 5 files of 5 MiB each)"),
        render_kw={"accept": ".pdf,.png,.jpg,.jpeg,.csv,.txt"},
    )


class DisputeForm(MessageForm):
    lines = SelectMultipleField(
        _l("Invoice lines disputed"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(_l("Choose the lines you dispute."))],
    )
    nights = _checkboxes(_l("Nights concerned"), Optional())


class ResolveForm(FlaskForm):
    resolution = RadioField(
        _l("Resolution"),
        choices=[
            SelectChoice("no_change", _l("No change: the invoice stands")),
            SelectChoice(
                "credit_note", _l("Credit note: an amount, or the lines ticked (none: all)")
            ),
            SelectChoice("rebooking_credit", _l("Convert into a rebooking credit")),
        ],
        validators=[DataRequired(_l("Choose how the dispute resolves."))],
    )
    lines = SelectMultipleField(
        _l("Lines to credit"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[Optional()],
    )
    amount = NumberField(
        _l("Or an amount to credit, tax included"),
        validators=[Optional(), Length(max=30)],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    note = TextAreaField(
        _l("Why"),
        validators=[DataRequired(_l("Say why.")), Length(max=1000)],
        render_kw={"rows": 3, "maxlength": 1000},
    )


class ConfirmForm(FlaskForm):
    """CSRF only: what to do is in the address."""


ANSWERS = [SelectChoice("accept", _l("Accept")), SelectChoice("comment", _l("Comment"))]


def reply_form(nights: list[str], formdata: Any = None) -> Any:
    """A form with an answer and a comment per night of the statement (n0_answer, n0_comment...)."""

    class ReplyForm(FlaskForm):
        pass

    for i, _night in enumerate(nights):
        setattr(
            ReplyForm, f"n{i}_answer", RadioField(_l("Answer"), choices=ANSWERS, default="accept")
        )
        setattr(
            ReplyForm,
            f"n{i}_comment",
            TextAreaField(
                _l("Comment"),
                validators=[Length(max=COMMENT_MAX)],
                render_kw={"rows": 2, "maxlength": COMMENT_MAX},
            ),
        )
    return ReplyForm() if formdata is None else ReplyForm(formdata=formdata)
