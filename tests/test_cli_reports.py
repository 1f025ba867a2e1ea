"""`hotelattrition report monthly` and `report early-warning`: the files and lines they write."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from hotelattrition.cli import cli
from tests.reports.reporting import stored_total


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(cli, list(args))


@pytest.mark.parametrize("fmt", ["csv", "html", "pdf"])
def test_report_monthly_writes_each_format(
    app: Flask, create_contract: Any, tmp_path: Path, fmt: str
) -> None:
    contract = create_contract()
    path = tmp_path / f"report.{fmt}"
    result = run(
        app, "report", "monthly", "--property", "MAD", "--month", "2027-03",
        "--format", fmt, "-o", str(path),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    total = stored_total(contract.property, date(2027, 3, 1), date(2027, 4, 1))
    assert result.stderr == f"monthly pickup MAD 2027-03: 1 groups; damages {total:.2f} EUR\n"
    data = path.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
    elif fmt == "html":
        assert b"<!doctype html>" in data and b"G-100" in data and b"<svg" in data
    else:
        rows = list(csv.DictReader(data.decode().splitlines()))
        assert rows[-1]["code"] == "total"
        assert rows[-1]["damages"] == f"{total:.2f}"


def test_report_monthly_refuses_an_unknown_property(app: Flask, database: Any) -> None:
    result = run(app, "report", "monthly", "--property", "NOPE", "--month", "2027-03")
    assert result.exit_code == 1
    assert result.stderr == "error: property NOPE not found\n"


def test_report_early_warning_as_text_and_csv(app: Flask, create_contract: Any) -> None:
    create_contract()
    text = run(app, "report", "early-warning", "--property", "MAD")
    assert text.exit_code == 0, text.stderr
    assert text.stdout.startswith("early warning MAD as of ")
    assert "behind pace;" in text.stdout.splitlines()[-1]
    as_csv = run(app, "report", "early-warning", "--property", "MAD", "--format", "csv")
    assert as_csv.stdout.splitlines()[0].startswith("code,group,account,status,currency")
