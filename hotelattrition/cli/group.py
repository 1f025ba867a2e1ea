"""The `hotelattrition` group: each command's module is imported only when it is run."""

from __future__ import annotations

import gc
import importlib
from typing import TYPE_CHECKING

import click
from flask.cli import FlaskGroup

from .. import create_app
from ..config import configure_logging

if TYPE_CHECKING:
    from flask import Flask

# Command name -> "module:attribute" under hotelattrition.cli. A command's module (and what it
# imports) is loaded when that command runs or help lists it, never for another command.
COMMANDS: dict[str, str] = {
    "settle": "group:settle_command",
    "property": "properties:property_group",
    "reason": "reasons:reason_group",
    "contract": "contracts:contract_group",
    "create-user": "users:create_user_command",
    "deactivate-user": "users:deactivate_user_command",
    "create-token": "users:create_token_command",
    "revoke-token": "users:revoke_token_command",
    "demo-data": "demo:demo_data_command",
    "invoice": "invoices:invoice_group",
    "credit": "credits:credit_group",
    "pickup": "pickup:pickup_group",
    "report": "reports:report_group",
    "recompute": "batches:recompute_command",
    "worker": "batches:worker_command",
    "serve": "serve:serve_command",
    "reminders": "reminders:reminders_group",
    # Flask's `run`, with a local SMTP server when SMTP_HOST is unset (`make run`).
    "run": "devserver:run_with_mail",
}

# Our commands that need the web layer: the monthly report renders the app's page templates,
# a worker runs report packs, and serve serves the pages.
WEB_COMMANDS = frozenset({"report", "worker", "serve", "run"})


def cli_app() -> Flask:
    """The app for the command being run: without the web layer unless the command needs it.

    Flask's own commands (run, shell, routes) and plugins (db) get the whole app.
    """
    ctx = click.get_current_context(silent=True)
    name = ctx.find_root().invoked_subcommand if ctx else None
    return create_app(web=name not in COMMANDS or name in WEB_COMMANDS)


class LazyFlaskGroup(FlaskGroup):
    """A FlaskGroup whose own commands are imported by name, before Flask's plugins load."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS:
            module, attribute = COMMANDS[name].split(":")
            command: click.Command = getattr(
                importlib.import_module(f"{__package__}.{module}"), attribute
            )
            return command
        return super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})


@click.group(cls=LazyFlaskGroup, create_app=cli_app, add_version_option=False)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Hotel group contracts: attrition and cancellation settlements."""
    if not gc.isenabled():
        # The command is loaded, with the collector off (__main__): what the imports made
        # stays out of its walks, which resume for the command's own garbage.
        gc.freeze()
        gc.enable()
    # Before any app is built: a command's output stays what scripts read unless asked for
    # more (HOTELATTRITION_LOG_LEVEL); the development server tells all.
    configure_logging("INFO" if ctx.invoked_subcommand == "run" else "WARNING")


@click.command("settle", context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def settle_command(args: tuple[str, ...]) -> None:
    """Settle a settlement document v1 (FILE or -) and print the settlement JSON."""
    from .settle import run

    raise SystemExit(run(args))
