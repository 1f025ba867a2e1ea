"""On PostgreSQL, many processes issuing at once get gapless, unique numbers (SQLite: skipped).

Each process has its own engine and its own transactions against a scratch database, as web
workers and CLI runs would; a barrier starts them together so they contend for the series.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from hotelattrition.extensions import db
from hotelattrition.models import Invoice, InvoiceSeries, Property
from hotelattrition.services import ServiceError
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.invoices import issue_invoice, verify_invoices
from hotelattrition.services.properties import PropertyData, create_property
from tests.conftest import POSTGRES_URL, make_app
from tests.invoicing import cancelled_document, madrid_today

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="row locks are tested on PostgreSQL")
ISSUERS = 50


def scratch_database() -> str:
    url = sa.make_url(POSTGRES_URL)
    name = f"{url.database}_invoices"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def scratch() -> Iterator[str]:
    url = scratch_database()
    app = make_app(url)
    with app.app_context():
        upgrade()
        create_property(
            PropertyData("MAD", "Hotel MAD", "EUR", "es_ES", "ES", timezone="Europe/Madrid")
        )
        for i in range(ISSUERS):
            import_contract(cancelled_document(f"C-{i}"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # children open their own connections
    yield url


def issue(url: str, code: str, barrier: Any, results: Any, today: date | None = None) -> None:
    """One process: its own app and engine; wait for the others, then issue (on `today`)."""
    if today is not None:
        Property.today = lambda self, now=None: today  # type: ignore[method-assign]  # this process only: it was forked
    app = make_app(url)
    with app.app_context():
        barrier.wait(timeout=60)
        try:
            results.put(("ok", issue_invoice(code).number))
            db.session.commit()
        except ServiceError as refused:
            db.session.rollback()
            results.put(("refused", str(refused)))
        except Exception as error:  # reported to the test, which fails with it
            db.session.rollback()
            results.put(("error", repr(error)))
        finally:
            db.session.remove()
            db.engine.dispose()


def run_issuers(
    url: str, codes: list[str], days: list[date | None] | None = None
) -> list[tuple[str, str]]:
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(codes)), context.Queue()
    days = days or [None] * len(codes)
    workers = [
        context.Process(target=issue, args=(url, c, barrier, results, d))
        for c, d in zip(codes, days, strict=True)
    ]
    for w in workers:
        w.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    return outcomes


def test_fifty_processes_get_fifty_numbers_without_gaps(scratch: str) -> None:
    outcomes = run_issuers(scratch, [f"C-{i}" for i in range(ISSUERS)])
    assert sorted(kind for kind, _ in outcomes) == ["ok"] * ISSUERS, outcomes
    year = madrid_today().year
    assert sorted(n for _, n in outcomes) == [f"MAD-{year}-{i:06d}" for i in range(1, ISSUERS + 1)]
    app = make_app(scratch)
    with app.app_context():
        assert db.session.scalar(sa.select(InvoiceSeries.last_number)) == ISSUERS
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Invoice)) == ISSUERS
        assert verify_invoices() == []
        db.session.remove()
        db.engine.dispose()


def add_cancelled_contract(url: str, code: str) -> None:
    """A contract whose cancellation fee is invoiceable, committed; no connection kept."""
    app = make_app(url)
    with app.app_context():
        import_contract(cancelled_document(code))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def test_a_double_click_across_processes_issues_once(scratch: str) -> None:
    add_cancelled_contract(scratch, "TWICE")
    outcomes = run_issuers(scratch, ["TWICE"] * 5)
    assert sorted(kind for kind, _ in outcomes) == ["ok"] + ["refused"] * 4, outcomes
    assert all("invoiced already" in text for kind, text in outcomes if kind == "refused")


def test_a_double_click_across_new_years_midnight_issues_once(scratch: str) -> None:
    add_cancelled_contract(scratch, "MIDNIGHT")
    year = madrid_today().year
    eve, new_year = date(year, 12, 31), date(year + 1, 1, 1)  # two series, two counter rows
    outcomes = run_issuers(scratch, ["MIDNIGHT"] * 4, [eve, new_year, eve, new_year])
    assert sorted(kind for kind, _ in outcomes) == ["ok"] + ["refused"] * 3, outcomes


def pay(url: str, number: str, reverses: str | None, barrier: Any, results: Any) -> None:
    """One process: pay 1.00 against the invoice, or reverse the payment named, at once."""
    from hotelattrition.services.invoice_payments import record_payment, reverse_payment

    app = make_app(url)
    with app.app_context():
        barrier.wait(timeout=60)
        try:
            if reverses is None:
                payment = record_payment(number, "1.00", madrid_today(), "TRF")
            else:
                payment = reverse_payment(number, reverses)
            results.put(("ok", str(payment.id)))
            db.session.commit()
        except ServiceError as refused:
            db.session.rollback()
            results.put(("refused", str(refused)))
        except Exception as error:
            db.session.rollback()
            results.put(("error", repr(error)))
        finally:
            db.session.remove()
            db.engine.dispose()


def run_payers(url: str, number: str, reverses: list[str | None]) -> list[tuple[str, str]]:
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(reverses)), context.Queue()
    workers = [
        context.Process(target=pay, args=(url, number, r, barrier, results)) for r in reverses
    ]
    for w in workers:
        w.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    return outcomes


def test_payments_at_once_keep_one_chain_and_a_payment_is_reversed_once(scratch: str) -> None:
    add_cancelled_contract(scratch, "PAID")
    number = run_issuers(scratch, ["PAID"])[0][1]
    paid = run_payers(scratch, number, [None] * 10)
    assert [kind for kind, _ in paid] == ["ok"] * 10, paid
    reversed_ = run_payers(scratch, number, [paid[0][1]] * 5)
    assert sorted(kind for kind, _ in reversed_) == ["ok"] + ["refused"] * 4, reversed_
    assert all("reversed already" in text for kind, text in reversed_ if kind == "refused")
    app = make_app(scratch)
    with app.app_context():
        assert verify_invoices() == []
        db.session.remove()
        db.engine.dispose()
