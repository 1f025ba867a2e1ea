"""`hotelattrition create-user`, `deactivate-user`, `create-token`, `revoke-token`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..models.users import ROLES
from ..services.users import create_token, create_user, deactivate_user, revoke_token
from .edge import committing


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option(
    "--property",
    "properties",
    multiple=True,
    metavar="CODE",
    help="a property the user sees (repeatable; admins see all)",
)
@click.option("--name", default="")
@click.password_option("--password", help="asked for when left out")
@with_appcontext
def create_user_command(
    email: str, role: str, properties: tuple[str, ...], name: str, password: str
) -> None:
    """Create a user with a role."""
    with committing():
        user = create_user(email, role, password, properties, name)
        seen = ", ".join(p.code for p in user.properties) or "all properties"
    click.echo(f"created user {user.email} ({user.role}; {seen if role != 'admin' else 'all'})")


@click.command("deactivate-user")
@click.argument("email")
@with_appcontext
def deactivate_user_command(email: str) -> None:
    """Deactivate a user: no more logins; sessions and API tokens stop working."""
    with committing():
        user = deactivate_user(email)
    click.echo(f"deactivated user {user.email}")


@click.command("create-token")
@click.argument("email")
@click.option("--name", help="a name to revoke it by (default: email and time)")
@with_appcontext
def create_token_command(email: str, name: str | None) -> None:
    """Create an API token for a user and print it once, alone on stdout."""
    with committing():
        token, text = create_token(email, name)
        token_name = token.name
    click.echo(text)
    click.echo(f"token {token_name} created; it is shown only this once", err=True)


@click.command("revoke-token")
@click.argument("name")
@with_appcontext
def revoke_token_command(name: str) -> None:
    """Revoke an API token by name."""
    with committing():
        token = revoke_token(name)
    click.echo(f"revoked token {token.name}")


COMMANDS = (
    create_user_command,
    deactivate_user_command,
    create_token_command,
    revoke_token_command,
)
