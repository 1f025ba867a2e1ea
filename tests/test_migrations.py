"""Migrations: one head, a full upgrade and downgrade on each engine, no drift from the models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade

from hotelattrition import ROOT
from hotelattrition.extensions import db
from hotelattrition.models.batches import outside_queue
from tests.conftest import ENGINES, POSTGRES_URL, make_app


def scratch_postgres_url() -> str:
    """A separate, empty PostgreSQL database beside the suite's, so its schema is untouched."""
    url = sa.make_url(POSTGRES_URL)
    name = f"{url.database}_migrations"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=ENGINES)
def empty_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    url = (
        f"sqlite:///{tmp_path / 'm.sqlite'}"
        if request.param == "sqlite"
        else scratch_postgres_url()
    )
    app = make_app(url)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_one_head() -> None:
    script = ScriptDirectory(str(ROOT / "migrations"))
    assert len(script.get_heads()) == 1


def test_upgrade_downgrade_upgrade_from_empty(empty_app: Flask) -> None:
    upgrade()
    tables = set(sa.inspect(db.engine).get_table_names())
    assert {"contracts", "block_nights", "stored_settlements", "users", "audit_entries"} <= tables
    downgrade(revision="base")
    assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert set(sa.inspect(db.engine).get_table_names()) == tables


def test_models_and_migrations_agree(empty_app: Flask) -> None:
    upgrade()
    with db.engine.connect() as conn:
        opts = {"compare_type": True, "include_name": outside_queue}
        context = MigrationContext.configure(conn, opts=opts)
        assert compare_metadata(context, db.metadata) == []


def test_queue_schema_comes_and_goes_with_0009(empty_app: Flask) -> None:
    """Procrastinate's tables and functions on PostgreSQL only, and a real downgrade."""
    upgrade()
    postgres = db.engine.dialect.name == "postgresql"
    tables = set(sa.inspect(db.engine).get_table_names())
    assert {"batches", "batch_items", "batch_files"} <= tables
    assert ("procrastinate_jobs" in tables) is postgres
    downgrade(revision="0006_login_throttle")
    tables = set(sa.inspect(db.engine).get_table_names())
    assert not {t for t in tables if t.startswith(("procrastinate_", "batch"))}
    if postgres:
        with db.engine.connect() as conn:
            left = conn.exec_driver_sql(
                "SELECT count(*) FROM pg_proc WHERE proname LIKE 'procrastinate%%'"
            ).scalar()
        assert left == 0
    upgrade()
