"""The hotel's rooms sold and available per night, a month per page, saved in one POST.

The evidence pack of a disputed invoice shows these beside the group's pickup; the command
`hotelattrition property occupancy` records one night. Accounting and up, at the properties
the user sees.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from ...models import Property
from ...reports.contracts import visible_properties
from ...services.occupancy import NightRooms, occupancy_of, record_month
from ..access import requires
from ..months import FIRST, LAST
from ..problems import show_problems
from ..transactions import refusal
from .forms import MonthForm, OccupancyForm

bp = Blueprint("occupancy", __name__, url_prefix="/properties")


@bp.route("/<property_code>/occupancy", methods=["GET", "POST"])
@requires("invoices")
def month(property_code: str) -> tuple[str, int] | Response:
    prop = _visible(property_code[:20])
    picker = MonthForm(request.args)
    first = picker.month.data if picker.validate() and picker.month.data else None
    first = first or prop.today().replace(day=1)
    picker.month.data = first
    nights = [
        first + timedelta(days=i) for i in range(calendar.monthrange(first.year, first.month)[1])
    ]
    recorded = occupancy_of(prop.id, nights)
    if request.method == "POST":
        form = OccupancyForm()
        same = [e.form.night.data for e in form.nights] == [n.isoformat() for n in nights]
        if form.validate_on_submit() and same:
            with refusal() as refused:
                changed = record_month(prop, _rows(form, nights), current_user)
            if not refused:
                flash(
                    ngettext(
                        "Occupancy saved: %(num)d night changed.",
                        "Occupancy saved: %(num)d nights changed.",
                        changed,
                    )
                )
                return redirect(
                    url_for(".month", property_code=prop.code, month=first.strftime("%Y-%m"))
                )
            fields = {
                f"{n.isoformat()}/{name}": e.form[name]
                for n, e in zip(nights, form.nights, strict=True)
                for name in ("sold", "available")
            }
            show_problems(refused.error.problems, fields)
        elif not same and not form.errors:
            flash(
                _("The form was for another month: nothing is saved. Type the nights again."),
                "error",
            )
            form = _form(nights, recorded)
        status = 400
    else:
        form, status = _form(nights, recorded), 200
    return render_template(
        "occupancy/month.html", prop=prop, picker=picker, form=form, first=first,
        rows=list(zip(nights, form.nights, strict=False)), recorded=recorded,
        before=_step(first, -1), after=_step(first, 1),
    ), status  # fmt: skip


def _visible(code: str) -> Property:
    for prop in visible_properties(current_user):
        if prop.code == code:
            return prop
    abort(404)


def _form(nights: list[date], recorded: dict[date, Any]) -> OccupancyForm:
    data = []
    for night in nights:
        row = recorded.get(night)
        data.append({
            "night": night.isoformat(),
            "sold": "" if row is None else str(row.sold),
            "available": "" if row is None else str(row.available),
        })  # fmt: skip
    return OccupancyForm(formdata=None, data={"nights": data})


def _rows(form: OccupancyForm, nights: list[date]) -> list[NightRooms]:
    return [
        NightRooms(night, _count(entry.form.sold.data), _count(entry.form.available.data))
        for night, entry in zip(nights, form.nights, strict=True)
    ]


def _count(text: str | None) -> int | None:
    return int(text) if text else None  # the field read it as a whole number already


def _step(first: date, months: int) -> str | None:
    """The month before or after, as YYYY-MM; None past the months a page may show."""
    index = first.year * 12 + first.month - 1 + months
    moved = date(index // 12, index % 12 + 1, 1)
    return moved.strftime("%Y-%m") if FIRST <= moved <= LAST else None
