"""property at-risk-drop: the share room nights may fall before an account is at risk."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask

from hotelattrition.cli import cli
from hotelattrition.services.properties import get_property


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(cli, list(args))


def test_set_the_drop_and_refuse_a_bad_share(app: Flask, create_property: Any) -> None:
    create_property("MAD")
    assert get_property("MAD").at_risk_drop_pct == Decimal(25)  # the default
    done = run(app, "property", "at-risk-drop", "MAD", "30.5")
    assert done.exit_code == 0, done.output
    assert (
        done.stdout
        == "property MAD: accounts whose room nights fall more than 30.5 % are at risk\n"
    )
    assert get_property("MAD").at_risk_drop_pct == Decimal("30.5")
    for bad in ("101", "12.34567", "lots", "NaN"):
        refused = run(app, "property", "at-risk-drop", "MAD", bad)
        assert refused.exit_code != 0 and "percentage from 0 to 100" in refused.output, bad
    assert get_property("MAD").at_risk_drop_pct == Decimal("30.5")
