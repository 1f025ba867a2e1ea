"""`hotelattrition report ...`: the monthly pickup report and the early-warning list."""

from __future__ import annotations

from typing import Any

import click
from flask.cli import AppGroup

from ..services.contract_documents import money_text
from .edge import committing


@click.group("report", cls=AppGroup)
def report_group() -> None:
    """Reports: the monthly pickup report and the early-warning list."""


@report_group.command("monthly")
@click.option("--property", "code", required=True, metavar="CODE")
@click.option("--month", required=True, type=click.DateTime(["%Y-%m"]), help="YYYY-MM")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "csv"]), default="html")
@click.option("-o", "--output", type=click.File("wb"), default="-", help="FILE (default: stdout)")
def report_monthly_command(code: str, month: Any, fmt: str, output: Any) -> None:
    """Write the monthly pickup report of a property as HTML, PDF or CSV."""
    from ..reports.monthly import monthly_report
    from ..reports.monthly_formats import monthly_csv, monthly_document, monthly_pdf
    from ..services.properties import get_property

    with committing():
        prop = get_property(code)
        report = monthly_report(prop, month.date(), prop.today())
    if fmt == "pdf":
        output.write(monthly_pdf(report))
    else:
        text = monthly_csv(report) if fmt == "csv" else monthly_document(report)
        output.write(text.encode("utf-8"))
    damages = ", ".join(f"{money_text(t.damages, t.currency)} {t.currency}" for t in report.totals)
    click.echo(
        f"monthly pickup {prop.code} {report.month:%Y-%m}: {len(report.rows)} groups; "
        f"damages {damages or 'none'}",
        err=True,
    )


@report_group.command("early-warning")
@click.option("--property", "code", required=True, metavar="CODE")
@click.option("--format", "fmt", type=click.Choice(["text", "csv"]), default="text")
def report_early_warning_command(code: str, fmt: str) -> None:
    """List the property's groups behind pace to their minimum, by money at risk."""
    from ..domain.codec import plain
    from ..reports.early_warning import early_warning, early_warning_csv
    from ..services.properties import get_property

    with committing():
        prop = get_property(code)
        report = early_warning(prop, prop.today())
    if fmt == "csv":
        click.echo(early_warning_csv(report), nl=False)
        return
    click.echo(f"early warning {prop.code} as of {report.today.isoformat()}:")
    for r in report.rows:
        review = f"review in {r.days_to_review} d" if r.days_to_review is not None else "no review"
        click.echo(
            f"  {r.code:<12} {money_text(r.damages, r.currency):>14} {r.currency}  "
            f"picked up {r.picked_up} of {plain(r.minimum)} (pace {plain(r.expected)}), "
            f"needs {plain(r.still_needed)}; cut-off in {r.days_to_cutoff} d, {review}"
        )
    click.echo(f"{len(report.rows)} behind pace; {report.on_pace} short of the minimum but on pace")


def _pack() -> click.Command:
    from .batches import report_pack_command

    return report_pack_command


report_group.add_command(_pack())
