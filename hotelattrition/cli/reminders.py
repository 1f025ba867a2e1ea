"""`hotelattrition reminders send`: record the reminders due and send the mail waiting to go.

On PostgreSQL a worker does this every hour (jobs.send_reminders); the command is for SQLite
(run it from cron) or to do it now. Mail goes through SMTP_HOST/SMTP_PORT (README: Mail).
"""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from .edge import EXIT_INVALID


@click.group("reminders")
def reminders_group() -> None:
    """Reminders before review dates and cut-offs, by e-mail."""


@reminders_group.command("send")
@with_appcontext
@click.option("--here", is_flag=True, help="send in this process, not on workers (PostgreSQL)")
def send_command(here: bool) -> None:
    """Record the reminders due now and send them, with any mail waiting to be retried."""
    from sqlalchemy import func, select

    from .. import jobs
    from ..extensions import db
    from ..models import OutgoingMail

    try:
        created, sent_here = jobs.run_reminders(here=here)
    except ValueError as bad:  # the REMINDER_DAYS_BEFORE setting
        click.echo(f"error: {bad}", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(f"{created} reminders recorded")
    if sent_here:
        states = dict(
            db.session.execute(
                select(OutgoingMail.state, func.count())
                .where(OutgoingMail.id.in_(sent_here))
                .group_by(OutgoingMail.state)
            ).all()
        )
        click.echo(", ".join(f"{count} {state}" for state, count in sorted(states.items())))
    elif not here and jobs.uses_queue():
        click.echo("the workers send the mail due")
