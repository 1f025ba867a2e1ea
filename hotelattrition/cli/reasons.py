"""`hotelattrition reason ...`: the configurable lists (waiver, lost business, account lost,
complaint departments), labelled in English and Spanish."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..models.reasons import REASON_KINDS
from .edge import committing

KINDS = REASON_KINDS


@click.group("reason", cls=AppGroup)
def reason_group() -> None:
    """The configurable reason lists."""


@reason_group.command("list")
@click.argument("kind", type=click.Choice(KINDS))
def reason_list(kind: str) -> None:
    """Print a list's reasons in order: code, English, Spanish (retired ones marked)."""
    from ..models.reasons import reasons_of

    for reason in reasons_of(kind, include_retired=True):
        retired = "" if reason.active else "\t(retired)"
        click.echo(f"{reason.code}\t{reason.label_en}\t{reason.label_es}{retired}")


@reason_group.command("add")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("code")
@click.option("--en", "label_en", required=True, help="the label in English")
@click.option("--es", "label_es", required=True, help="the label in Spanish")
def reason_add(kind: str, code: str, label_en: str, label_es: str) -> None:
    """Add a reason at the end of its list, or bring a retired one back with new labels."""
    from ..services.reasons import add_reason

    with committing():
        add_reason(kind, code, label_en, label_es)
    click.echo(f"{kind} reason {code} offered")


@reason_group.command("retire")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("code")
def reason_retire(kind: str, code: str) -> None:
    """Stop offering a reason; the records citing it keep it."""
    from ..services.reasons import retire_reason

    with committing():
        retire_reason(kind, code)
    click.echo(f"{kind} reason {code} retired")
