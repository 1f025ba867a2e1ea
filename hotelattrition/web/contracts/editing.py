"""Contract pages: the overview, the contract form, pickup snapshots and block revisions.

These routes join the contracts blueprint (views.py holds the list and the settlement).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from ...domain import InvalidDocument, parse_document, settlement_to_json
from ...domain.figures import Figures
from ...extensions import db
from ...models import Contract, Property
from ...reports.accounts import account_names
from ...reports.contract_page import (
    chart_scale,
    contract_invoices,
    contract_overview,
    page_offers,
)
from ...reports.contracts import visible_properties
from ...reports.history import history_items
from ...services import ServiceError
from ...services.contract_documents import contract_document
from ...services.contract_editing import (
    EditConflict,
    create_contract,
    details_of,
    record_actuals,
    revise_block,
    revision_effect,
    update_contract,
)
from ...services.contract_locks import InvoicedContract
from ...services.credit_checks import credit_panel
from ...services.pickup import AsOfOutOfRange
from ...services.planner import planner_panel
from ...services.reasons import reason_choices
from ...services.settlements import settle_with_terms
from ..access import requires, visible_contract_or_404
from ..pickup.forms import as_of_message
from ..problems import show_problems
from ..transactions import refusal
from ..validated import required
from .form_document import (
    FormDocument,
    contract_details,
    fill_row,
    form_data,
    grid_totals,
    new_contract_defaults,
    resize_grid,
    section_defaults,
)
from .form_errors import error_summary, grid_cell_labels
from .forms import BlockRevisionForm, ContractForm, PickupForm, options
from .history import history_lines
from .pickup_form import actuals_from_form, pickup_form_data, revision_rooms
from .property_switch import (
    DEFAULTS_FOR,
    PROPERTY_SWITCHED,
    load_property_rates,
    switched_property,
)
from .views import bp


def _refusal(refused: ServiceError) -> str:
    """A refusal in the user's language where its words are known, else the service's own."""
    if isinstance(refused, InvoicedContract):
        return _(
            "Contract %(code)s has invoice %(number)s open: credit it first.",
            code=refused.code,
            number=refused.number,
        )
    return str(refused)


@bp.route("/<code>")
@requires("view")
def show(code: str) -> str:
    contract = visible_contract_or_404(code)
    today = contract.property.today()
    language = str(get_locale())
    overview = contract_overview(contract, today)
    terms, result, what_if = settle_with_terms(contract, today)
    invoices = contract_invoices(contract, today)
    invoiced = any(row.kind == "invoice" and row.status != "credited" for row in invoices)
    offers = page_offers(contract, result.status, today, invoiced)
    if not offers.what_if:
        what_if = None
    return render_template(
        "contracts/show.html",
        contract=contract,
        terms=terms,
        overview=overview,
        history=history_lines(
            history_items(overview.history), Figures(language), contract.property.currency
        ),
        offers=offers,
        today=today,
        result=settlement_to_json(result, language),
        what_if=settlement_to_json(what_if, language) if what_if else None,
        invoices=invoices,
        credits=credit_panel(contract, today),
        planner=planner_panel(contract),
        scale=chart_scale(
            [max(n.original, n.block, n.picked_up + n.outside_block) for n in overview.nights]
        ),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("edit_contracts")
def new() -> tuple[str, int] | Response:
    properties = visible_properties(current_user)
    if not properties:
        abort(403)
    chosen = next((p for p in properties if p.code == request.args.get("property")), properties[0])
    form = ContractForm(
        data=form_data(new_contract_defaults(chosen), absent=section_defaults(chosen))
        if request.method == "GET"
        else None
    )
    if request.method == "GET" and chosen.room_types:  # a row per room type of the property
        while form.block.entries:
            form.block.pop_entry()
        for room_type in chosen.room_types.split():
            form.block.append_entry({"room_type": room_type})
    return _contract_form(form, properties, chosen, contract=None)


@bp.route("/<code>/edit", methods=["GET", "POST"])
@requires("edit_contracts")
def edit(code: str) -> tuple[str, int] | Response:
    contract = visible_contract_or_404(code)
    data = None
    if request.method == "GET":
        data = form_data(
            contract_document(contract), details_of(contract), section_defaults(contract.property)
        )
        data["version"] = contract.version
    form = ContractForm(data=data)
    return _contract_form(form, [contract.property], contract.property, contract=contract)


def _contract_form(
    form: ContractForm, properties: list[Property], prop: Property, contract: Contract | None
) -> tuple[str, int] | Response:
    form.property.choices = options(*((p.code, f"{p.code} · {p.name}") for p in properties))
    reasons = reason_choices("lost_business", str(get_locale()))
    own = contract.lost_reason if contract is not None else None
    if own is not None and own not in {code for code, _name in reasons}:
        reasons.append((own, own))  # a retired reason stays the contract's own
    form.lost_reason.choices = options(("", "—"), *reasons)
    if contract is not None:
        form.code.data, form.property.data = contract.code, contract.property.code
    action = request.form.get("action", "")
    conflict, loose = None, []
    switched = switched_property(form, properties) if contract is None else None
    if contract is None and request.method == "POST":  # the form shows the chosen property
        prop = next((p for p in properties if p.code == form.property.data), prop)
    if request.method == "POST" and switched is not None:
        load_property_rates(form, switched)  # shown before anything is saved
        if action == "save":
            action = ""
            loose = [str(PROPERTY_SWITCHED)]
    if request.method == "POST" and action == "save":
        prop = next((p for p in properties if p.code == form.property.data), prop)
        outcome = _save(form, prop, contract)
        if isinstance(outcome, Response):
            return outcome
        conflict, loose = outcome
    elif request.method == "POST":
        _apply_action(form, action)
    if not form.block.entries:
        form.block.append_entry({"room_type": ""})
    resize_grid(form)
    totals, total = grid_totals(form)
    cell_labels = grid_cell_labels(form)
    accounts = account_names(current_user)
    status = 409 if conflict else (400 if request.method == "POST" and action == "save" else 200)
    return render_template(
        "contracts/form.html",
        form=form,
        contract=contract,
        prop=prop,
        loose=loose,
        conflict=conflict,
        totals=totals,
        total=total,
        accounts=accounts,
        cell_labels=cell_labels,
        errors=error_summary(form, cell_labels),
        defaults=section_defaults(prop),
        defaults_for=DEFAULTS_FOR,
    ), status


def _save(form: ContractForm, prop: Property, contract: Contract | None) -> Any:
    """Save, or return (conflict, problems no field owns) to show with the form again."""
    shape_ok = form.validate()
    details, review_problems = contract_details(form)
    document = FormDocument(form, prop.currency)
    with refusal(ServiceError, StaleDataError, InvalidDocument) as refused:
        if not shape_ok or review_problems:
            parse_document(document.document)  # the document's own problems join the form's
            raise InvalidDocument([])
        if contract is None:
            contract = create_contract(document.document, details, current_user)
        else:
            update_contract(
                contract, document.document, details, int(form.version.data or 0), current_user
            )
        db.session.flush()  # a stale version shows here, as a conflict, not at the commit
    error = refused.error
    if isinstance(error, EditConflict):
        form.version.data = str(error.version)  # saving again now replaces their version
        return error, []
    if isinstance(error, StaleDataError):
        assert contract is not None  # only an update can find its version stale
        return EditConflict(db.session.get_one(Contract, contract.id)), []
    if isinstance(error, InvalidDocument):
        return None, document.place(error.problems, _)
    if isinstance(error, ServiceError):
        loose = show_problems(error.problems, form._fields)
        return None, loose if error.problems else [_refusal(error)]
    flash(_("Contract %(code)s saved.", code=contract.code))
    return redirect(url_for("contracts.show", code=contract.code))


# The form's lists with a Remove button per entry, by the button's name.
LISTS = {
    "review": lambda form: form.review_dates,
    "service": lambda form: form.services,
    "step": lambda form: form.meeting_room.scale,
    "tier": lambda form: form.cancellation.schedule,
}


def _apply_action(form: ContractForm, action: str) -> None:
    """Grid and list buttons: change the form, keep everything typed, save nothing."""
    name, _sep, index = action.partition(":")
    if name == "add_row":
        form.block.append_entry({"room_type": ""})
    elif name == "remove_row" and index.isdigit() and int(index) < len(form.block.entries):
        del form.block.entries[int(index)]
    elif name == "fill" and index.isdigit() and int(index) < len(form.block.entries):
        resize_grid(form)
        fill_row(form, int(index))
    elif name.startswith("remove_") and name[7:] in LISTS and index.isdigit():
        entries = LISTS[name[7:]](form).entries
        if int(index) < len(entries):
            del entries[int(index)]  # the others keep their names: what was typed stays
    elif name == "add_review":
        form.review_dates.append_entry()
    elif name == "add_service":
        form.services.append_entry()
    elif name == "add_step":
        form.meeting_room.form.scale.append_entry()
    elif name == "add_tier":
        form.cancellation.form.schedule.append_entry()
    elif name == "add_window":
        form.rebooking.form.windows.append_entry()


@bp.route("/<code>/pickup", methods=["GET", "POST"])
@requires("edit_contracts")
def pickup(code: str) -> tuple[str, int] | Response:
    contract = visible_contract_or_404(code)
    today = contract.property.today()
    form = PickupForm(data=pickup_form_data(contract, today) if request.method == "GET" else None)
    problem = None
    if form.validate_on_submit():
        rooms, revenue, problems = actuals_from_form(form)
        if not problems:
            with refusal() as refused:
                as_of = required(form.as_of.data)
                changed = record_actuals(contract, as_of, rooms, revenue, current_user)
            if not refused:
                flash(_("%(n)d figures recorded as of %(day)s.", n=changed, day=form.as_of.data))
                return redirect(url_for("contracts.show", code=code))
            if isinstance(refused.error, AsOfOutOfRange):
                show_problems([("as_of", as_of_message(refused.error))], form._fields)
            else:
                problem = _refusal(refused.error)
    overview = contract_overview(contract, today)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "contracts/pickup.html", form=form, contract=contract, overview=overview, problem=problem
    ), status


def previewed_rooms(rooms: dict[tuple[date, str], int]) -> str:
    """The rooms a preview showed, written so that Confirm can tell whether they changed."""
    return ";".join(f"{night}|{kind}={count}" for (night, kind), count in sorted(rooms.items()))


@bp.route("/<code>/revise/<any(review, cutoff):reason>", methods=["GET", "POST"])
@requires("edit_contracts")
def revise(code: str, reason: str) -> tuple[str, int] | Response:
    contract = visible_contract_or_404(code)
    form = BlockRevisionForm()
    if request.method == "GET":
        form = BlockRevisionForm(
            data=pickup_form_data(contract, date.today(), block=True)
            | {"reason": reason, "review_on": request.args.get("on", "")}
        )
    problems: list[tuple[str, str]] = []
    effect = None
    rooms: dict[tuple[date, str], int] = {}
    if form.validate_on_submit():
        rooms, problems = revision_rooms(form)
        on = contract.property.today()
        if reason == "review":
            on = date.fromisoformat(form.review_on.data) if form.review_on.data else on
        # The form's first button previews the effect on the damages; Confirm applies it, but
        # only the rooms that were previewed: rooms changed since are previewed again.
        previewed = request.form.get("previewed")
        changed = previewed is not None and previewed != previewed_rooms(rooms)
        confirmed = request.form.get("action") != "preview" and not changed
        if changed:
            flash(_("The rooms changed since the preview: check the effect, then confirm."))
        if not problems:
            with refusal() as refused:
                if confirmed:
                    revise_block(contract, reason, rooms, on, current_user)
                else:
                    effect = revision_effect(contract, reason, rooms, on)
            if not refused and confirmed:
                flash(_("The block was revised."))
                return redirect(url_for("contracts.show", code=code))
            if refused:
                problems = refused.error.problems or [("", _refusal(refused.error))]
    status = 400 if request.method == "POST" and effect is None else 200
    return render_template(
        "contracts/revise.html",
        form=form,
        contract=contract,
        reason=reason,
        problems=problems,
        effect=effect,
        previewed=previewed_rooms(rooms) if effect is not None else None,
    ), status
