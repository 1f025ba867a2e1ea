"""The access table: every route, every role, own and other property."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.conftest import csrf_token, log_in

ROLES = ("admin", "accounting", "sales", "viewer")

# (method, path) -> expected status per role, for a contract at the user's own property.
# A contract at another property answers 404 to everyone but admins: its existence stays hidden.
TABLE: dict[tuple[str, str], dict[str, int]] = {
    ("GET", "/"): dict.fromkeys(ROLES, 302),
    ("GET", "/contracts/"): dict.fromkeys(ROLES, 200),
    ("GET", "/contracts/{code}/settlement"): dict.fromkeys(ROLES, 200),
    ("POST", "/logout"): dict.fromkeys(ROLES, 302),
    ("GET", "/users/"): {"admin": 200, "accounting": 403, "sales": 403, "viewer": 403},
    # contracts (issue 5) ---
    # invoices (issue 6) ---
    # pickup import and reports (issue 7) ---
    ("GET", "/pickup/import"): {"admin": 200, "accounting": 200, "sales": 200, "viewer": 403},
    # A POST without a file: the form answers 422 with its errors.
    ("POST", "/pickup/import"): {"admin": 422, "accounting": 422, "sales": 422, "viewer": 403},
    ("GET", "/reports/"): dict.fromkeys(ROLES, 200),
    ("GET", "/reports/monthly.csv"): dict.fromkeys(ROLES, 200),
    ("GET", "/reports/monthly.pdf"): dict.fromkeys(ROLES, 200),
    ("GET", "/reports/early-warning"): dict.fromkeys(ROLES, 200),
    ("GET", "/reports/early-warning.csv"): dict.fromkeys(ROLES, 200),
}
# Reachable without a session, each with its own guard (tested in test_auth and test_api).
PUBLIC = {
    ("GET", "/login"), ("POST", "/login"), ("POST", "/api/v1/settlements"),
    ("GET", "/api/v1/openapi.json"), ("GET", "/static/<path:filename>"),
}  # fmt: skip


def test_every_route_is_in_the_table(app: Flask) -> None:
    routes = {
        (method, rule.rule.replace("<code>", "{code}"))
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == set(TABLE) | PUBLIC


@pytest.fixture
def setup(create_contract: Any, create_property: Any, create_user: Any) -> dict[str, str]:
    create_contract()  # G-100 at MAD
    create_contract(code="B-200", property="BCN")
    for role in ROLES:
        create_user(f"{role}@example.com", role, ("MAD",))
    return {"own": "G-100", "other": "B-200"}


def request(client: Any, method: str, path: str) -> Any:
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(client, "/contracts/")})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), sorted(TABLE))
def test_access(client: Any, setup: dict[str, str], role: str, method: str, path: str) -> None:
    log_in(client, f"{role}@example.com")
    own = request(client, method, path.format(code=setup["own"]))
    assert own.status_code == TABLE[(method, path)][role]
    if "{code}" in path:
        other = request(client, method, path.format(code=setup["other"]))
        assert other.status_code == (TABLE[(method, path)][role] if role == "admin" else 404)


def test_list_shows_only_the_users_properties(
    app: Flask, client: Any, setup: dict[str, str]
) -> None:
    log_in(client, "sales@example.com")
    page = client.get("/contracts/").get_data(as_text=True)
    assert "G-100" in page
    assert "B-200" not in page
    admin = app.test_client()
    log_in(admin, "admin@example.com")
    page = admin.get("/contracts/").get_data(as_text=True)
    assert "G-100" in page
    assert "B-200" in page
