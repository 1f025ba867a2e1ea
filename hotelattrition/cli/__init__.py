"""The `hotelattrition` command group, a module per command group.

`cli` is built on first use (PEP 562), so `hotelattrition.cli.settle` imports neither Flask
nor SQLAlchemy: `hotelattrition settle` starts with the calculator alone.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "cli":
        from .group import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
