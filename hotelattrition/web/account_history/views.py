"""An account's editions: the history section of its page, its CSV and PDF, and the next
edition copied from a contract."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response as BaseResponse

from ...documents.account_history import account_history_pdf
from ...domain import InvalidDocument
from ...domain.money import round_money
from ...reports.account_history import AccountEditions, Edition, account_editions, series_pace
from ...reports.accounts import visible_account
from ...reports.csv_export import localised_lines
from ...services import ServiceError
from ...services.next_edition import YEAR_ON, copy_as_next_edition, next_code
from ..access import can, requires, visible_contract_or_404
from ..page_reads import family_of, visible_todays
from ..problems import show_problems
from ..transactions import refusal
from .forms import NextEditionForm

bp = Blueprint("account_history", __name__)
COPYABLE = ("tentative", "definite", "settled")


def register_account_history(app: Flask) -> None:
    """The account page's history section reads its editions through this global."""
    app.jinja_env.globals["account_editions"] = lambda account_id: account_editions(
        current_user,
        account_id,
        family=family_of(account_id),
        todays={p.property_id: p.today for p in visible_todays()},
    )
    app.jinja_env.globals["copy_source"] = copy_source
    app.jinja_env.globals["series_pace"] = lambda contract, today: series_pace(
        current_user, contract, today
    )
    app.jinja_env.globals["may_copy"] = lambda: can(current_user, "edit_contracts")


def copy_source(history: AccountEditions) -> Edition | None:
    """The edition the section's button copies when no series has a suggestion (each
    suggestion has its own): the latest that was not lost or cancelled."""
    return next((e for e in history.editions if e.status in COPYABLE), None)


def _history_or_404(account_id: int) -> tuple[str, AccountEditions]:
    account = visible_account(current_user, account_id) or abort(404)
    history = account_editions(current_user, account_id)
    if not history.editions:
        abort(404)
    return account.name, history


@bp.route("/accounts/<int:account_id>/history.csv")
@requires("view")
def history_csv(account_id: int) -> Response:
    """Every edition listed on the page, in the user's spreadsheet format."""
    name, history = _history_or_404(account_id)
    header = [
        _("Code"), _("Group"), _("Account"), _("Property"), _("Currency"), _("Status"),
        _("Arrival"), _("Departure"), _("Original block"), _("Final block"), _("Wash"),
        _("Picked up"), _("Pickup of original (%)"), _("Pickup of final (%)"), _("Peak night"),
        _("Peak night rooms"), _("Outside the block"), _("Resold"), _("F&B minimum"),
        _("F&B actual"), _("Damages"), _("Owed or projected"), _("Collected"), _("Waived"),
        _("Converted"), _("Credit left"),
    ]  # fmt: skip
    file = secure_filename(f"history-{name}-{date.today():%Y-%m-%d}.csv") or "history.csv"
    return Response(
        localised_lines(header, _csv_rows(history.editions), str(get_locale())),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{file}"'},
    )


def _csv_rows(editions: list[Edition]) -> Iterator[tuple[object, ...]]:
    for e in editions:
        cur = e.currency

        def money(value: object, cur: str = cur) -> object:
            return None if value is None else round_money(value, cur)  # type: ignore[arg-type]

        owed = "" if e.damages is None else _("owed") if e.owed else _("projected")
        yield (e.code, e.name, e.account, e.property_code, cur, _(e.status), e.arrival,
               e.departure, e.original_block, e.final_block, e.wash, e.picked_up,
               e.pct_of_original, e.pct_of_final, e.peak_night, e.peak_rooms or None,
               e.outside_block, e.resold, money(e.fnb_minimum), money(e.fnb_actual),
               money(e.damages), owed, money(e.collected), money(e.waived),
               money(e.converted), money(e.credit_left))  # fmt: skip


@bp.route("/accounts/<int:account_id>/history.pdf")
@requires("view")
def history_pdf(account_id: int) -> Response:
    """The event-history sheet: one page, in the user's language."""
    name, history = _history_or_404(account_id)
    pdf = account_history_pdf(name, history, date.today(), str(get_locale()))
    file = secure_filename(f"history-{name}.pdf") or "history.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{file}"'},
    )


@bp.route("/contracts/<code>/next-edition", methods=["GET", "POST"])
@requires("edit_contracts")
def next_edition(code: str) -> tuple[str, int] | BaseResponse:
    """A tentative contract a year on, its block suggested from its series or the last
    edition's."""
    contract = visible_contract_or_404(code)
    history = account_editions(current_user, contract.account_id)
    series = history.series_of(contract.code)
    suggestion = series.suggestion if series else None
    form = NextEditionForm()
    if not form.is_submitted():
        form.code.data = next_code(contract)
        form.block.data = "suggested" if suggestion else "last"
    if form.validate_on_submit():
        cells = suggestion.cells if suggestion and form.block.data == "suggested" else None
        with refusal(ServiceError, InvalidDocument) as refused:
            copy = copy_as_next_edition(contract, form.code.data or "", cells, current_user)
        if not refused:
            flash(_("Contract %(code)s is the next edition of %(source)s, tentative.",
                    code=copy.code, source=contract.code))  # fmt: skip
            return redirect(url_for("contracts.show", code=copy.code))
        problems = getattr(refused.error, "problems", [])
        loose = show_problems(problems, form._fields, _) if problems else [str(refused.error)]
        form.code.errors = [*form.code.errors, *loose]
    page = render_template(
        "account_history/next_edition.html",
        contract=contract,
        form=form,
        series=series if suggestion else None,
        year_on=YEAR_ON,
    )
    return page, 400 if form.errors else 200
