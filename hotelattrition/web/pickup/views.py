"""Pickup: upload the property-management system's export as a snapshot dated as of a day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ...reports.contracts import visible_properties
from ...services.pickup import AsOfOutOfRange
from ...services.pickup_csv import Problem
from ...services.pickup_import import InvalidPickupFile, import_pickup
from ..access import requires
from ..problems import show_problems
from ..transactions import refusal
from .forms import PickupImportForm, as_of_message

bp = Blueprint("pickup", __name__, url_prefix="/pickup")


def _today() -> date:
    """Today at the user's first property (what "today" means to its sales office)."""
    properties = visible_properties(current_user)
    return properties[0].today() if properties else datetime.now(UTC).date()


@bp.route("/import", methods=["GET", "POST"])
@requires("edit_contracts")
def upload() -> tuple[str, int] | Response:
    form = PickupImportForm()
    problems: list[Problem] = []
    more, refused_as_of = 0, False
    if form.validate_on_submit():
        with refusal(AsOfOutOfRange, InvalidPickupFile) as refused:
            result = import_pickup(form.file.data.stream, form.as_of.data, current_user)
        if isinstance(refused.error, AsOfOutOfRange):
            show_problems([("as_of", as_of_message(refused.error))], form._fields)
            refused_as_of = True
        elif isinstance(refused.error, InvalidPickupFile):
            problems, more = refused.error.problems, refused.error.more
        else:
            flash(
                _(
                    "Pickup as of %(day)s: %(rows)d rows for %(contracts)d contracts; "
                    "%(changed)d snapshots written, %(unchanged)d unchanged; "
                    "%(settled)d settlements recomputed.",
                    day=result.as_of.isoformat(),
                    rows=result.rows,
                    contracts=result.contracts,
                    changed=result.changed,
                    unchanged=result.unchanged,
                    settled=result.settlements,
                )
            )
            return redirect(url_for("pickup.upload"))
    elif not form.is_submitted():
        form.as_of.data = _today()
    status = 422 if problems or form.errors or refused_as_of else 200
    # A browser never keeps a chosen file: name it so it is easy to choose again.
    filename = form.file.data.filename if problems or refused_as_of else None
    return render_template(
        "pickup/import.html",
        form=form,
        problems=problems,
        more=more,
        filename=filename,
        choose_again=refused_as_of,
    ), status
