"""The monthly pickup report as a file: CSV, or the document (documents.monthly) as HTML or PDF."""

from __future__ import annotations

from ..documents.monthly import monthly_html
from .charts import night_chart, pace_chart
from .csv_export import csv_text, money_cell
from .monthly import MonthlyReport

CSV_HEADER = (
    "code", "group", "account", "status", "arrival", "departure", "currency",
    "block_room_nights", "picked_up", "pickup_pct", "picked_up_previous_month_end", "change",
    "shoulder_room_nights",
    "minimum", "shortfall", "damages", "damages_are", "settlement_status",
    "fnb_minimum", "fnb_actual", "owed_damages", "projected_damages",
)  # fmt: skip


def monthly_csv(report: MonthlyReport) -> str:
    """One line per group, then one totals line per currency (tentative groups left out of it
    unless the report counts them)."""
    lines: list[tuple[object, ...]] = []
    for r in report.rows:
        cur = r.currency
        lines.append((
            r.code, r.name, r.account, r.status, r.arrival, r.departure, cur,
            r.block, r.picked_up, _pct(r.pickup_pct), r.previous, r.change, r.shoulder,
            r.minimum, r.shortfall, money_cell(r.damages, cur),
            ("owed" if r.owed else "projected") if r.arrives else None, r.settlement_status,
            money_cell(r.fnb_minimum, cur), money_cell(r.fnb_actual, cur),
            money_cell(r.damages if r.arrives and r.owed else None, cur),
            money_cell(r.damages if r.arrives and not r.owed else None, cur),
        ))  # fmt: skip
    for t in report.totals:
        cur = t.currency
        lines.append((
            "total", f"{t.groups} groups", None, None, None, None, cur,
            t.block, t.picked_up, _pct(t.pickup_pct), t.previous, t.change, t.shoulder,
            t.minimum, t.shortfall, money_cell(t.damages, cur), None, None,
            money_cell(t.fnb_minimum, cur), money_cell(t.fnb_actual, cur),
            money_cell(t.owed_damages, cur), money_cell(t.projected_damages, cur),
        ))  # fmt: skip
    return csv_text(CSV_HEADER, lines)


def _pct(value: object) -> str:
    return "" if value is None else format(value, "f")


def monthly_document(report: MonthlyReport, locale: str = "en") -> str:
    """The report as one HTML document, CSS inline, charts as inline SVG, in the locale."""
    return monthly_html(
        report, night_chart(report.nights), pace_chart(report.pace, report.pace_block), locale
    )


def monthly_pdf(report: MonthlyReport, locale: str = "en") -> bytes:
    """The document as a landscape PDF."""
    from ..documents.render import render_pdf  # WeasyPrint, for the PDF format only

    return render_pdf(monthly_document(report, locale))
