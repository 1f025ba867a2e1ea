"""Room-type aliases per property: the names a PMS writes for the property's room types."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ...models import Property
from ...reports.contracts import visible_properties
from ...services import NotFound, ServiceError
from ...services.room_type_aliases import (
    ALIASES_MAX,
    TooManyAliases,
    remove_room_type_alias,
    room_type_aliases,
    set_room_type_alias,
)
from ..access import requires
from ..transactions import refusal
from ..validated import required
from .forms import RemoveAliasForm, RoomTypeAliasForm

bp = Blueprint("pickup_aliases", __name__, url_prefix="/pickup/aliases")


def _visible(code: str) -> Property:
    """The property if the user sees it; else 404 (another's code reveals nothing)."""
    found = next((p for p in visible_properties(current_user) if p.code == code), None)
    if found is None:
        abort(404)
    return found


@bp.route("/")
@requires("edit_contracts")
def home() -> Response:
    properties = visible_properties(current_user)
    if not properties:
        abort(404)
    return redirect(url_for("pickup_aliases.show", code=properties[0].code))


@bp.route("/<code>", methods=["GET", "POST"])
@requires("edit_contracts")
def show(code: str) -> tuple[str, int] | Response:
    """List the property's aliases; add one (or change what an existing one means)."""
    prop = _visible(code)
    form = RoomTypeAliasForm()
    status = 200
    if form.validate_on_submit():
        with refusal() as refused:
            row = set_room_type_alias(
                prop.code, required(form.alias.data), required(form.room_type.data)
            )
        if not refused:
            flash(_("%(alias)s is read as %(type)s.", alias=row.alias, type=row.room_type))
            return redirect(url_for("pickup_aliases.show", code=prop.code))
        form.alias.errors = [_refusal(refused.error)]
    if form.errors:
        status = 422
    return render_template(
        "pickup/aliases.html",
        prop=prop,
        properties=visible_properties(current_user),
        aliases=room_type_aliases(prop.code),
        form=form,
        remove=RemoveAliasForm(prefix="remove"),
        most=ALIASES_MAX,
    ), status


@bp.route("/<code>/<int:alias_id>/remove", methods=["POST"])
@requires("edit_contracts")
def remove_alias(code: str, alias_id: int) -> Response:
    prop = _visible(code)
    form = RemoveAliasForm(prefix="remove")
    if not form.validate_on_submit():
        flash(_("The form expired; try again."))
        return redirect(url_for("pickup_aliases.show", code=prop.code))
    with refusal(NotFound) as refused:
        row = remove_room_type_alias(prop.code, alias_id)
    if refused:
        abort(404)
    flash(_("%(alias)s is no longer an alias.", alias=row.alias))
    return redirect(url_for("pickup_aliases.show", code=prop.code))


def _refusal(error: ServiceError) -> str:
    """The service's refusal in the user's language (the form's bounds catch the others)."""
    if isinstance(error, TooManyAliases):
        return _("At most %(num)s aliases per property: remove one first.", num=ALIASES_MAX)
    return str(error)
