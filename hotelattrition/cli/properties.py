"""`hotelattrition property ...`: properties (hotels)."""

from __future__ import annotations

from typing import Any

import click
from flask.cli import AppGroup

from ..services.properties import RATE_FIELDS, PropertyData, create_property
from .edge import committing


@click.group("property", cls=AppGroup)
def property_group() -> None:
    """Properties (hotels)."""


@property_group.command("create")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--currency", required=True, help="ISO 4217 code, e.g. EUR")
@click.option("--locale", required=True, help="e.g. es_ES")
@click.option("--country", required=True, help="ISO 3166 code, e.g. ES")
@click.option("--legal-name", default="")
@click.option("--address", default="")
@click.option("--tax-id")
@click.option("--timezone", default="UTC", help="e.g. Europe/Madrid")
@click.option("--payment-terms-days", type=int, default=30)
@click.option("--invoice-prefix", default="", help="invoice series prefix (default: the code)")
@click.option(
    "--rate",
    "rates",
    multiple=True,
    metavar="NAME=PCT",
    help="default rate, repeatable: " + ", ".join(RATE_FIELDS),
)
def property_create(code: str, rates: tuple[str, ...], **options: Any) -> None:
    """Create a property."""
    parsed = {name: pct for name, _, pct in (r.partition("=") for r in rates)}
    with committing():
        prop = create_property(PropertyData(code=code, rates=parsed, **options))
    click.echo(f"created property {prop.code} ({prop.name}, {prop.currency}, {prop.locale})")


@property_group.command("room-type-alias")
@click.argument("property_code")
@click.argument("alias")
@click.argument("room_type")
def property_room_type_alias(property_code: str, alias: str, room_type: str) -> None:
    """Read ALIAS in pickup files as the property's ROOM_TYPE ("Deluxe King" KNG)."""
    from ..services.room_type_aliases import set_room_type_alias

    with committing():
        row = set_room_type_alias(property_code, alias, room_type)
    click.echo(f"property {property_code}: {row.alias!r} is read as {row.room_type}")


@property_group.command("waiver-threshold")
@click.argument("property_code")
@click.argument("amount")
def property_waiver_threshold(property_code: str, amount: str) -> None:
    """Waivers above AMOUNT (the property's currency) need a manager's approval."""
    from ..domain.money import round_money
    from ..services.settlement_decisions import set_waiver_threshold

    with committing():
        prop = set_waiver_threshold(property_code, amount)
    threshold = round_money(prop.waiver_approval_threshold, prop.currency)
    click.echo(
        f"property {prop.code}: waivers above {threshold} {prop.currency} need a manager's approval"
    )


@property_group.command("occupancy")
@click.argument("property_code")
@click.argument("night", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--sold", type=int, required=True, help="rooms the hotel sold that night")
@click.option("--available", type=int, required=True, help="rooms the hotel had to sell")
def property_occupancy(property_code: str, night: Any, sold: int, available: int) -> None:
    """Record the hotel's occupancy on NIGHT (evidence packs show it beside the group's)."""
    from ..services.occupancy import record_occupancy

    with committing():
        row = record_occupancy(property_code, night.date(), sold, available)
    click.echo(f"property {property_code}: {row.night.isoformat()} {sold} of {available} sold")


@property_group.command("at-risk-drop")
@click.argument("property_code")
@click.argument("pct")
def property_at_risk_drop(property_code: str, pct: str) -> None:
    """A repeat account is at risk when its room nights fall more than PCT % on the year before."""
    from ..services.at_risk import set_at_risk_drop

    with committing():
        prop = set_at_risk_drop(property_code, pct)
    click.echo(
        f"property {prop.code}: accounts whose room nights fall more than "
        f"{prop.at_risk_drop_pct.normalize():f} % are at risk"
    )
