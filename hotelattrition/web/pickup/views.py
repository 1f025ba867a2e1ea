"""Pickup: upload a PMS export, see how it reads, and import it as a snapshot on confirm."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it

from ...reports.contracts import visible_properties
from ...services.pickup import AsOfOutOfRange
from ...services.pickup_import import InvalidPickupFile, PickupImport, import_pickup
from ...services.pickup_mappings import Mapping, save_mapping, saved_sources
from ...services.pickup_sources import SOURCES, read_pickup
from ..access import requires
from ..problems import show_problems
from ..transactions import after_commit, refusal, rehearsal
from ..validated import required
from . import uploads
from .forms import PickupConfirmForm, PickupImportForm, PickupMappingForm, as_of_message

bp = Blueprint("pickup", __name__, url_prefix="/pickup")


def _today() -> date:
    """Today at the user's first property (what "today" means to its sales office)."""
    properties = visible_properties(current_user)
    return properties[0].today() if properties else datetime.now(UTC).date()


def _saved() -> list[Any]:
    """The column mappings saved for the user's properties."""
    user = current_user
    return saved_sources(None if user.sees_all_properties else [p.id for p in user.properties])


def _upload_form() -> PickupImportForm:
    form = PickupImportForm()
    form.source.choices = [
        SelectChoice("auto", _("recognised from its header")),
        *(SelectChoice(name, name) for name in SOURCES),
        *(SelectChoice(source.name, source.name) for source in _saved()),
    ]
    return form


@bp.route("/import", methods=["GET", "POST"])
@requires("edit_contracts")
def upload() -> tuple[str, int] | Response:
    """Read the chosen file and show how it reads; nothing is imported before the confirm."""
    form = _upload_form()
    if form.validate_on_submit():
        data = form.file.data.read()
        token = uploads.keep(data, form.file.data.filename or "pickup.csv")
        how = (form.source.data or "auto", form.date_order.data or None)
        return _preview(form, token, required(form.as_of.data), *how)
    if not form.is_submitted():
        form.as_of.data = _today()
    return _page(form, status=422 if form.errors else 200)


@bp.route("/import/confirm", methods=["POST"])
@requires("edit_contracts")
def confirm() -> tuple[str, int] | Response:
    """Import the previewed file as it was read."""
    form = PickupConfirmForm(prefix="confirm")
    if not form.validate_on_submit() or (found := uploads.kept(required(form.token.data))) is None:
        abort(400)
    data, filename = found
    token, as_of = required(form.token.data), required(form.as_of.data)
    with refusal(AsOfOutOfRange, InvalidPickupFile) as refused:
        result = _import(data, filename, as_of, form.source.data, form.date_order.data)
    if refused:  # the file or the day changed since the preview: show it again
        page = _upload_form()
        page.as_of.data = form.as_of.data
        return _preview(page, token, as_of, form.source.data, None)
    after_commit(lambda: uploads.forget(token))
    flash(_summary(result))
    return redirect(url_for("pickup.upload"))


@bp.route("/import/mapping", methods=["POST"])
@requires("edit_contracts")
def mapping() -> tuple[str, int] | Response:
    """Save the columns of an unrecognised file as the property's source, and preview again."""
    form = PickupMappingForm(prefix="map")
    form.property.choices = _properties()
    found = uploads.kept(form.token.data or "")
    if found is None:
        abort(400)
    page = _upload_form()
    page.as_of.data = form.as_of.data
    if form.validate_on_submit():
        columns = {name: getattr(form, name).data or "" for name in form.COLUMNS}
        statuses = tuple(s.strip() for s in (form.statuses.data or "").split(",") if s.strip())
        with refusal() as refused:
            save_mapping(form.property.data, Mapping(required(form.name.data), columns, statuses))
        if refused:
            show_problems(refused.error.problems, form._fields, fallback=form.name)
        else:
            name, as_of = required(form.name.data).strip(), required(form.as_of.data)
            return _preview(page, required(form.token.data), as_of, name, None)
    form.offer(read_pickup(found[0]).header)  # the choices again, the chosen ones kept
    return _page(page, mapping=form, token=form.token.data, status=422)


def _properties() -> list[SelectChoice]:
    return [SelectChoice(p.code, p.code) for p in visible_properties(current_user)]


def _import(
    data: bytes, filename: str, as_of: date, source: str | None, date_order: str | None
) -> PickupImport:
    return import_pickup(
        io.BytesIO(data),
        as_of,
        current_user,
        source_name=source or "auto",
        date_order=date_order or None,
        file_name=filename,
        custom=_saved(),
    )


def _preview(
    form: PickupImportForm, token: str, as_of: date, source: str | None, date_order: str | None
) -> tuple[str, int]:
    """Import in a rehearsal, rolled back: what the confirm would do, shown first."""
    data, filename = uploads.kept(token) or (b"", "")
    with rehearsal(), refusal(AsOfOutOfRange, InvalidPickupFile) as refused:
        result = _import(data, filename, as_of, source, date_order)
    if isinstance(refused.error, AsOfOutOfRange):
        show_problems([("as_of", as_of_message(refused.error))], form._fields)
        return _page(form, filename=filename, choose_again=True, status=422)
    if isinstance(refused.error, InvalidPickupFile):
        invalid = refused.error
        mapping = _mapping_form(invalid, token, as_of, date_order)
        return _page(
            form, problems=invalid.problems, more=invalid.more, filename=filename,
            mapping=mapping, token=token, status=422,
        )  # fmt: skip
    confirm = PickupConfirmForm(
        formdata=None,
        prefix="confirm",
        token=token,
        as_of=as_of,
        source=source,
        date_order=date_order or "",
    )
    return _page(form, preview=result, confirm=confirm, filename=filename, status=200)


def _mapping_form(
    invalid: InvalidPickupFile, token: str, as_of: date, date_order: str | None
) -> PickupMappingForm | None:
    """A mapping form for a header no source knew; None for other problems."""
    if not invalid.header:
        return None
    form = PickupMappingForm(
        formdata=None, prefix="map", token=token, as_of=as_of, date_order=date_order or ""
    )
    form.offer(invalid.header)
    form.property.choices = _properties()
    return form


def _page(form: PickupImportForm, status: int = 200, **context: Any) -> tuple[str, int]:
    context.setdefault("problems", [])
    context.setdefault("more", 0)
    context.setdefault("filename", None)
    context.setdefault("choose_again", False)
    if (mapping := context.get("mapping")) is not None and not mapping.contract_code.choices:
        mapping.offer([])
    return render_template("pickup/import.html", form=form, **context), status


def _summary(result: PickupImport) -> str:
    return _(
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
