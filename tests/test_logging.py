"""Logging is configured once per process, its level read from HOTELATTRITION_LOG_LEVEL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROPERTY = ["property", "create", "MAD", "--name", "Madrid", "--currency", "EUR",
            "--locale", "es_ES", "--country", "ES"]  # fmt: skip


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ | env
    )


@pytest.fixture
def command(tmp_path: Path) -> object:
    """Run `hotelattrition ARGS` on a migrated SQLite file database, with extra environment."""
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}", "SECRET_KEY": "k"}
    env.pop("HOTELATTRITION_LOG_LEVEL", None)

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "hotelattrition", *args]
        return subprocess.run(argv, capture_output=True, text=True, env=env | extra)

    assert run("db", "upgrade").returncode == 0
    return run


def test_a_command_logs_its_operation_when_asked_and_prints_only_its_output_otherwise(
    command: object,
) -> None:
    quiet = command(*PROPERTY)  # type: ignore[operator]
    assert (quiet.returncode, quiet.stderr) == (0, "")
    assert quiet.stdout == "created property MAD (Madrid, EUR, es_ES)\n"
    told = command(*PROPERTY[:2], "CUN", *PROPERTY[3:], HOTELATTRITION_LOG_LEVEL="info")  # type: ignore[operator]
    assert told.returncode == 0
    assert told.stdout == "created property CUN (Madrid, EUR, es_ES)\n"
    [line] = told.stderr.splitlines()
    assert line.endswith(
        " INFO hotelattrition.services.properties: property created: CUN (id 2), EUR, es_ES"
    )


def test_logging_is_configured_once_per_process() -> None:
    done = _python(
        "import logging\n"
        "from hotelattrition.config import configure_logging\n"
        "from hotelattrition import create_app\n"
        "configure_logging('WARNING'); configure_logging('DEBUG'); create_app(web=False)\n"
        "print(logging.getLogger('hotelattrition').level, len(logging.getLogger().handlers))\n"
    )
    assert done.stdout.split() == ["30", "1"], done.stderr


def test_the_level_comes_from_the_environment_and_a_bad_one_is_said() -> None:
    code = (
        "import logging\n"
        "from hotelattrition.config import configure_logging\n"
        "configure_logging()\n"
        "print(logging.getLogger('hotelattrition').getEffectiveLevel())\n"
    )
    assert _python(code, HOTELATTRITION_LOG_LEVEL="debug").stdout.split() == ["10"]
    bad = _python(code, HOTELATTRITION_LOG_LEVEL="loud")
    assert bad.stdout.split() == ["20"]
    assert "HOTELATTRITION_LOG_LEVEL=LOUD is not one of DEBUG, INFO" in bad.stderr
