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


def test_0007_keeps_earlier_documents_and_chains_earlier_payments(
    empty_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents from before 0007 keep hash scheme 1; their payments are chained as they are."""
    from hotelattrition.services import invoice_numbers
    from hotelattrition.services.contracts import import_contract
    from hotelattrition.services.invoice_payments import record_payment
    from hotelattrition.services.invoices import (
        get_invoice,
        issue_invoice,
        store_pdf,
        verify_invoices,
    )
    from hotelattrition.services.properties import PropertyData, create_property
    from tests.invoicing import madrid_today, stay_document

    upgrade()
    create_property(PropertyData(code="MAD", currency="EUR", name="Hotel MAD", locale="es_ES",
                                 country="ES", timezone="Europe/Madrid"))  # fmt: skip
    monkeypatch.setattr(invoice_numbers, "HASH_SCHEME", 1)
    number = issue_invoice(import_contract(stay_document()).contract).number
    monkeypatch.undo()
    db.session.flush()
    store_pdf(get_invoice(number))
    for reference in ("TRF 1", "TRF 2"):
        record_payment(number, "100.00", madrid_today(), reference)
    db.session.commit()
    db.session.remove()
    downgrade(revision="0006_login_throttle")  # the schema those rows were written under
    upgrade()
    assert verify_invoices() == []
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT hash_scheme FROM invoices")).scalar() == 1
        assert conn.execute(sa.text("SELECT payments FROM payment_chains")).scalar() == 2
        for statement, table in (
            ("UPDATE payments SET amount = 1", "payments"),
            ("UPDATE invoices SET total = 1", "invoices"),
            ("DELETE FROM invoice_pdfs", "invoice_pdfs"),
        ):
            with pytest.raises(sa.exc.IntegrityError, match=f"on {table}"):
                conn.execute(sa.text(statement))
            conn.rollback()


def test_queue_schema_comes_and_goes_with_0010(empty_app: Flask) -> None:
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
