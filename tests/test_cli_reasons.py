"""reason list/add/retire: the configurable lists, complaint departments among them."""

from __future__ import annotations

from typing import Any

from flask import Flask

from hotelattrition.cli import cli
from hotelattrition.services.reasons import reason_choices


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(cli, list(args))


def test_add_and_retire_a_department(app: Flask, database: Any) -> None:
    assert run(app, "reason", "list", "department").stdout.splitlines()[0] == (
        "front_office\tFront office\tRecepción"
    )
    added = run(app, "reason", "add", "department", "spa", "--en", "Spa", "--es", "Spa y bienestar")
    assert added.exit_code == 0, added.output
    assert reason_choices("department", "es")[-1] == ("spa", "Spa y bienestar")
    assert run(app, "reason", "retire", "department", "spa").exit_code == 0
    assert "spa\tSpa\tSpa y bienestar\t(retired)" in run(app, "reason", "list", "department").stdout
    assert "spa" not in dict(reason_choices("department", "en"))
    bad = run(app, "reason", "add", "department", "Bad Code", "--en", "x", "--es", "x")
    assert bad.exit_code == 1 and "lower-case" in bad.output
    assert run(app, "reason", "retire", "department", "nope").exit_code == 1
