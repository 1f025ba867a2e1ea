"""`hotelattrition credit ...`: the account credit ledger from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from .edge import committing


@click.group("credit", cls=AppGroup)
def credit_group() -> None:
    """Account credits from rebooking clauses."""


@credit_group.command("list")
@click.option("--account", metavar="NAME", help="this account and its affiliates only")
@click.option(
    "--expiring", type=click.IntRange(0, 3660), metavar="DAYS", help="expiring within DAYS"
)
def credit_list_command(account: str | None, expiring: int | None) -> None:
    """List open credits, soonest to expire first, as a table."""
    from sqlalchemy import select

    from ..extensions import db
    from ..models import Account
    from ..models.accounts import affiliated_account_ids
    from ..reports.credits import open_credits_at
    from ..reports.property_days import by_today, todays_by_property
    from ..services import NotFound
    from ..services.contract_documents import money_text

    with committing():
        ids = None
        if account is not None:
            found = db.session.scalar(select(Account.id).where(Account.name == account))
            if found is None:
                raise NotFound(f"account {account} not found")
            ids = affiliated_account_ids(found)
        # Each credit is judged by the day at the property that owes it.
        rows = open_credits_at(by_today(todays_by_property()), ids, expiring)
    header = (
        "id", "account", "contract", "source", "mode", "earned on", "expires on", "%", "remaining",
    )  # fmt: skip
    table = [
        (
            str(r.id),
            r.account,
            r.contract,
            r.source,
            r.mode,
            r.earned_on.isoformat() if r.earned_on else "",
            r.expires_on.isoformat(),
            format(r.pct_today.normalize(), "f"),
            f"{money_text(r.remaining, r.currency)} {r.currency}",
        )
        for r in rows
    ]
    widths = [max(len(c) for c in col) for col in zip(header, *table, strict=False)]
    for line in (header, *table):
        click.echo(
            "  ".join(
                c.rjust(w) if i >= 6 else c.ljust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )
    click.echo(f"{len(rows)} open credit(s)", err=True)
