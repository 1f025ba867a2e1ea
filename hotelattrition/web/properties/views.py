"""Properties: the administrator keeps each hotel's identity, rates, invoices and bank details."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ...extensions import db
from ...models import Property
from ...services import NotFound
from ...services.properties import (
    RATE_FIELDS,
    PropertySettings,
    add_property,
    get_property,
    property_settings,
    update_property,
)
from ..access import requires
from ..accounts.forms import country_choices
from ..problems import show_problems
from ..transactions import refusal
from ..validated import required
from .forms import NewPropertyForm, PropertyForm, currency_choices, timezone_choices

bp = Blueprint("properties", __name__, url_prefix="/properties")


@bp.route("/")
@requires("admin")
def index() -> str:
    properties = db.session.scalars(select(Property).order_by(Property.code)).all()
    return render_template("properties/index.html", properties=properties)


@bp.route("/<property_code>/edit", methods=["GET", "POST"])
@requires("admin")
def edit(property_code: str) -> tuple[str, int] | Response:
    try:
        prop = get_property(property_code[:20])
    except NotFound:
        abort(404)
    form = _form(prop)
    if form.validate_on_submit():
        with refusal() as refused:
            update_property(current_user, prop, _settings(form))
        if not refused:
            flash(_("The property's settings are saved."))
            return redirect(url_for("properties.index"))
        loose = show_problems(refused.error.problems, form._fields, _)
        form.name.errors = [*form.name.errors, *loose]
    status = 400 if form.errors else 200
    return render_template("properties/edit.html", form=form, prop=prop), status


@bp.route("/new", methods=["GET", "POST"])
@requires("admin")
def new() -> tuple[str, int] | Response:
    form = _choices(NewPropertyForm(data=None if request.method == "POST" else NEW_DEFAULTS))
    if form.validate_on_submit():
        with refusal() as refused:
            prop = add_property(
                current_user, form.code.data, form.invoice_prefix.data or "", _settings(form)
            )
        if not refused:
            flash(_("Property %(code)s is added.", code=prop.code))
            return redirect(url_for("properties.index"))
        loose = show_problems(refused.error.problems, form._fields, _)
        form.name.errors = [*form.name.errors, *loose]
    status = 400 if form.errors else 200
    return render_template("properties/edit.html", form=form, prop=None), status


def _form(prop: Property) -> PropertyForm:
    data = None
    if request.method != "POST":
        settings = property_settings(prop)
        data = {k: v for k, v in settings.__dict__.items() if k != "rates"} | settings.rates
        data["payment_terms_days"] = str(settings.payment_terms_days)
    return _choices(PropertyForm(data=data))


def _choices(form: PropertyForm) -> PropertyForm:
    form.country.choices = country_choices()
    form.currency.choices = currency_choices()
    form.timezone.choices = timezone_choices()
    return form


# A new property's form starts from no taxes, 30 days to pay and an invoice.
NEW_DEFAULTS = {
    **dict.fromkeys(RATE_FIELDS, "0"),
    "payment_terms_days": "30",
    "at_risk_drop_pct": "25",
    "currency": "EUR",
    "timezone": "Europe/Madrid",
    "locale": "es_ES",
    "country": "ES",
}


def _settings(form: PropertyForm) -> PropertySettings:
    return PropertySettings(
        name=form.name.data or "",
        legal_name=form.legal_name.data or "",
        address=form.address.data or "",
        country=form.country.data or "",
        tax_id=form.tax_id.data or "",
        currency=form.currency.data or "",
        locale=form.locale.data or "",
        timezone=form.timezone.data or "",
        rates={key: form[key].data for key in RATE_FIELDS},
        room_types=form.room_types.data or "",
        invoice_title=form.invoice_title.data or "",
        payment_terms_days=int(required(form.payment_terms_days.data)),
        iban=form.iban.data or "",
        bic=form.bic.data or "",
        payment_instructions=form.payment_instructions.data or "",
        at_risk_drop_pct=form.at_risk_drop_pct.data or "",
    )
