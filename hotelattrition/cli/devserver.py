"""`hotelattrition run`: Flask's development server, with a local SMTP server for the mail.

When SMTP_HOST is unset (`make run`), an aiosmtpd server starts in a thread of this process on
a free port of 127.0.0.1 and keeps every message it receives in instance/mail/ (a Maildir):
the app's mail goes there, and the Mail sent page lists it. With SMTP_HOST set nothing starts.
"""

from __future__ import annotations

import os
import socket
from typing import Any

import click
from flask.cli import run_command

from ..config import INSTANCE


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
    ctx.invoke(run_command, **options)
