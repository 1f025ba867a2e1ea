"""The `hotelattrition` command group: thin wrappers over services and reports."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from . import create_app


@click.group(
    cls=FlaskGroup, create_app=create_app, add_version_option=False, add_default_commands=True
)
def cli() -> None:
    """Hotel group contracts: attrition and cancellation settlements."""


@cli.command("settle", context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def settle_command(args: tuple[str, ...]) -> None:
    """Settle a settlement document v1 (FILE or -) and print the settlement JSON."""
    from .settle_command import run

    raise SystemExit(run(args))
