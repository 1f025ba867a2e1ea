"""Sign in and out: sessions that end, throttling held in the database, CSRF, headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade

from hotelattrition.extensions import db
from hotelattrition.services.users import change_password, create_user, deactivate_user
from tests.conftest import PASSWORD, csrf_token, log_in, make_app


def test_every_page_needs_a_login(client: Any) -> None:
    for path in ("/", "/contracts/", "/contracts/G-100/settlement", "/nowhere"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login")


def test_login_then_the_contracts_page(client: Any, create_user: Any) -> None:
    create_user()
    response = log_in(client, "Sales@Example.com ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/contracts/"
    assert client.get("/").headers["Location"] == "/contracts/"
    page = client.get("/contracts/")
    assert page.status_code == 200
    assert "sales@example.com" in page.get_data(as_text=True)


def test_next_never_leaves_the_site(client: Any, create_user: Any) -> None:
    create_user()
    token = csrf_token(client)
    data = {"email": "sales@example.com", "password": PASSWORD, "csrf_token": token}
    response = client.post("/login?next=//evil.example/x", data=data)
    assert response.headers["Location"] == "/contracts/"


def test_wrong_email_and_wrong_password_read_the_same(client: Any, create_user: Any) -> None:
    create_user()
    wrong_password = log_in(client, "sales@example.com", "not the password")
    wrong_email = log_in(client, "nobody@example.com", PASSWORD)
    assert wrong_password.status_code == wrong_email.status_code == 401
    for response in (wrong_password, wrong_email):
        assert "Invalid email or password." in response.get_data(as_text=True)
    assert 'value="nobody@example.com"' in wrong_email.get_data(as_text=True)  # kept as typed


def test_logout_ends_the_session_and_an_old_cookie_cannot_be_replayed(
    app: Flask, client: Any, create_user: Any
) -> None:
    create_user()
    log_in(client, "sales@example.com")
    cookie = client.get_cookie("session").value
    assert client.get("/contracts/").status_code == 200

    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/contracts/")})
    assert response.headers["Location"] == "/login"

    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/contracts/").status_code == 302


@pytest.mark.parametrize("end", ["password", "deactivate"])
def test_password_change_and_deactivation_end_sessions(
    client: Any, create_user: Any, database: Any, end: str
) -> None:
    user = create_user()
    log_in(client, "sales@example.com")
    assert client.get("/contracts/").status_code == 200
    if end == "password":
        change_password(user, "a brand new password")
    else:
        deactivate_user(user.email)
    database.commit()
    assert client.get("/contracts/").status_code == 302


def test_deactivated_user_cannot_log_in(client: Any, create_user: Any, database: Any) -> None:
    create_user()
    deactivate_user("sales@example.com")
    database.commit()
    assert log_in(client, "sales@example.com").status_code == 401


def test_logout_without_csrf_is_refused(client: Any, create_user: Any) -> None:
    create_user()
    log_in(client, "sales@example.com")
    assert client.post("/logout").status_code == 400
    assert client.get("/contracts/").status_code == 200


def test_login_without_csrf_is_refused(client: Any, create_user: Any) -> None:
    create_user()
    response = client.post("/login", data={"email": "sales@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)
    assert client.get("/contracts/").status_code == 302


def test_security_headers_and_cookie_flags(client: Any, create_user: Any) -> None:
    create_user()
    response = log_in(client, "sales@example.com")
    headers = client.get("/login").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_over_https(client: Any, create_user: Any) -> None:
    create_user()
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={"email": "sales@example.com", "password": PASSWORD, "csrf_token": token},
        base_url="https://localhost",
    )
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.fixture
def two_apps(app: Flask, tmp_path: Path) -> Any:
    """Two app instances over one database (its own: they must see each other's commits)."""
    from tests.test_migrations import scratch_postgres_url

    with app.app_context():
        engine = db.engine.dialect.name
    url = (
        f"sqlite:///{tmp_path / 'shared.sqlite'}" if engine == "sqlite" else scratch_postgres_url()
    )
    first, second = make_app(url), make_app(url)
    with first.app_context():
        upgrade()
        create_user("sales@example.com", "sales", PASSWORD)
        db.session.commit()
    yield first, second
    for application in (first, second):
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def test_throttling_holds_across_app_instances(two_apps: Any) -> None:
    first, second = two_apps
    free = first.config["LOGIN_FREE_FAILURES"]
    for i in range(free):
        app = (first, second)[i % 2]
        assert log_in(app.test_client(), "sales@example.com", "wrong").status_code == 401

    # The right password must wait now, from either instance, with the throttling message.
    for app in (first, second):
        response = log_in(app.test_client(), "sales@example.com", PASSWORD)
        assert response.status_code == 401
        assert "Too many failed attempts. Try again in 1 second." in response.get_data(as_text=True)


def log_in_from(client: Any, address: str, password: str = PASSWORD) -> Any:
    token = csrf_token(client)
    data = {"email": "sales@example.com", "password": password, "csrf_token": token}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})


def test_the_owner_signs_in_from_their_address_after_a_hundred_failures_from_another(
    app: Flask, client: Any, create_user: Any
) -> None:
    create_user()
    attacker = app.test_client()
    for _ in range(100):
        assert log_in_from(attacker, "203.0.113.7", "wrong").status_code == 401
    refused = log_in_from(attacker, "203.0.113.7")
    assert "Too many failed attempts" in refused.get_data(as_text=True)

    response = log_in_from(client, "198.51.100.2")
    assert response.status_code == 302
    assert client.get("/contracts/").status_code == 200
