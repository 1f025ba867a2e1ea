"""Request bounds at the edge: NUL is a 400, a big body a 413; no caching when signed in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from hotelattrition.extensions import db
from hotelattrition.models import LoginAttempt
from hotelattrition.services.invoices import issue_invoice
from hotelattrition.services.users import create_token, create_user
from tests.conftest import PASSWORD, csrf_token, log_in, make_app
from tests.invoicing import cancelled_document

NUL_MESSAGE = "contains a NUL character"


def test_a_nul_in_the_anonymous_login_email_is_a_400(client: Any, create_user: Any) -> None:
    create_user()
    data = {
        "email": "sales\x00@example.com",
        "password": PASSWORD,
        "csrf_token": csrf_token(client),
    }
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/contracts/?q=G%00X", "/contracts/G%00X", "/contracts/?x%00=1", "/reports/?month=%00"]
)
def test_a_nul_in_the_address_is_a_400(
    client: Any, create_contract: Any, create_user: Any, path: str
) -> None:
    create_contract()
    create_user(properties=("MAD",))
    log_in(client, "sales@example.com")
    response = client.get(path)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert page.count(NUL_MESSAGE) == 1 and "Bad request" in page


def test_a_body_over_the_limit_is_a_413_page_stating_the_limit(
    app: Flask, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    body = {"email": "x" * (3 * 1024 * 1024), "password": "p"}
    response = client.post("/login", data=body)
    assert response.status_code == 413
    assert "larger than the limit of 2 MB" in response.get_data(as_text=True)
    spanish = client.post("/login", data=body, headers={"Accept-Language": "es"})
    assert spanish.status_code == 413
    # Its Spanish words come with the integrator's catalogue merge (i18n-signin.po).
    assert '<html lang="es">' in spanish.get_data(as_text=True)


def test_the_api_answers_413_as_json(
    app: Flask, client: Any, create_user: Any, database: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_user("api@example.com", "viewer")
    _, token = create_token("api@example.com", "integration")
    database.commit()
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    response = client.post(
        "/api/v1/settlements",
        data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.get_json() == {
        "errors": [{"pointer": "", "message": "The request is larger than the limit of 1 MB."}]
    }


def test_the_limit_is_50_mb_unless_the_environment_says_otherwise(app: Flask) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == 50 * 1024 * 1024
    assert settings_from({"MAX_CONTENT_LENGTH_MB": "5"})["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024


def settings_from(environment: dict[str, str]) -> dict[str, Any]:
    """Config's settings as a fresh process reads them from this environment."""
    names = ("MAX_CONTENT_LENGTH", "SESSION_COOKIE_SECURE", "TRUSTED_PROXIES")
    code = (
        "from hotelattrition.config import Config; "
        f"print(repr({{n: getattr(Config, n) for n in {names!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return eval(out.stdout)  # our own repr of ints and bools


def test_session_cookie_secure_from_the_environment() -> None:
    assert settings_from({})["SESSION_COOKIE_SECURE"] is False
    assert settings_from({"SESSION_COOKIE_SECURE": "1"})["SESSION_COOKIE_SECURE"] is True


def test_every_signed_in_response_is_no_store(
    client: Any, create_contract: Any, create_user: Any
) -> None:
    create_contract()
    create_contract(**cancelled_document("C-300"))
    create_user("accounting@example.com", "accounting", ("MAD",))
    number = issue_invoice("C-300").number
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    log_in(client, "accounting@example.com")
    for path in (
        "/contracts/",
        "/contracts/G-100",
        f"/invoices/{number}/pdf",
        "/reports/monthly.csv?property=MAD&month=2027-03",
        "/reports/monthly.pdf?property=MAD&month=2027-03",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_api_responses_are_no_store(client: Any) -> None:
    response = client.post("/api/v1/settlements", json={})
    assert response.status_code == 401
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/api/v1/openapi.json").headers["Cache-Control"] == "no-store"


# X-Forwarded-For, trusted only from configured proxies ----------------------------------------


@pytest.fixture
def apps_by_proxies(tmp_path: Path) -> Any:
    def make(hops: int) -> Flask:
        application = make_app(
            f"sqlite:///{tmp_path / f'proxies{hops}.sqlite'}", TRUSTED_PROXIES=hops
        )
        with application.app_context():
            upgrade()
            create_user("sales@example.com", "sales", PASSWORD)
            db.session.commit()
        return application

    return make


def address_of_a_login(application: Flask) -> str:
    client = application.test_client()
    token = csrf_token(client)
    client.post(
        "/login",
        data={"email": "sales@example.com", "password": "wrong", "csrf_token": token},
        headers={"X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    with application.app_context():
        address = db.session.scalar(sa.select(LoginAttempt.address))
        db.session.remove()
        db.engine.dispose()
    return address


def test_x_forwarded_for_is_ignored_by_default(apps_by_proxies: Any) -> None:
    assert settings_from({})["TRUSTED_PROXIES"] == 0
    assert address_of_a_login(apps_by_proxies(0)) == "10.0.0.2"


def test_x_forwarded_for_gives_the_address_behind_a_trusted_proxy(apps_by_proxies: Any) -> None:
    assert settings_from({"TRUSTED_PROXIES": "1"})["TRUSTED_PROXIES"] == 1
    assert address_of_a_login(apps_by_proxies(1)) == "203.0.113.9"
