"""Reports: the monthly pickup report (page, CSV, PDF) and the early-warning list."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from ...models import Property
from ...reports.at_risk import at_risk_accounts, at_risk_csv
from ...reports.charts import night_chart, pace_chart
from ...reports.contracts import visible_properties
from ...reports.credits import EXPIRING_DAYS, open_credits
from ...reports.early_warning import early_warning, early_warning_csv
from ...reports.monthly import MonthlyReport, monthly_report
from ...reports.monthly_formats import monthly_csv, monthly_pdf
from ..access import can, requires
from .forms import PropertyForm, PropertyMonthForm

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _choose(form: PropertyForm) -> Property | None:
    """The property asked for (404 if the user does not see it), else the user's first."""
    visible = visible_properties(current_user)
    form.property.choices = [(p.code, f"{p.code} · {p.name}") for p in visible]
    code = request.args.get("property")
    if code:
        chosen = next((p for p in visible if p.code == code), None)
        if chosen is None:
            abort(404)
        return chosen
    if visible:
        form.property.data = visible[0].code
    return visible[0] if visible else None


def _monthly() -> tuple[PropertyMonthForm, MonthlyReport | None]:
    form = PropertyMonthForm(request.args)
    prop = _choose(form)
    if prop is None or not form.validate():
        return form, None
    today = prop.today()
    month = form.month.data or today.replace(day=1)
    form.month.data = month
    return form, monthly_report(prop, month, today, bool(form.tentative.data))


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _csv(text: str, filename: str) -> Response:
    """A CSV download; the byte-order mark makes spreadsheets read it as UTF-8."""
    return _download("\ufeff" + text, "text/csv", filename)


def _name(report: MonthlyReport, extension: str) -> str:
    return f"pickup-{report.property_code}-{report.month:%Y-%m}.{extension}"


@bp.route("/")
@requires("view")
def monthly() -> tuple[str, int]:
    form, report = _monthly()
    downloads = []
    if report is not None:
        args: dict[str, Any] = {"property": report.property_code, "month": f"{report.month:%Y-%m}"}
        if report.with_tentative:
            args["tentative"] = "y"
        downloads = [
            ("CSV", url_for("reports.monthly_csv_file", **args)),
            ("PDF", url_for("reports.monthly_pdf_file", **args)),
        ]
    page = render_template(
        "reports/monthly.html",
        form=form,
        report=report,
        downloads=downloads,
        night_chart=night_chart(report.nights) if report else None,
        pace_chart=pace_chart(report.pace, report.pace_block) if report else None,
    )
    return page, 400 if form.errors else 200


@bp.route("/monthly.csv")
@requires("view")
def monthly_csv_file() -> Response:
    form, report = _monthly()
    if report is None:
        abort(400 if form.errors else 404)
    return _csv(monthly_csv(report), _name(report, "csv"))


@bp.route("/monthly.pdf")
@requires("view")
def monthly_pdf_file() -> Response:
    form, report = _monthly()
    if report is None:
        abort(400 if form.errors else 404)
    return _download(
        monthly_pdf(report, str(get_locale())), "application/pdf", _name(report, "pdf")
    )


@bp.route("/early-warning")
@requires("view")
def early_warning_page() -> str:
    form = PropertyForm(request.args)
    prop = _choose(form)
    with_tentative = bool(form.tentative.data)
    report = early_warning(prop, prop.today(), with_tentative) if prop else None
    args: dict[str, Any] = {"tentative": "y"} if with_tentative else {}
    downloads = (
        [("CSV", url_for("reports.early_warning_csv_file", property=prop.code, **args))]
        if prop
        else []
    )
    credits = (
        open_credits(prop.today(), expiring_within=EXPIRING_DAYS, property_ids=[prop.id])
        if prop
        else []
    )
    return render_template(
        "reports/early_warning.html",
        form=form,
        report=report,
        downloads=downloads,
        credits=credits,
        at_risk=at_risk_accounts(prop, prop.today()) if prop else None,
        may_follow_up=can(current_user, "edit_contracts"),
    )


@bp.route("/early-warning.csv")
@requires("view")
def early_warning_csv_file() -> Response:
    form = PropertyForm(request.args)
    prop = _choose(form)
    if prop is None:
        abort(404)
    report = early_warning(prop, prop.today(), bool(form.tentative.data))
    filename = f"early-warning-{prop.code}-{report.today.isoformat()}.csv"
    return _csv(early_warning_csv(report), filename)


@bp.route("/accounts-at-risk.csv")
@requires("view")
def at_risk_csv_file() -> Response:
    prop = _choose(PropertyForm(request.args))
    if prop is None:
        abort(404)
    report = at_risk_accounts(prop, prop.today())
    return _csv(at_risk_csv(report), f"accounts-at-risk-{prop.code}-{report.today.isoformat()}.csv")
