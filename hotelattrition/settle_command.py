"""`hotelattrition settle`: the calculator on the command line, started without Flask."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import IO, Any

from .domain import InvalidDocument, parse_json, settle, settlement_to_json
from .domain.codec import errors_to_json

EXIT_INVALID = 2


def settle_text(text: str | bytes, language: str = "en") -> dict[str, Any]:
    """Settle one JSON document; raise InvalidDocument naming every problem."""
    return settlement_to_json(settle(parse_json(text)), language)


def answer_lines(source: IO[str], out: IO[str], language: str = "en") -> int:
    """Answer each JSON Lines document with its settlement or its {"errors": [...]}."""
    write = out.write
    for raw in source:
        if not raw.strip():
            continue
        try:
            result = settle_text(raw, language)
        except InvalidDocument as invalid:
            result = errors_to_json(invalid.problems)
        write(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n")
    return 0


def run(argv: Sequence[str]) -> int:
    """Run `settle` with its arguments; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="hotelattrition settle",
        description="Settle a settlement document v1 (JSON) and print the itemised settlement.",
    )
    parser.add_argument("file", help="the document, or - for standard input")
    parser.add_argument("--lines", action="store_true", help="read JSON Lines, answer each line")
    parser.add_argument(
        "--language", default="en", help="language of the line descriptions (en, es)"
    )
    args = parser.parse_args(argv)
    try:
        source = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")  # noqa: SIM115
    except OSError as error:
        print(f"hotelattrition settle: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 1
    with source:
        if args.lines:
            return answer_lines(source, sys.stdout, args.language)
        try:
            result = settle_text(source.read(), args.language)
        except InvalidDocument as invalid:
            for pointer, message in invalid.problems:
                print(f"{pointer}: {message}", file=sys.stderr)
            return EXIT_INVALID
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
