"""Retention section: the account page and the retention report served by gunicorn over
100,000 contracts and about 20,000 accounts (bench/retention_data.py says how they are spread),
each against the contracts list page served the same way, in turns: <= 3x its time.

The data set is its own PostgreSQL database (hotelattrition_bench_retention on BENCH_POSTGRES),
built once with COPY and reused while it holds the 100,000 contracts. Figures, per role
(sales sees one hotel, the admin all 50):
* the account page of the busiest repeat account against /contracts/;
* /reports/retention (by year, 2027, as of 2027-06-30) against /contracts/;
* /reports/retention by month, the same way.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import func, select, text

from . import Figure, show
from . import reports as rb
from .pages import compare
from .served import Served, Session

SECTION = "retention"
DATABASE = os.environ.get("BENCH_RETENTION_DATABASE", "hotelattrition_bench_retention")
CONTRACTS = 100_000
SECONDS = float(os.environ.get("BENCH_PAGE_SECONDS", "6"))
TARGET = 3.0  # the page's time over the contracts list's, at most
# sales sees one hotel, the admin all 50; BENCH_RETENTION_ROLES=sales times the first only.
ROLES = tuple(os.environ.get("BENCH_RETENTION_ROLES", "sales,admin").split(","))
REPORT = "/reports/retention?by={by}&year=2027&as_of=2027-06-30"


def database(count: int = CONTRACTS) -> str:
    """The bench database with `count` contracts over ~20,000 accounts; its URL."""
    from flask_migrate import upgrade

    from hotelattrition.extensions import db
    from hotelattrition.models import Contract
    from hotelattrition.models.contract_rebookings import refresh_rebookings
    from hotelattrition.models.retention_tallies import rebuild_tallies
    from hotelattrition.models.revenue_series import rebuild_account_revenue, refresh_revenue

    from . import retention_data

    url = f"{rb.ADMIN_URL.replace('postgresql://', 'postgresql+psycopg://')}/{DATABASE}"
    if not _has(count):
        url = rb.recreate_database(rb.ADMIN_URL, DATABASE)
    app = rb.bench_app(url)
    with app.app_context():
        upgrade()
        if not db.session.scalar(select(func.count()).select_from(Contract)):
            ids = rb.prepare(-(-count // rb.data.PER_PROPERTY))
            counts = retention_data.load(rb.driver_connection(), count, ids)
            rb.data.reset_sequences(rb.driver_connection())
            # COPY passes no flush: each contract's realised revenue series, rebooking days
            # and the retention report's sums, as the app keeps them. The accounts' series at
            # once, set-based; their churned revenue with the sums (a recount per account
            # here would be undone by the rebuild).
            contracts = db.session.scalars(select(Contract.id))
            refresh_revenue(db.session.connection(), contracts, accounts_later=True)
            rebuild_account_revenue(db.session.connection())
            accounts = db.session.scalars(select(Contract.account_id).distinct()).all()
            refresh_rebookings(db.session.connection(), accounts)
            rebuild_tallies(db.session.connection())  # the report's stored sums
            db.session.commit()
            # As autovacuum would before long: index-only scans need the visibility map.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
            print(f"  data set built: {counts}", flush=True)
        db.engine.dispose()
    return url


def _has(count: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{rb.ADMIN_URL}/{DATABASE}") as conn:
            row = conn.execute("SELECT count(*) FROM contracts").fetchone()
    except psycopg.errors.UndefinedTable:
        return False
    except psycopg.OperationalError as error:
        if "does not exist" in str(error):
            return False
        raise
    return bool(row and row[0] >= count)


def distribution(url: str) -> tuple[int, str, int]:
    """(accounts, how their contracts are spread, the busiest account's id)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT CASE WHEN n = 1 THEN '1 contract' WHEN n <= 3 THEN '2-3 contracts' "
                "WHEN n <= 9 THEN '4-9 contracts' ELSE '10 or more contracts' END AS band, "
                "count(*) AS accounts, sum(n) AS contracts FROM (SELECT account_id, count(*) AS n "
                "FROM contracts GROUP BY account_id) per GROUP BY band ORDER BY min(n)"
            )
        ).all()
        busiest = conn.scalar(
            text("SELECT account_id FROM contracts GROUP BY account_id ORDER BY count(*) DESC, "
                 "account_id LIMIT 1")
        )  # fmt: skip
    engine.dispose()
    accounts = sum(r.accounts for r in rows)
    spread = "; ".join(
        f"{r.accounts:,} accounts with {r.band} ({r.contracts:,} contracts)" for r in rows
    )
    return accounts, spread, int(busiest)


def run(count: int = CONTRACTS, seconds: float = SECONDS) -> list[Figure]:
    try:
        url = database(count)
    except Exception as error:  # no server, no rights: say so and leave the other sections be
        print(f"  skipped: PostgreSQL at {rb.ADMIN_URL} is not usable ({error})", flush=True)
        return []
    accounts, spread, busiest = distribution(url)
    print(f"  {count:,} contracts, {accounts:,} accounts: {spread}", flush=True)
    print(
        f"  served by gunicorn ({os.cpu_count()} cores on this machine), one sync worker; "
        f"each page against /contracts/ in turns for {seconds:.0f} s; median of the pairs' ratios",
        flush=True,
    )
    figures: list[Figure] = []
    with Served(url) as server:
        for role in ROLES:
            session = server.session(f"{role}@bench.test", rb.PASSWORD)
            pages = [
                (f"account page, busiest account ({role})", f"/accounts/{busiest}"),
                (f"retention report by year ({role})", REPORT.format(by="year")),
                (f"retention report by month ({role})", REPORT.format(by="month")),
            ]
            figures += [_figure(session, name, path, seconds) for name, path in pages]
    return figures


def _figure(session: Session, name: str, path: str, seconds: float) -> Figure:
    paired = compare(session, path, "/contracts/", seconds)
    return show(
        Figure(SECTION, name, 1 / paired.a_median, "req/s", f"<= {TARGET:g}x list",
               paired.time_ratio <= TARGET, how="served"),
        f"{paired.time_ratio:.2f}x the list's time; {paired.a_median * 1000:.0f} ms a request, "
        f"the list {paired.b_median * 1000:.0f} ms ({len(paired.a)} pairs)",
    )  # fmt: skip


def explain(url: str, sql: str) -> Any:
    """EXPLAIN ANALYZE of a statement on the bench database (for choosing indexes)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        plan = conn.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")).all()
    engine.dispose()
    return [r[0] for r in plan]
