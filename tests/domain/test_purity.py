"""The domain stays pure: importing it pulls in neither Flask, SQLAlchemy nor WeasyPrint."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("flask", "sqlalchemy", "weasyprint", "wtforms", "jinja2")


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


def test_domain_imports_no_framework() -> None:
    loaded = _modules_after("import hotelattrition.domain")
    assert not loaded & set(FORBIDDEN)


def test_settle_command_starts_without_framework() -> None:
    loaded = _modules_after("import hotelattrition.settle_command, hotelattrition.__main__")
    assert not loaded & set(FORBIDDEN)
