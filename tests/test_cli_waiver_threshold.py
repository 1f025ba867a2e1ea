"""property waiver-threshold: waivers above it wait for a manager."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask

from hotelattrition.cli import cli
from hotelattrition.services.properties import get_property


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(cli, list(args))


def test_set_the_threshold_and_refuse_a_bad_amount(app: Flask, create_property: Any) -> None:
    create_property("MAD")
    done = run(app, "property", "waiver-threshold", "MAD", "500.00")
    assert done.exit_code == 0, done.output
    assert done.stdout == "property MAD: waivers above 500.00 EUR need a manager's approval\n"
    assert get_property("MAD").waiver_approval_threshold == Decimal("500.00")
    for bad in ("-1", "12.345", "lots", "1e13"):
        refused = run(app, "property", "waiver-threshold", "MAD", bad)
        assert refused.exit_code != 0 and "threshold" in refused.output, bad
    assert get_property("MAD").waiver_approval_threshold == Decimal("500.00")
    unknown = run(app, "property", "waiver-threshold", "XXX", "1")
    assert unknown.exit_code != 0 and "XXX" in unknown.output
