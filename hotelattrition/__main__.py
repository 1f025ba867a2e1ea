"""The `hotelattrition` command: `settle` starts at once, everything else goes through Flask.

A command that renders a PDF forks its renderer first (cli/early.py), before Flask is loaded.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Dispatch `settle` before Flask, SQLAlchemy or WeasyPrint are imported."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["settle"]:
        from .cli.settle import run

        raise SystemExit(run(args[1:]))
    # Imports make objects that live as long as the process: the cyclic collector would walk
    # them again and again for nothing. It is on again, without them, once the command's
    # module is loaded (cli/group.py).
    gc.disable()
    from .cli.early import start_early

    start_early(args)
    from .cli.group import cli

    try:
        cli.main(args=args, prog_name="hotelattrition")
    finally:
        # What is left is freed at exit without the collector walking it all once more: a
        # fifth of `invoice issue`'s time went to that walk.
        gc.freeze()


if __name__ == "__main__":
    main()
