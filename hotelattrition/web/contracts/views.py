"""Contracts: the list a user starts from, and each contract's settlement."""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from datetime import date

from flask import (
    Blueprint,
    Response,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ...domain import settlement_to_json
from ...domain.money import round_money
from ...reports.contracts import (
    EXPORT_MAX,
    ContractRow,
    contract_export,
    contract_page,
    property_names,
)
from ...reports.csv_export import localised_lines
from ...services.settlements import settle_contract
from ..access import requires, visible_contract_or_404
from .filters import STATUS_LABELS, ContractFilterForm

bp = Blueprint("contracts", __name__, url_prefix="/contracts")


@bp.route("/")
@requires("view")
def index() -> str:
    form = ContractFilterForm(request.args, property_names(current_user))
    page = contract_page(current_user, form.filters(request.args))
    return render_template("contracts/index.html", form=form, page=page, args=form.query_args())


@bp.route("/contracts.csv")
@requires("view")
def export() -> Response:
    """The filtered list in its order as CSV, streamed; in the user's spreadsheet format."""
    form = ContractFilterForm(request.args, property_names(current_user))
    rows = contract_export(current_user, form.filters(request.args))
    header = [
        _("Code"), _("Group"), _("Account"), _("Property"), _("Currency"), _("Arrival"),
        _("Departure"), _("Status"), _("Pickup %"), _("Damages"), _("Owed or projected"),
    ]  # fmt: skip
    lines = localised_lines(header, _csv_rows(rows), str(get_locale()))
    name = f"contracts-{date.today():%Y-%m-%d}.csv"
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _csv_rows(rows: Generator[ContractRow, None, None]) -> Iterator[tuple[object, ...]]:
    with closing(rows):  # stopping at the bound closes the query's cursor now, not at GC
        yield from _bounded(rows)


def _bounded(rows: Iterable[ContractRow]) -> Iterator[tuple[object, ...]]:
    for count, row in enumerate(rows, 1):
        if count > EXPORT_MAX:  # one row too many: say so rather than cut silently
            yield (_("Only the first %(count)s contracts: narrow the filters for the rest.",
                     count=EXPORT_MAX),)  # fmt: skip
            return
        damages = None if row.damages is None else round_money(row.damages, row.currency)
        pickup = None if row.pickup_pct is None else row.pickup_pct.normalize()
        status = str(STATUS_LABELS.get(row.status, row.status))
        owed = "" if damages is None else _("owed") if row.owed else _("projected")
        yield (row.code, row.name, row.account, row.property_code, row.currency, row.arrival,
               row.departure, status, pickup, damages, owed)  # fmt: skip


@bp.route("/<code>/settlement")
@requires("view")
def settlement(code: str) -> str:
    contract = visible_contract_or_404(code)
    result = settlement_to_json(settle_contract(contract), str(get_locale()))
    return render_template("contracts/settlement.html", contract=contract, result=result)
