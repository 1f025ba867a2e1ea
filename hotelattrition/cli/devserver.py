"""`hotelattrition run`: Flask's development server, with a local SMTP server for the mail.

When SMTP_HOST is unset (`make run`), an aiosmtpd server starts in a thread of this process on
a free port of 127.0.0.1 and keeps every message it receives in instance/mail/ (a Maildir):
the app's mail goes there, and the Mail sent page lists it. With SMTP_HOST set nothing starts.
On SQLite there are no queue workers: a thread does their hourly reminders job (at start, then
every hour), so `make run` sends reminders with nothing else to start.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

import click
from flask.cli import run_command

from ..config import INSTANCE

log = logging.getLogger(__name__)
REMINDERS_EVERY_SECONDS = 3600


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_local_smtp(folder: Any) -> Any:
    """An SMTP server on 127.0.0.1 keeping messages in a Maildir; started, returned."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Mailbox

    controller = Controller(Mailbox(folder), hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


@click.command("run", context_settings=run_command.context_settings, params=run_command.params)
@click.pass_context
def run_with_mail(ctx: click.Context, **options: Any) -> None:
    """Run the development server (and, without SMTP_HOST, a local SMTP server)."""
    if not os.environ.get("SMTP_HOST"):
        folder = INSTANCE / "mail"
        folder.parent.mkdir(parents=True, exist_ok=True)
        controller = start_local_smtp(folder)
        # The app is built after this (and a reloader's child inherits it): mail goes here.
        os.environ["SMTP_HOST"], os.environ["SMTP_PORT"] = "127.0.0.1", str(controller.port)
        click.echo(
            f" * Mail: a local SMTP server on 127.0.0.1:{controller.port} keeps it in {folder}",
            err=True,
        )
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgresql") and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        # One process sends (a reloader's watcher, or the only one); PostgreSQL has workers.
        # Its links to the planner's page point at this server unless PUBLIC_URL says otherwise.
        address = f"http://{options.get('host') or '127.0.0.1'}:{options.get('port') or 5000}"
        threading.Thread(
            target=remind_every_hour, args=(address,), name="reminders", daemon=True
        ).start()
    ctx.invoke(run_command, **options)


def remind_every_hour(address: str) -> None:
    """The workers' hourly reminders job, for SQLite: record the reminders due, send the mail."""
    from .. import create_app, jobs

    app = create_app(web=False)
    app.config["PUBLIC_URL"] = app.config.get("PUBLIC_URL") or address
    while True:
        with app.app_context():
            try:
                created, sent = jobs.run_reminders()
                log.info("reminders: %s recorded, %s mail attempted", created, len(sent))
            except Exception:
                log.exception("reminders failed; trying again in an hour")
        threading.Event().wait(REMINDERS_EVERY_SECONDS)
