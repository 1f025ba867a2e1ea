"""The `hotelattrition` command: `settle` starts at once, everything else goes through Flask.

A command that renders a PDF forks its renderer first (cli/early.py), before Flask is loaded.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Dispatch `settle` before Flask, SQLAlchemy or WeasyPrint are imported."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["settle"]:
        from .cli.settle import run

        raise SystemExit(run(args[1:]))
    from .cli.early import start_early

    start_early(args)
    from .cli.group import cli

    cli.main(args=args, prog_name="hotelattrition")


if __name__ == "__main__":
    main()
