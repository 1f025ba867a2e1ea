"""Batch commands: issue-due with a bar and exit 1 naming failures, report pack, recompute."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from hotelattrition.cli import cli
from hotelattrition.models import Invoice, StoredSettlement
from hotelattrition.services.contracts import import_contract
from tests.invoicing import cancelled_document, madrid_today, stay_document

YEAR = madrid_today().year


def run(app: Flask, engine_name: str, *args: str) -> Any:
    # No worker runs in the suite: on PostgreSQL the command runs the items itself.
    here = ["--here"] if engine_name == "postgresql" else []
    return app.test_cli_runner().invoke(cli, [*args, *here])


def test_issue_due_issues_every_due_contract_and_says_so(
    app: Flask, database: Any, create_property: Any, engine_name: str
) -> None:
    create_property("MAD", "EUR")
    import_contract(stay_document("G-1"))
    import_contract(cancelled_document("C-2"))
    result = run(app, engine_name, "invoice", "issue-due", "--property", "MAD")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(": 2 done, 0 failed\n")
    assert "issue all due invoices, 2 items" in result.stderr
    assert "2/2" in result.stderr  # the tqdm bar
    invoices = database.scalars(sa.select(Invoice)).all()
    assert len(invoices) == 2 and all(i.pdf is not None for i in invoices)
    again = run(app, engine_name, "invoice", "issue-due")
    assert again.exit_code == 0 and again.stdout.endswith(": 0 done, 0 failed\n")


def test_issue_due_exits_1_naming_each_failed_item(
    app: Flask, database: Any, create_property: Any, engine_name: str, monkeypatch: Any
) -> None:
    from hotelattrition.services import batches

    create_property("MAD", "EUR")
    import_contract(stay_document("G-1"))
    import_contract(stay_document("G-2"))
    from hotelattrition import jobs

    real = jobs.HANDLERS["issue_due"]

    def flaky(item: Any) -> str:
        if item.key == "G-2":
            raise batches.ServiceError("the buyer has no tax id")
        return real(item)

    monkeypatch.setitem(jobs.HANDLERS, "issue_due", flaky)
    result = run(app, engine_name, "invoice", "issue-due", "--month", "2000-01")
    assert result.exit_code == 0  # nothing due in that month
    result = run(app, engine_name, "invoice", "issue-due")
    assert result.exit_code == 1
    assert "failed: G-2: the buyer has no tax id\n" in result.stderr
    assert result.stdout.endswith(": 1 done, 1 failed\n")
    assert database.scalar(sa.select(sa.func.count()).select_from(Invoice)) == 1


def test_issue_due_no_wait_only_queues_on_postgresql(
    app: Flask, database: Any, create_property: Any, engine_name: str
) -> None:
    create_property("MAD", "EUR")
    import_contract(stay_document("G-1"))
    result = app.test_cli_runner().invoke(cli, ["invoice", "issue-due", "--no-wait"])
    assert result.exit_code == 0, result.stderr
    issued = database.scalar(sa.select(sa.func.count()).select_from(Invoice))
    if engine_name == "postgresql":
        assert "queued" in result.stderr and issued == 0
        queued = database.scalar(
            sa.text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'batch_item'")
        )
        assert queued == 1
    else:
        assert issued == 1


def test_report_pack_writes_the_zip(
    app: Flask, database: Any, create_property: Any, engine_name: str, tmp_path: Path
) -> None:
    create_property("MAD", "EUR")
    import_contract(stay_document("G-1"))
    out = tmp_path / "pack.zip"
    month = f"{madrid_today():%Y-%m}"
    result = run(app, engine_name, "report", "pack", "--month", month, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    names = zipfile.ZipFile(io.BytesIO(out.read_bytes())).namelist()
    assert sorted(names) == [f"MAD-{month}.csv", f"MAD-{month}.pdf"]


def test_recompute_restores_stale_settlements(
    app: Flask, database: Any, create_property: Any, engine_name: str
) -> None:
    create_property("MAD", "EUR")
    import_contract(stay_document("G-1"))
    stored = database.scalar(sa.select(StoredSettlement))
    right = stored.total
    stored.total += 1
    database.commit()
    result = run(app, engine_name, "recompute", "--property", "MAD")
    assert result.exit_code == 0, result.stderr
    database.expire_all()
    assert database.scalar(sa.select(StoredSettlement.total)) == right


def test_worker_refuses_sqlite(app: Flask, engine_name: str) -> None:
    if engine_name != "sqlite":
        return
    result = app.test_cli_runner().invoke(cli, ["worker"])
    assert result.exit_code == 1 and "needs PostgreSQL" in result.stderr
