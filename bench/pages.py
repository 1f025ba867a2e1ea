"""Pages section: the contracts list and /invoices served by gunicorn at 100,000 contracts.

Uses the reports section's PostgreSQL database (hotelattrition_bench on BENCH_POSTGRES) when
it holds the 100,000 contracts already, and builds it otherwise; adds 2,500 invoices with
credit notes and payments (bench/invoice_data.py). Every figure is served: gunicorn runs the
app in another process and this one times GETs over HTTP, the two pages of a pair in turns.
* the contracts list against the same 50-row page rendered from a compiled template file
  (bench/templates/bench_plain.html) by the same gunicorn: >= 0.5x its rate;
* /invoices (2,500 documents, the first page) against the contracts list: <= 3x its time.
"""

from __future__ import annotations

import os

from sqlalchemy import func, select

from . import Figure, Paired, interleaved_for, show
from . import reports as rb
from .invoice_data import load_invoices
from .served import Served, Session

SECTION = "pages"
SECONDS = float(os.environ.get("BENCH_PAGE_SECONDS", "6"))  # per pair of pages and role
TARGET_LIST = 0.5  # the list's rate over the plain page's, at least
TARGET_INVOICES = 3.0  # /invoices' time over the list's, at most
ROLES = ("sales", "admin")


def database(large: int = rb.LARGE) -> str:
    """The bench database with `large` contracts and the invoices; its URL."""
    from flask_migrate import upgrade

    from hotelattrition.extensions import db
    from hotelattrition.models import Contract, Invoice

    url = rb.recreate_database() if not _has(large) else _url()
    app = rb.bench_app(url)
    with app.app_context():
        upgrade()
        have = db.session.scalar(select(func.count()).select_from(Contract))
        if have < large:
            rb.grow(have, large)
        if not db.session.scalar(select(func.count()).select_from(Invoice)):
            counts = load_invoices(rb.driver_connection())
            db.session.commit()
            print(f"  invoices added: {counts}", flush=True)
        db.engine.dispose()
    return url


def _url() -> str:
    return f"{rb.ADMIN_URL.replace('postgresql://', 'postgresql+psycopg://')}/{rb.DATABASE}"


def _has(large: int) -> bool:
    """Whether the bench database exists with at least `large` contracts."""
    import psycopg

    try:
        with psycopg.connect(f"{rb.ADMIN_URL}/{rb.DATABASE}") as conn:
            row = conn.execute("SELECT count(*) FROM contracts").fetchone()
    except psycopg.errors.UndefinedTable:
        return False
    except psycopg.OperationalError as error:
        # Only a missing database means building it (minutes); any other trouble (too many
        # clients, say) is reported, not answered by dropping the data set.
        if "does not exist" in str(error):
            return False
        raise
    return bool(row and row[0] >= large)


def compare(session: Session, a: str, b: str, seconds: float = SECONDS) -> Paired:
    """Serve `a` and `b` in turns for about `seconds`: their paired times."""
    return interleaved_for(lambda: session.get(a), lambda: session.get(b), seconds)


def run(large: int = rb.LARGE, seconds: float = SECONDS) -> list[Figure]:
    """Build or reuse the data, serve it, measure and print; return the figures."""
    try:
        url = database(large)
    except Exception as error:  # no server, no rights: say so and leave the other sections be
        print(f"  skipped: PostgreSQL at {rb.ADMIN_URL} is not usable ({error})", flush=True)
        return []
    figures: list[Figure] = []
    print(
        f"  served by gunicorn ({os.cpu_count()} cores on this machine), one sync worker; "
        f"GETs over HTTP from the bench process, each page pair in turns for {seconds:.0f} s; "
        "figures are the median of the pairs' ratios",
        flush=True,
    )
    with Served(url) as server:
        for role in ROLES:
            session = server.session(f"{role}@bench.test", rb.PASSWORD)
            figures += _role_figures(session, role, seconds)
    return figures


def _role_figures(session: Session, role: str, seconds: float) -> list[Figure]:
    listed = session.rows("/contracts/")
    invoices = session.rows("/invoices/")
    plain = compare(session, "/contracts/", "/bench/plain", seconds)
    show(Figure(SECTION, f"plain 50-row template file page ({role})", 1 / plain.b_median,
                "req/s", how="served"))  # fmt: skip
    figures = [
        show(
            Figure(SECTION, f"contracts list, {listed} rows ({role})", 1 / plain.a_median,
                   "req/s", f">= {TARGET_LIST}x plain", plain.rate_ratio >= TARGET_LIST,
                   how="served"),
            f"{plain.rate_ratio:.2f}x the plain page's rate ({len(plain.a)} pairs)",
        )
    ]  # fmt: skip
    paired = compare(session, "/invoices/", "/contracts/", seconds)
    figures.append(
        show(
            Figure(SECTION, f"/invoices, {invoices} rows ({role})", 1 / paired.a_median,
                   "req/s", f"<= {TARGET_INVOICES:g}x list", paired.time_ratio <= TARGET_INVOICES,
                   how="served"),
            f"{paired.time_ratio:.2f}x the list's time; {paired.a_median * 1000:.0f} ms a "
            f"request ({len(paired.a)} pairs)",
        )
    )  # fmt: skip
    return figures
