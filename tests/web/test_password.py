"""Every signed-in user changes their own password: current one, new one twice, errors by field."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.conftest import PASSWORD, csrf_token, log_in

NEW = "a much longer new secret"


def change(client: Any, current: str, new: str, confirm: str) -> Any:
    data = {
        "current_password": current,
        "new_password": new,
        "confirm": confirm,
        "csrf_token": csrf_token(client, "/password"),
    }
    return client.post("/password", data=data)


@pytest.mark.parametrize("role", ["viewer", "sales", "accounting", "admin"])
def test_every_signed_in_user_finds_the_page_in_the_header(
    client: Any, create_user: Any, role: str
) -> None:
    create_user(f"{role}@example.com", role)
    log_in(client, f"{role}@example.com")
    assert 'href="/password"' in client.get("/contracts/").get_data(as_text=True)
    assert client.get("/password").status_code == 200


@pytest.mark.parametrize(
    ("current", "new", "confirm", "field", "message"),
    [
        ("not it", NEW, NEW, "current_password", "This is not your current password."),
        (PASSWORD, NEW, NEW + "x", "confirm", "The two new passwords differ."),
        (PASSWORD, "short", "short", "new_password", "Between 10 and 1024 characters, please."),
    ],
    ids=["wrong-current", "differ", "too-short"],
)
def test_a_problem_is_shown_next_to_its_field_and_nothing_changes(
    client: Any, create_user: Any, current: str, new: str, confirm: str, field: str, message: str
) -> None:
    create_user()
    log_in(client, "sales@example.com")
    response = change(client, current, new, confirm)
    assert response.status_code == 400
    assert f'<p class="error" id="{field}-error">{message}</p>' in response.get_data(as_text=True)
    assert client.get("/contracts/").status_code == 200  # still signed in
    assert log_in(client.application.test_client(), "sales@example.com").status_code == 302


def test_the_new_password_works_and_every_other_session_ends(
    app: Flask, client: Any, create_user: Any
) -> None:
    create_user()
    other = app.test_client()
    log_in(other, "sales@example.com")
    log_in(client, "sales@example.com")

    response = change(client, PASSWORD, NEW, NEW)

    assert response.status_code == 302
    assert "Your password has been changed." in client.get("/contracts/").get_data(as_text=True)
    assert other.get("/contracts/").status_code == 302  # the other session has ended
    assert log_in(app.test_client(), "sales@example.com", PASSWORD).status_code == 401
    assert log_in(app.test_client(), "sales@example.com", NEW).status_code == 302
