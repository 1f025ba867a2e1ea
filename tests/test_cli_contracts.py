"""The property and contract commands: what they print, their exit codes, nothing half-written."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from hotelattrition.cli import cli
from hotelattrition.models import Contract, Property
from hotelattrition.services.invoices import credit_invoice, issue_invoice
from tests.conftest import sample_document
from tests.invoicing import stay_document


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(cli, list(args))


def test_property_create_prints_what_it_did(app: Flask, database: Any) -> None:
    result = run(
        app,
        "property",
        "create",
        "MAD",
        "--name",
        "Hotel Madrid",
        "--currency",
        "EUR",
        "--locale",
        "es_ES",
        "--country",
        "ES",
        "--timezone",
        "Europe/Madrid",
        "--rate",
        "fnb_tax_pct=10",
        "--payment-terms-days",
        "45",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "created property MAD (Hotel Madrid, EUR, es_ES)\n"
    prop = database.scalar(select(Property).where(Property.code == "MAD"))
    assert (prop.fnb_tax_pct, prop.payment_terms_days, prop.invoice_prefix) == (10, 45, "MAD")


def test_property_create_twice_exits_1(app: Flask, create_property: Any) -> None:
    create_property("MAD")
    result = run(
        app,
        "property",
        "create",
        "MAD",
        "--name",
        "X",
        "--currency",
        "EUR",
        "--locale",
        "es_ES",
        "--country",
        "ES",
    )
    assert result.exit_code == 1
    assert result.stderr == "error: property MAD already exists\n"


def test_property_create_names_each_bad_field(app: Flask, database: Any) -> None:
    result = run(
        app,
        "property",
        "create",
        "MAD",
        "--name",
        "X",
        "--currency",
        "EUX",
        "--locale",
        "xx_QQ",
        "--country",
        "QQ",
        "--timezone",
        "Mars/Base",
        "--rate",
        "fnb_tax_pct=120",
    )
    assert result.exit_code == 1
    for field in ("currency", "locale", "country", "timezone", "fnb_tax_pct"):
        assert field in result.stderr
    assert database.scalar(select(func.count()).select_from(Property)) == 0


def test_contract_import_then_export(app: Flask, create_property: Any, tmp_path: Path) -> None:
    create_property("MAD")
    path = tmp_path / "g.json"
    path.write_text(json.dumps(sample_document()))

    created = run(app, "contract", "import", str(path))
    again = run(app, "contract", "import", str(path))
    exported = run(app, "contract", "export", "G-100")

    assert created.exit_code == 0, created.stderr
    assert created.stdout.startswith("created contract G-100: 4 actual figures recorded")
    assert created.stdout.endswith("settlement total 4477.00\n")  # 1870 + 187 + 2000 + 200 + 220
    assert again.stdout.startswith("unchanged contract G-100: 0 actual figures recorded")
    assert json.loads(exported.stdout)["code"] == "G-100"


def test_invalid_import_exits_2_and_writes_nothing(
    app: Flask, database: Any, create_property: Any, tmp_path: Path
) -> None:
    create_property("MAD")
    doc = sample_document()
    doc["block"][1]["rooms"] = -5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    result = run(app, "contract", "import", str(path))
    assert result.exit_code == 2
    assert result.stderr == "/block/1/rooms: must be >= 0\n"
    assert database.scalar(select(func.count()).select_from(Contract)) == 0


def test_import_of_not_json_and_export_of_unknown(
    app: Flask, database: Any, tmp_path: Path
) -> None:
    path = tmp_path / "x.json"
    path.write_text("{not json")
    assert run(app, "contract", "import", str(path)).stderr == "/: not valid JSON\n"
    missing = run(app, "contract", "export", "NOPE")
    assert (missing.exit_code, missing.stderr) == (1, "error: contract NOPE not found\n")


def test_import_over_an_open_invoice_exits_2_until_it_is_credited(
    app: Flask, database: Any, create_contract: Any, tmp_path: Path
) -> None:
    contract = create_contract(**stay_document("G-100"))
    invoice = issue_invoice(contract)
    database.commit()  # the contract and its invoice stay when the import rolls back
    before = contract.settlement.total
    doc = stay_document(status="cancelled")  # cancelled 100 days before arrival: a fee instead
    doc["cancellation"] |= {"cancelled_on": (contract.arrival - timedelta(days=100)).isoformat()}
    path = tmp_path / "g.json"
    path.write_text(json.dumps(doc))

    refused = run(app, "contract", "import", str(path))

    assert refused.exit_code == 2
    assert refused.stderr == (
        f"error: contract G-100 has invoice {invoice.number} open: credit it first\n"
    )
    database.expire_all()
    assert (contract.status, contract.settlement.total) == ("definite", before)
    credit_invoice(invoice.number, "cancelled by agreement")
    database.commit()
    assert run(app, "contract", "import", str(path)).exit_code == 0
    database.expire_all()
    assert contract.status == "cancelled" and contract.settlement.total != before
