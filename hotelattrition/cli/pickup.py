"""`hotelattrition pickup import`: pickup from the property-management system."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup

from ..services.pickup_sources import SOURCES as PICKUP_SOURCES
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
@click.option(
    "--source",
    "source_name",
    default="auto",
    type=click.Choice(["auto", *PICKUP_SOURCES]),
    help="the shape of the file (auto: recognised from its header)",
)
@click.option(
    "--date-order",
    type=click.Choice(["dmy", "mdy"]),
    help="how to read dates like 04/03/2027 when the file does not tell",
)
def pickup_import_command(file: Any, as_of: Any, source_name: str, date_order: str | None) -> None:
    """Import a PMS pickup export as a snapshot dated --as-of; a bad row and nothing is written."""
    from ..services.pickup import AsOfOutOfRange
    from ..services.pickup_import import InvalidPickupFile, import_pickup
    from ..services.pickup_mappings import saved_sources

    try:
        with progress_bars() as progress, committing():
            try:
                result = import_pickup(
                    file,  # a stream
                    as_of.date(),
                    progress=progress,
                    source_name=source_name,
                    date_order=date_order,
                    file_name=Path(file.name).name,
                    custom=saved_sources(None),  # the mappings saved in the app, for auto
                )
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
    click.echo(
        f"source {result.source}, encoding {result.encoding}, "
        f"dates {result.date_order or 'ISO'}; {result.rows_read} rows read, "
        f"{result.reservations} reservations, {result.room_nights} room nights; "
        f"{result.rows} nights set, {result.shoulder} shoulder nights, "
        f"{len(result.notes)} block differences"
    )
    for note in result.notes:
        click.echo(f"block differs: {note}")
