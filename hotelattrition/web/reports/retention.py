"""The retention report: page, CSV and PDF (issue 17), under /reports beside the others."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it

from ...models import Property
from ...reports.contracts import visible_properties
from ...reports.retention_formats import retention_charts, retention_pdf
from ...reports.retention_report import RetentionReport, retention_csv, retention_report
from ..access import requires
from ..reason_words import reason_words
from .forms import RetentionForm

bp = Blueprint("retention", __name__, url_prefix="/reports")


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _report() -> tuple[RetentionForm, RetentionReport | None]:
    """The choices from the query string, and the report when they are valid."""
    form = RetentionForm(request.args)
    visible = visible_properties(current_user)
    form.property.choices = [SelectChoice("", _("All properties"))] + [
        SelectChoice(p.code, f"{p.code} · {p.name}") for p in visible
    ]
    prop: Property | None = None
    if form.property.data:
        prop = next((p for p in visible if p.code == form.property.data), None)
        if prop is None:
            abort(404)
    if form.by.data not in ("year", "month"):
        form.by.data = "year"
    if not form.validate():
        return form, None
    today = prop.today() if prop else datetime.now(UTC).date()
    form.year.data = form.year.data or today.year
    form.as_of.data = form.as_of.data or today
    return form, retention_report(current_user, prop, form.by.data, form.year.data, form.as_of.data)


def _args(report: RetentionReport) -> dict[str, Any]:
    args = {"by": report.by, "year": report.year, "as_of": report.as_of.isoformat()}
    return args | ({"property": report.property_code} if report.property_code else {})


def _reason(kind: str = "lost_business") -> Callable[[str | None], str]:
    # A page lists many reasons (by month, hundreds): their words are found once each.
    none = _("no reason recorded")
    return cache(lambda code: reason_words(kind, code) if code else none)


def _name(report: RetentionReport, extension: str) -> str:
    return f"retention-{report.property_code or 'all'}-{report.year}-{report.by}.{extension}"


@bp.route("/retention")
@requires("view")
def page() -> tuple[str, int]:
    form, report = _report()
    downloads = []
    if report is not None:
        downloads = [
            ("CSV", url_for("retention.csv_file", **_args(report))),
            ("PDF", url_for("retention.pdf_file", **_args(report))),
        ]
    page = render_template(
        "reports/retention.html",
        form=form,
        report=report,
        downloads=downloads,
        charts=retention_charts(report) if report else None,
        reason=_reason(),
        account_reason=_reason("account_lost"),
    )
    return page, 400 if form.errors else 200


@bp.route("/retention.csv")
@requires("view")
def csv_file() -> Response:
    _, report = _report()
    if report is None:
        abort(400)
    return _download("\ufeff" + retention_csv(report), "text/csv", _name(report, "csv"))


@bp.route("/retention.pdf")
@requires("view")
def pdf_file() -> Response:
    _, report = _report()
    if report is None:
        abort(400)
    locale = str(get_locale())
    body = retention_pdf(report, locale, _reason(), _reason("account_lost"))
    return _download(body, "application/pdf", _name(report, "pdf"))
