"""`hotelattrition pickup import`: pickup from the property-management system."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from flask.cli import AppGroup

from .edge import EXIT_INVALID, committing


@click.group("pickup", cls=AppGroup)
def pickup_group() -> None:
    """Pickup from the property-management system."""


@contextmanager
def progress_bars() -> Iterator[Any]:
    """A progress callback drawing one tqdm bar per phase on stderr (when it is a terminal)."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def progress(phase: str, done: int, total: int) -> None:
        bar = bars.get(phase)
        if bar is None:
            for other in bars.values():
                other.close()
            unit = "contract" if phase == "settling" else "row"
            bar = bars[phase] = tqdm(total=total, desc=phase, unit=unit, leave=False, disable=None)
        bar.update(done - bar.n)

    try:
        yield progress
    finally:
        for bar in bars.values():
            bar.close()


@pickup_group.command("import")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--as-of",
    "as_of",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="the date the export was taken, YYYY-MM-DD",
)
def pickup_import_command(file: Any, as_of: Any) -> None:
    """Import a pickup CSV as a snapshot dated --as-of; any bad row and nothing is written."""
    from ..services.pickup import AsOfOutOfRange
    from ..services.pickup_import import InvalidPickupFile, import_pickup

    try:
        with progress_bars() as progress, committing():
            try:
                result = import_pickup(file, as_of.date(), progress=progress)  # a stream
            except AsOfOutOfRange as refused:  # a bad option, exit status 2, like a bad format
                raise click.BadParameter(str(refused), param_hint="'--as-of'") from None
    except InvalidPickupFile as invalid:
        for problem in invalid.problems:
            click.echo(str(problem), err=True)
        if invalid.more:
            click.echo(f"... and {invalid.more:,} more problems", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(
        f"pickup as of {result.as_of.isoformat()}: {result.rows} rows for {result.contracts} "
        f"contracts; {result.inserted} snapshots added, {result.corrected} corrected, "
        f"{result.unchanged} unchanged; {result.settlements} settlements recomputed"
    )
