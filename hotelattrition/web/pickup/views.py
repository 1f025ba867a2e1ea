"""Pickup: upload the property-management system's export as a snapshot dated as of a day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ...extensions import db
from ...reports.contracts import visible_properties
from ...services.contracts import today_at
from ...services.pickup import AsOfOutOfRange
from ...services.pickup_import import InvalidPickupFile, import_pickup
from ...services.pickup_lines import Problem
from ..access import requires
from .forms import PickupImportForm, as_of_message

bp = Blueprint("pickup", __name__, url_prefix="/pickup")


def _today() -> date:
    """Today at the user's first property (what "today" means to its sales office)."""
    properties = visible_properties(current_user)
    return today_at(properties[0]) if properties else datetime.now(UTC).date()


@bp.route("/import", methods=["GET", "POST"])
@requires("edit_contracts")
def upload() -> tuple[str, int] | Response:
    form = PickupImportForm()
    problems: list[Problem] = []
    more, refused = 0, False
    if form.validate_on_submit():
        try:
            result = import_pickup(form.file.data.stream, form.as_of.data, current_user)
        except AsOfOutOfRange as out_of_range:
            db.session.rollback()
            form.as_of.errors = [*form.as_of.errors, as_of_message(out_of_range)]
            refused = True
        except InvalidPickupFile as invalid:
            db.session.rollback()
            problems, more = invalid.problems, invalid.more
        else:
            db.session.commit()
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
    status = 422 if problems or form.errors or refused else 200
    # A browser never keeps a chosen file: name it so it is easy to choose again.
    filename = form.file.data.filename if problems or refused else None
    return render_template(
        "pickup/import.html",
        form=form,
        problems=problems,
        more=more,
        filename=filename,
        choose_again=refused,
    ), status
