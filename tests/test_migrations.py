"""Migrations: one head, a full upgrade and downgrade on each engine, no drift from the models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def test_0024_backfills_lost_on_and_keeps_the_ledger_guarded(empty_app: Flask) -> None:
    """lost_on from the audit log's status change (the day at the hotel), else updated_at; the
    credit entries' table keeps its rows, chain and append-only guard through the rebuild."""
    from datetime import UTC, date, datetime

    from hotelattrition.services.contracts import import_contract
    from hotelattrition.services.invoice_payments import record_payment
    from hotelattrition.services.invoices import verify_invoices
    from hotelattrition.services.lost_business import record_lost_business
    from hotelattrition.services.properties import PropertyData, create_property
    from tests.invoicing import convert, madrid_today, stay_document

    upgrade()
    create_property(PropertyData(code="MAD", currency="EUR", name="Hotel MAD", locale="es_ES",
                                 country="ES", timezone="Europe/Madrid"))  # fmt: skip
    future = stay_document("A-1", days_ago=-200)
    import_contract(future)
    import_contract(future | {"status": "cancelled", "lost_reason": "event_cancelled"})
    tentative = stay_document("B-1", days_ago=-100)
    del tentative["signed_on"]
    record_lost_business(import_contract(tentative).contract, "other_hotel", "", "cli")
    import_contract(stay_document("C-1", days_ago=-50, status="cancelled",
                                  lost_reason="rate_too_high"))  # fmt: skip
    clause = {"mode": "credit_paid", "windows": [{"months": 12, "pct": "100"}]}
    credit = convert(import_contract(stay_document("D-1", rebooking=clause)).contract)
    number = db.session.scalar(
        sa.text(f"SELECT number FROM invoices WHERE id = {credit.invoice_id}")
    )
    record_payment(number, "4477.00", madrid_today(), "TR-1")
    db.session.commit()
    db.session.remove()
    downgrade(revision="0023_disputes")
    moments = {  # 23:30 UTC on 20 February is already the 21st in Madrid
        ("A-1", "replace_terms"): datetime(2026, 1, 15, 10, 0, tzinfo=UTC),
        ("B-1", "lost_business"): datetime(2026, 2, 20, 23, 30, tzinfo=UTC),
    }
    with db.engine.begin() as conn:
        for (code, action), at in moments.items():
            conn.execute(
                sa.text("UPDATE audit_entries SET at = :at WHERE entity_key = :c AND action = :a"),
                {"at": at, "c": code, "a": action},
            )
        conn.execute(
            sa.text("UPDATE contracts SET updated_at = :at WHERE code = 'C-1'"),
            {"at": datetime(2026, 3, 5, 12, 0, tzinfo=UTC)},
        )
    upgrade()
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT code, lost_on FROM contracts ORDER BY code")).all()
        found = {code: (day if isinstance(day, date) or day is None else date.fromisoformat(day))
                 for code, day in rows}  # fmt: skip
        assert found == {
            "A-1": date(2026, 1, 15), "B-1": date(2026, 2, 21), "C-1": date(2026, 3, 5),
            "D-1": None,
        }  # fmt: skip
        with pytest.raises(sa.exc.IntegrityError, match="on credit_entries"):
            conn.execute(sa.text("UPDATE credit_entries SET note = 'x'"))
        conn.rollback()
        insert = (
            "INSERT INTO credit_entries (credit_id, kind, amount, entry_on, note, recorded_at, "
            "recorded_by, previous_hash, record_hash) VALUES (1, 'restore', {amount}, "
            "'2026-01-01', '', '2026-01-01 00:00:00', 'x', 'a', 'b')"
        )
        conn.execute(sa.text(insert.format(amount=10000)))  # restore: a positive amount
        conn.rollback()
        with pytest.raises(sa.exc.IntegrityError):
            conn.execute(sa.text(insert.format(amount=-10000)))
        conn.rollback()
    assert verify_invoices() == []


def test_0032_recounts_churned_revenue_and_its_downgrade_leaves_the_older_sums(
    empty_app: Flask,
) -> None:
    """Down to 0031 the sums lose churned revenue's events and the books their revenue rows,
    nothing else; up again, 0032's recount gives the sums the writes had kept."""
    import json

    from hotelattrition.services.contracts import import_contract
    from hotelattrition.services.properties import PropertyData, create_property
    from tests.invoicing import stay_document

    upgrade()
    create_property(PropertyData(code="MAD", currency="EUR", name="Hotel MAD", locale="es_ES",
                                 country="ES", timezone="Europe/Madrid"))  # fmt: skip
    import_contract(stay_document("A-1", days_ago=400))  # last year's, nothing since: churned
    db.session.commit()
    db.session.remove()

    def state() -> tuple[list[Any], dict[int, Any]]:
        with db.engine.connect() as conn:
            sums = conn.execute(
                sa.text("SELECT scope, by, key, figure, label, month, amount "
                        "FROM retention_tallies_monthly ORDER BY 1, 2, 3, 4, 5, 6")
            ).all()  # fmt: skip
            books = conn.execute(sa.text("SELECT account_id, stays FROM retention_inputs")).all()
        return [tuple(r) for r in sums], {a: json.loads(s) for a, s in books}

    kept, books = state()
    assert any(r[3] == "churned_revenue" and r[6] > 0 for r in kept)
    downgrade(revision="0031_account_revenue")
    older, older_books = state()
    assert older == [r for r in kept if r[3] != "churned_revenue"]
    assert older_books == {
        a: [[stay[:-1] for stay in stays], lost_on, reason]
        for a, (stays, lost_on, reason) in books.items()
    }
    assert all(len(stay) == 12 for stays, _, _ in older_books.values() for stay in stays)
    upgrade()
    assert state() == (kept, books)
