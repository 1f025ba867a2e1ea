"""Real queue processes for the fault tests: a scratch database, due contracts, a private
PostgreSQL server; the workers themselves are started by bench.worker_processes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import sqlalchemy as sa

from bench.worker_processes import WORKER_ENV, start_worker, stop, wait_for

__all__ = [
    "WORKER_ENV",
    "PrivateServer",
    "scratch_database",
    "seed_due_contracts",
    "start_worker",
    "stop",
    "wait_for",
]


def scratch_database(base_url: str, suffix: str) -> str:
    """An empty database `<name>_<suffix>` on the server of base_url; its URL."""
    url = sa.make_url(base_url)
    name = f"{url.database}_{suffix}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def seed_due_contracts(count: int) -> list[str]:
    """A property and `count` contracts cancelled yesterday (fee due now), committed."""
    from hotelattrition.extensions import db
    from hotelattrition.services.contracts import import_contract
    from hotelattrition.services.properties import PropertyData, create_property
    from tests.invoicing import cancelled_document

    create_property(
        PropertyData(code="MAD", name="Hotel MAD", currency="EUR", locale="es_ES", country="ES",
                     timezone="Europe/Madrid", tax_id="B12345678")
    )  # fmt: skip
    codes = [f"C-{i:04d}" for i in range(count)]
    for code in codes:
        import_contract(cancelled_document(code) | {"account": f"Account {code}"})
    db.session.commit()
    return codes


class PrivateServer:
    """A PostgreSQL server of our own (initdb in a temporary folder, its own port), so a
    test may restart it without touching the server other suites share."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.data = folder / "data"

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip

    def start(self) -> str:
        import shutil

        self.folder.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.folder, "postgres")
        self._as_postgres("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust")
        self._pg_ctl("start")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._as_postgres("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                          str(self.folder / "server.log"), "-w", action, *extra)  # fmt: skip

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        if self.data.exists():
            self._pg_ctl("stop", "-m", "immediate")
