"""`python -m bench [SECTION ...]`: run the named benchmark sections, or all of them."""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
from collections.abc import Sequence

from . import Figure, machine

# Section name -> module under bench/ with a `run() -> list[Figure]`. Later sections
# (invoices, imports, reports) are added here.
SECTIONS: dict[str, str] = {
    "settlement": "bench.settlement",
    "invoices": "bench.invoices",
    "reports": "bench.reports",
    "pages": "bench.pages",
    "pms": "bench.pms",
    "commands": "bench.commands",
    "queue": "bench.queue",
    "retention": "bench.retention",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "sections", nargs="*", metavar="SECTION", help="one of: " + ", ".join(SECTIONS)
    )
    args = parser.parse_args(argv)
    unknown = [name for name in args.sections if name not in SECTIONS]
    if unknown:
        parser.error(
            "unknown section(s): " + ", ".join(unknown) + "; known: " + ", ".join(SECTIONS)
        )
    names = args.sections or list(SECTIONS)
    # The figures, not a log line per contract the sections create (unless asked for).
    os.environ.setdefault("HOTELATTRITION_LOG_LEVEL", "WARNING")

    print(
        f"bench: Python {platform.python_version()} on {platform.machine()}, {machine()}; "
        f"sections: {', '.join(names)}",
        flush=True,
    )
    figures: list[Figure] = []
    for name in names:
        print(f"\n== {name} ==", flush=True)
        start = time.perf_counter()
        figures += importlib.import_module(SECTIONS[name]).run()
        print(f"  ({name}: {time.perf_counter() - start:.1f} s; {machine()})", flush=True)

    judged = [f for f in figures if f.passed is not None]
    failed = [f for f in judged if not f.passed]
    print(f"\n== summary: {len(judged) - len(failed)}/{len(judged)} targets met ==")
    for f in judged:
        print(f"  {f.verdict:<4}  {f.section}: {f.name} [{f.how}] (target {f.target})")
    if failed:
        print(f"  {len(failed)} target(s) missed (reported only; exit status stays 0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
