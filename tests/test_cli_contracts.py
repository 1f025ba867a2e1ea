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
    credit_invoice(invoice.number, "cancelled by agreement")
    database.commit()
    unsaid = run(app, "contract", "import", str(path))  # cancelled, and no reason said
    assert unsaid.exit_code == 2, unsaid.stderr
    assert "/lost_reason: required for a lost or cancelled group" in unsaid.stderr
    invoice = issue_invoice(contract)
    database.commit()
    doc["lost_reason"] = "event_cancelled"
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


def import_text(app: Flask, tmp_path: Path, text: str) -> Any:
    path = tmp_path / "contract.json"
    path.write_text(text)
    return run(app, "contract", "import", str(path))


def count_contracts(database: Any) -> int:
    return database.scalar(select(func.count()).select_from(Contract))


def test_import_refuses_a_stay_of_centuries(
    app: Flask, database: Any, create_property: Any, tmp_path: Path
) -> None:
    create_property("MAD")
    doc = sample_document(arrival="0001-01-01", departure="9999-12-31", block=[], pickup=[])
    result = import_text(app, tmp_path, json.dumps(doc))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "/arrival: must be from 2000-01-01 to 2100-12-31",
        "/departure: must be from 2000-01-01 to 2100-12-31",
        "/departure: the stay may be at most 366 nights",
    ]
    assert count_contracts(database) == 0


def test_import_refuses_a_signed_on_outside_the_years_handled(
    app: Flask, database: Any, create_property: Any, tmp_path: Path
) -> None:
    create_property("MAD")
    result = import_text(app, tmp_path, json.dumps(sample_document(signed_on="1999-12-31")))
    assert (result.exit_code, result.stderr) == (
        2,
        "/signed_on: must be from 2000-01-01 to 2100-12-31\n",
    )
    assert count_contracts(database) == 0


def test_import_refuses_a_repeated_key(
    app: Flask, database: Any, create_property: Any, tmp_path: Path
) -> None:
    create_property("MAD")
    text = json.dumps(sample_document()).replace(
        '"allowance_pct": "20"', '"allowance_pct": "20", "allowance_pct": "90"'
    )
    result = import_text(
        app, tmp_path, text.replace('"code": "G-100"', '"code": "G-1", "code": "G-2"')
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "/code: duplicate key",
        "/room_attrition/allowance_pct: duplicate key",
    ]
    assert count_contracts(database) == 0


def test_import_checks_every_length_the_columns_hold(
    app: Flask, database: Any, create_property: Any, tmp_path: Path
) -> None:
    """Each too-long text named at its pointer, exit 2, no traceback, on both engines."""
    create_property("MAD")
    doc = sample_document(
        code="G" * 41,
        property="P" * 21,
        account="A" * 201,
        name="N" * 201,
        services=[{"name": "S" * 201, "minimum": "100.00"}],
    )
    doc["block"][3]["room_type"] = "R" * 21
    result = import_text(app, tmp_path, json.dumps(doc))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.splitlines() == [
        "/block/3/room_type: at most 20 characters",
        "/services/0/name: at most 200 characters",
        "/code: at most 40 characters",
        "/property: at most 20 characters",
        "/account: at most 200 characters",
        "/name: at most 200 characters",
    ]
    assert count_contracts(database) == 0


def test_import_of_texts_at_their_limits_is_stored(
    app: Flask, database: Any, create_property: Any, tmp_path: Path
) -> None:
    create_property("P" * 20)
    doc = sample_document(
        code="G" * 40,
        property="P" * 20,
        account="A" * 200,
        name="N" * 200,
        services=[{"name": "S" * 200, "minimum": "100.00", "actual": "10.00"}],
    )
    for row in doc["block"] + doc["pickup"]:
        row["room_type"] = (row["room_type"] * 10)[:20]
    result = import_text(app, tmp_path, json.dumps(doc))
    assert result.exit_code == 0, result.stderr
    contract = database.scalar(select(Contract))
    assert (len(contract.code), len(contract.name), len(contract.account.name)) == (40, 200, 200)


def test_import_refuses_counts_beyond_the_integer_column(
    app: Flask, database: Any, create_property: Any, tmp_path: Path
) -> None:
    create_property("MAD")
    doc = sample_document()
    doc["block"][0]["rooms"] = 2**31
    doc["pickup"][0]["rooms"] = 2**31
    doc["cancellation"]["schedule"][0]["min_days"] = 10**11
    result = import_text(app, tmp_path, json.dumps(doc))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.splitlines() == [
        "/block/0/rooms: must be at most 2147483647",
        "/pickup/0/rooms: must be at most 2147483647",
        "/cancellation/schedule/0/min_days: must be at most 2147483647",
    ]
    assert count_contracts(database) == 0


def test_export_writes_plain_decimals(app: Flask, create_property: Any, tmp_path: Path) -> None:
    create_property("MAD")
    doc = sample_document(room_attrition={"allowance_pct": "20", "rate": "1000", "tax_pct": "10"})
    for row in doc["block"]:
        row["rate"] = "100" if row["room_type"] == "DBL" else "1000"
    assert import_text(app, tmp_path, json.dumps(doc)).exit_code == 0
    exported = run(app, "contract", "export", "G-100")
    assert "E+" not in exported.stdout and "E-" not in exported.stdout
    got = json.loads(exported.stdout)
    assert got["room_attrition"]["allowance_pct"] == "20"
    assert got["room_attrition"]["rate"] == "1000.00"
    assert got["room_attrition"]["tax_pct"] == "10"
    assert {r["rate"] for r in got["block"]} == {"100.00", "1000.00"}


def test_property_with_a_currency_that_is_no_money_is_refused(app: Flask, database: Any) -> None:
    result = run(
        app, "property", "create", "MAD", "--name", "X", "--currency", "XXX", "--locale",
        "es_ES", "--country", "ES",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "unknown currency 'XXX'" in result.stderr
    assert database.scalar(select(func.count()).select_from(Property)) == 0
