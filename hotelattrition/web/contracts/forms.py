"""Contract forms: group and stay, the block grid, clause terms; pickup; block revisions.

Numbers are read in the user's locale (web/numbers.py) into their plain form; the settlement
document's own rules then check them (and name the problem next to the field), so the form
is never stricter than the document.
"""

from __future__ import annotations

from typing import Any, TypedDict, Unpack

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ...domain.contract_statuses import STATUSES
from ...domain.limits import (
    ACCOUNT_NAME_MAX,
    CODE_MAX,
    CONTRACT_NAME_MAX,
    ROOM_TYPE_MAX,
    SERVICE_NAME_MAX,
)
from ...models.contracts import DISPUTE_WINDOW_MAX
from ..numbers import CountField, NumberField

NUMBER = {"inputmode": "decimal", "autocomplete": "off"}
COUNT = {"inputmode": "numeric", "autocomplete": "off"}


def options(*pairs: tuple[str, object]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class FieldOptions(TypedDict, total=False):
    """What number() and count() pass on to the field besides its label."""

    validators: list[Any]
    description: str
    default: str | None


def number(label: str = "", **kw: Unpack[FieldOptions]) -> NumberField:
    return NumberField(label, render_kw=NUMBER, **kw)


def count(label: str = "", **kw: Unpack[FieldOptions]) -> CountField:
    return CountField(label, render_kw=COUNT, **kw)


class CellForm(Form):
    night = HiddenField()
    rooms = count()
    rate = number()


class BlockRowForm(Form):
    room_type = StringField(_l("Room type"), validators=[Optional(), Length(max=ROOM_TYPE_MAX)])
    cells = FieldList(FormField(CellForm))
    fill_rooms = count(_l("Rooms every night"))
    fill_rate = number(_l("Rate every night"))


class ReviewForm(Form):
    review_on = DateField(_l("Review date"), validators=[Optional()])
    max_reduction_pct = number(_l("May reduce by (%)"))


class RoomAttritionForm(Form):
    enabled = BooleanField(_l("Room attrition clause"))
    allowance_pct = number(_l("Allowance (%)"))
    basis = SelectField(
        _l("Measured"),
        choices=options(
            ("cumulative", _l("over the whole stay")), ("per_night", _l("night by night"))
        ),
    )
    minimum_rounding = SelectField(
        _l("Minimum rounded"),
        choices=options(
            ("exact", _l("not rounded")),
            ("up", _l("up")),
            ("down", _l("down")),
            ("nearest", _l("to nearest")),
        ),
    )
    rate_basis = SelectField(
        _l("Rate charged"),
        choices=options(
            ("average", _l("average block rate")),
            ("lowest", _l("lowest block rate")),
            ("highest", _l("highest block rate")),
            ("fixed", _l("fixed rate")),
        ),
    )
    fixed_rate = number(_l("Fixed rate"))
    damages_pct = number(_l("Share charged (%)"))
    credit_resold = BooleanField(_l("Credit rooms the hotel resold"))
    credit_outside_block = BooleanField(_l("Count attendees outside the block"))
    count_released = BooleanField(_l("Released rooms count toward attrition"))
    tax_pct = number(_l("Tax (%)"))


class FnbForm(Form):
    enabled = BooleanField(_l("F&B minimum"))
    minimum = number(_l("Minimum spend"))
    allowance_pct = number(_l("Allowance (%)"))
    damages_pct = number(_l("Share charged (%)"))
    service_charge_pct = number(_l("Service charge (%)"))
    tax_pct = number(_l("Tax (%)"))
    tax_on_service_charge = BooleanField(_l("Tax the service charge too"))


class ScaleStepForm(Form):
    min_pickup_pct = number(_l("From pickup (%)"))
    charge_pct = number(_l("Charge (%)"))


class MeetingRoomForm(Form):
    enabled = BooleanField(_l("Meeting-room rental"))
    rental = number(_l("Rental"))
    tax_pct = number(_l("Tax (%)"))
    scale = FieldList(FormField(ScaleStepForm))


class ServiceForm(Form):
    name = StringField(_l("Service"), validators=[Optional(), Length(max=SERVICE_NAME_MAX)])
    minimum = number(_l("Minimum"))
    allowance_pct = number(_l("Allowance (%)"))
    damages_pct = number(_l("Share charged (%)"))
    tax_pct = number(_l("Tax (%)"))


class ScheduleStepForm(Form):
    min_days = count(_l("From days before arrival"))
    pct = number(_l("Fee (%)"))


class CancellationForm(Form):
    enabled = BooleanField(_l("Cancellation schedule"))
    schedule = FieldList(FormField(ScheduleStepForm))
    rooms_damages_pct = number(_l("Share of room revenue (%)"))
    fnb_damages_pct = number(_l("Share of F&B minimum (%)"))
    include_meeting_room = BooleanField(_l("Include the meeting-room rental"))
    include_services = BooleanField(_l("Include other services"))
    services_damages_pct = number(_l("Share of services (%)"))
    credit_resold = BooleanField(_l("Credit rooms the hotel resold"))
    tax_pct = number(_l("Tax (%)"))
    cancelled_on = DateField(_l("Cancelled on"), validators=[Optional()])


class WindowForm(Form):
    months = count(_l("Within months of arrival"))
    pct = number(_l("Share credited (%)"))


class RebookingForm(Form):
    enabled = BooleanField(_l("Rebooking clause"))
    mode = SelectField(
        _l("Damages"),
        choices=options(
            ("credit_paid", _l("Credit what is paid")),
            ("waive_on_rebook", _l("Waive if rebooked")),
        ),
    )
    windows = FieldList(FormField(WindowForm))
    counts_to = SelectField(
        _l("New contract's date that counts"),
        choices=options(("signing", _l("signing date")), ("arrival", _l("arrival date"))),
    )
    room_nights_pct = number(_l("Comparable: room nights at least (%)"))
    fnb_pct = number(_l("Comparable: F&B minimum at least (%)"))
    affiliates = BooleanField(_l("Affiliated accounts count"))


class ContractForm(FlaskForm):
    version = HiddenField()
    code = StringField(_l("Contract code"), validators=[DataRequired(), Length(max=CODE_MAX)])
    property = SelectField(_l("Property"), validators=[DataRequired()])
    account = StringField(
        _l("Account"),
        validators=[DataRequired(), Length(max=ACCOUNT_NAME_MAX)],
        render_kw={"list": "accounts", "autocomplete": "off"},
    )
    name = StringField(_l("Group name"), validators=[DataRequired(), Length(max=CONTRACT_NAME_MAX)])
    status = SelectField(_l("Status"), choices=options(*((s, _l(s)) for s in STATUSES)))
    # Why a lost or cancelled group went (the "lost_business" list) and who won it: the import
    # service requires the reason when the status becomes lost or cancelled.
    lost_reason = SelectField(_l("Reason lost or cancelled"), choices=[], validate_choice=False)
    lost_to = StringField(_l("Won by"), validators=[Optional(), Length(max=200)])
    signed_on = DateField(_l("Signed on"), validators=[Optional()])
    arrival = DateField(_l("Arrival"), validators=[DataRequired()])
    departure = DateField(_l("Departure"), validators=[DataRequired()])
    cutoff_on = DateField(_l("Cut-off date"), validators=[Optional()])
    review_dates = FieldList(FormField(ReviewForm))
    block = FieldList(FormField(BlockRowForm))
    room_attrition = FormField(RoomAttritionForm)
    fnb = FormField(FnbForm)
    meeting_room = FormField(MeetingRoomForm)
    services = FieldList(FormField(ServiceForm))
    cancellation = FormField(CancellationForm)
    rebooking = FormField(RebookingForm)
    dispute_window_days = count(_l("Dispute window (days after the invoice)"))

    def validate_dispute_window_days(self, field: CountField) -> None:
        """0 to 365 days, as the contract service holds it; a typing problem speaks first."""
        text = field.data or ""
        if not field.errors and not (text.isdigit() and int(text) <= DISPUTE_WINDOW_MAX):
            raise ValidationError(_("must be a whole number of days, 0 to 365"))


class PickupCellForm(Form):
    night = HiddenField()
    rooms = count()


class PickupRowForm(Form):
    room_type = HiddenField()
    cells = FieldList(FormField(PickupCellForm))


class NightCountForm(Form):
    night = HiddenField()
    rooms = count()


class ServiceActualForm(Form):
    name = HiddenField()
    actual = number()


class PickupForm(FlaskForm):
    """One dated snapshot of what the group used."""

    as_of = DateField(_l("As of"), validators=[DataRequired()])
    rows = FieldList(FormField(PickupRowForm))
    outside_block = FieldList(FormField(NightCountForm))
    resold = FieldList(FormField(NightCountForm))
    fnb_actual = number(_l("F&B revenue so far"))
    services = FieldList(FormField(ServiceActualForm))


class BlockRevisionForm(FlaskForm):
    """A review-date reduction or a cut-off release: new room counts per night and type."""

    reason = HiddenField()
    review_on = HiddenField()
    rows = FieldList(FormField(PickupRowForm))
