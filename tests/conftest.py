"""Fixtures: the app on every engine under test, a rolled-back database per test, factories."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from hotelattrition import create_app
from hotelattrition.config import TestConfig
from hotelattrition.extensions import db

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
ENGINES = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


def pytest_configure(config: pytest.Config) -> None:
    # CI must test PostgreSQL: fail rather than quietly run SQLite alone.
    if os.environ.get("CI") and not POSTGRES_URL:
        raise pytest.UsageError("CI is set but TEST_DATABASE_URL is not: PostgreSQL is required")


def database_url(engine: str, path: Any) -> str:
    """A fresh database URL for the engine: a new SQLite file, or the emptied PostgreSQL one."""
    if engine == "sqlite":
        return f"sqlite:///{path / 'test.sqlite'}"
    reset_postgres_schema(POSTGRES_URL)
    return POSTGRES_URL


def reset_postgres_schema(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def make_app(url: str, **settings: Any) -> Flask:
    config = type("Config", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, **settings})
    return create_app(config)


@pytest.fixture(scope="session", params=ENGINES)
def app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """The application on one engine, its schema built by the migrations."""
    url = database_url(request.param, tmp_path_factory.mktemp(request.param))
    application = make_app(url)
    with application.app_context():
        upgrade()
        db.session.remove()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def engine_name(app: Flask) -> str:
    with app.app_context():
        return db.engine.dialect.name


@pytest.fixture
def database(app: Flask) -> Iterator[Any]:
    """An app context whose database work is rolled back after the test.

    The session joins an outer transaction through savepoints, so the code under test may
    commit and roll back as it does in production.
    """
    with app.app_context():
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        outer = connection.begin()
        engines[None] = connection
        db.session.remove()
        db.session.configure(join_transaction_mode="create_savepoint")
        try:
            yield db.session
        finally:
            db.session.remove()
            outer.rollback()
            connection.close()
            engines[None] = engine


# Factories ---------------------------------------------------------------------------------

KNOWN_ON = "2026-11-01"  # the day create_contract's actuals are dated


def sample_document(**overrides: Any) -> dict[str, Any]:
    """A small contract document: 2 nights x 2 room types, attrition, F&B and cancellation."""
    doc: dict[str, Any] = {
        "code": "G-100",
        "property": "MAD",
        "account": "Acme Pharma",
        "name": "Acme sales conference",
        "signed_on": "2026-09-01",
        "currency": "EUR",
        "arrival": "2027-03-10",
        "departure": "2027-03-12",
        "block": [
            {"night": "2027-03-10", "room_type": "DBL", "rooms": 30, "rate": "150.00"},
            {"night": "2027-03-10", "room_type": "STE", "rooms": 5, "rate": "290.00"},
            {"night": "2027-03-11", "room_type": "DBL", "rooms": 30, "rate": "150.00"},
            {"night": "2027-03-11", "room_type": "STE", "rooms": 5, "rate": "290.00"},
        ],
        "pickup": [
            {"night": "2027-03-10", "room_type": "DBL", "rooms": 22},
            {"night": "2027-03-10", "room_type": "STE", "rooms": 5},
            {"night": "2027-03-11", "room_type": "DBL", "rooms": 18},
        ],
        "room_attrition": {"allowance_pct": "20", "tax_pct": "10"},
        "fnb": {
            "minimum": "9000.00",
            "actual": "7000.00",
            "service_charge_pct": "10",
            "tax_pct": "10",
        },
        "cancellation": {
            "schedule": [{"min_days": 90, "pct": "50"}, {"min_days": 0, "pct": "100"}]
        },
    }
    return doc | overrides


@pytest.fixture
def create_property(database: Any) -> Any:
    from hotelattrition.services.properties import PropertyData
    from hotelattrition.services.properties import create_property as create

    def make(code: str = "MAD", currency: str = "EUR", **fields: Any) -> Any:
        values = {
            "name": f"Hotel {code}",
            "locale": "es_ES",
            "country": "ES",
            "timezone": "Europe/Madrid",
        } | fields
        return create(PropertyData(code=code, currency=currency, **values))

    return make


@pytest.fixture
def create_contract(database: Any, create_property: Any) -> Any:
    from hotelattrition.models import Property
    from hotelattrition.services.contracts import import_contract

    def make(**overrides: Any) -> Any:
        # Its actuals as known on a fixed day before every dated import in the tests, not
        # today: a snapshot dated today would supersede those imports once today passes them.
        doc = {"as_of": KNOWN_ON} | sample_document(**overrides)
        if database.scalar(sa.select(Property).where(Property.code == doc["property"])) is None:
            create_property(doc["property"], doc["currency"])
        return import_contract(doc).contract

    return make


PASSWORD = "correct horse battery"


@pytest.fixture
def create_user(database: Any) -> Any:
    from hotelattrition.services.users import create_user as create

    def make(email: str = "sales@example.com", role: str = "sales", properties: tuple = ()) -> Any:
        return create(email, role, PASSWORD, properties)

    return make


class RequestClient(FlaskClient):
    """Each request in its own app context (its own g and session), as in production.

    Without this a request would reuse the test's app context, and Flask-Login's user cached
    in g would outlive the request.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()  # the test's own session reads what the request wrote
        return response


@pytest.fixture
def client(app: Flask, database: Any) -> Any:
    """A test client sharing the rolled-back database; CSRF is on, as in production."""
    app.test_client_class = RequestClient
    return app.test_client()


def csrf_token(client: Any, path: str = "/login") -> str:
    """The CSRF token of the form on a page (it is bound to the client's session)."""
    import re

    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def log_in(client: Any, email: str, password: str = PASSWORD) -> Any:
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)}
    )
