"""The occupancy, dispute-window and evidence commands."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from hotelattrition.cli import cli
from hotelattrition.models import AuditEntry, Contract, PropertyOccupancy
from hotelattrition.services.invoices import issue_invoice
from tests.invoicing import stay_document


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(cli, list(args))


def test_occupancy_window_and_evidence(
    app: Flask, database: Any, create_contract: Any, tmp_path: Any
) -> None:
    contract = create_contract(**stay_document())
    night = contract.nights[0].isoformat()
    done = run(app, "property", "occupancy", "MAD", night, "--sold", "180", "--available", "200")
    assert done.exit_code == 0, done.output
    assert database.scalar(sa.select(PropertyOccupancy.sold)) == 180
    refused = run(app, "property", "occupancy", "MAD", night, "--sold", "1", "--available", "0")
    assert refused.exit_code != 0 and "Rooms available: between 1 and 100000." in refused.output
    window = run(app, "contract", "dispute-window", "G-100", "30")
    assert window.exit_code == 0 and "30 days after issue" in window.output
    assert database.scalar(sa.select(Contract.dispute_window_days)) == 30
    entry = database.scalars(sa.select(AuditEntry).where(AuditEntry.action == "dispute_window"))
    assert entry.one().changes == {"dispute_window_days": {"before": 14, "after": 30}}
    assert run(app, "contract", "dispute-window", "G-100", "400").exit_code != 0
    number = issue_invoice(database.scalar(sa.select(Contract))).number
    database.commit()
    out = tmp_path / "pack.pdf"
    pack = run(app, "invoice", "evidence", number, "--language", "es", "-o", str(out))
    assert pack.exit_code == 0, pack.output
    assert out.read_bytes().startswith(b"%PDF")
