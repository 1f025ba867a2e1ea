"""`hotelattrition demo-data`: demo properties, contracts, pickup history and users."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from ..extensions import db
from ..models import Contract
from .edge import committing


@click.command("demo-data")
@click.option("--if-empty", is_flag=True, help="do nothing (exit 0) when contracts exist")
@with_appcontext
def demo_data_command(if_empty: bool) -> None:
    """Fill an empty database with demo properties, contracts, pickup history and users."""
    from ..services.demo import DEMO_USERS, load_demo_data

    if if_empty and db.session.scalar(select(func.count()).select_from(Contract)):
        click.echo("demo data: the database has contracts already; left as it is")
    else:
        with committing():
            summary = load_demo_data(date.today())
        click.echo(f"demo data: {summary.properties} properties, {summary.contracts} contracts")
    click.echo("demo logins (email / password / role), where the demo data was loaded:")
    for email, role, password, *_ in DEMO_USERS:
        click.echo(f"  {email:40} {password:24} {role}")
