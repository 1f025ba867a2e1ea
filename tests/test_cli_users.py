"""create-user, deactivate-user, create-token and revoke-token."""

from __future__ import annotations

from typing import Any

from flask import Flask

from hotelattrition.cli import cli
from hotelattrition.services.users import user_for_token


def run(app: Flask, *args: str, input: str | None = None) -> Any:
    return app.test_cli_runner().invoke(cli, list(args), input=input)


def test_create_user_with_properties(app: Flask, create_property: Any) -> None:
    create_property("MAD")
    result = run(app, "create-user", "Ana@Example.com", "--role", "sales", "--property", "MAD",
                 "--password", "a long password")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == "created user ana@example.com (sales; MAD)\n"


def test_create_user_asks_for_the_password(app: Flask, database: Any) -> None:
    result = run(app, "create-user", "boss@example.com", "--role", "admin",
                 input="a long password\na long password\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "created user boss@example.com (admin; all)" in result.stdout


def test_create_user_refusals(app: Flask, database: Any) -> None:
    short = run(app, "create-user", "x@example.com", "--role", "sales", "--password", "short")
    assert short.exit_code == 1
    assert "password: must have at least 10 characters" in short.stderr
    unknown = run(app, "create-user", "x@example.com", "--role", "sales", "--property", "ZZZ",
                  "--password", "a long password")  # fmt: skip
    assert "unknown property ZZZ" in unknown.stderr
    run(app, "create-user", "x@example.com", "--role", "viewer", "--password", "a long password")
    twice = run(
        app, "create-user", "x@example.com", "--role", "viewer", "--password", "a long password"
    )
    assert (twice.exit_code, twice.stderr) == (1, "error: user x@example.com already exists\n")


def test_token_printed_once_alone_then_revoked(app: Flask, create_user: Any) -> None:
    create_user("api@example.com", "viewer")
    created = run(app, "create-token", "api@example.com", "--name", "pms")
    assert created.exit_code == 0
    token = created.stdout.strip()
    assert created.stdout == token + "\n"  # the token alone on stdout
    assert user_for_token(token).email == "api@example.com"

    revoked = run(app, "revoke-token", "pms")
    assert revoked.stdout == "revoked token pms\n"
    assert user_for_token(token) is None
    assert run(app, "revoke-token", "nope").exit_code == 1


def test_deactivate_user(app: Flask, create_user: Any) -> None:
    create_user("gone@example.com", "sales")
    result = run(app, "deactivate-user", "gone@example.com")
    assert result.stdout == "deactivated user gone@example.com\n"
    assert run(app, "deactivate-user", "nobody@example.com").exit_code == 1
