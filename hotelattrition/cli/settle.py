"""`hotelattrition settle`: the calculator on the command line, started without Flask.

It imports the domain alone (tests/domain/test_purity.py), so a single document costs little
more than starting Python.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from itertools import chain, islice
from typing import IO, Any

from ..domain import InvalidDocument, parse_json, settle, settlement_to_json
from ..domain.codec import errors_to_json

EXIT_INVALID = 2


def settle_text(text: str | bytes, language: str = "en") -> dict[str, Any]:
    """Settle one JSON document; raise InvalidDocument naming every problem."""
    return settlement_to_json(settle(parse_json(text)), language)


# One encoder for every answer: json.dumps with options builds a new one per call.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def answer_line(raw: bytes, language: str = "en") -> str:
    """The answer to one JSON Lines document: its settlement or its {"errors": [...]}."""
    try:
        result = settle_text(raw, language)
    except InvalidDocument as invalid:
        result = errors_to_json(invalid.problems)
    return _COMPACT.encode(result)


def answer_chunk(lines: list[bytes], language: str = "en") -> str:
    """The answers to a run of lines, one per line, a blank one too (with an error)."""
    return "".join([answer_line(raw, language) + "\n" for raw in lines])


def _chunks(source: IO[bytes], size: int) -> Iterator[list[bytes]]:
    while chunk := list(islice(source, size)):
        yield chunk


def answer_lines(
    source: IO[bytes], out: IO[str], language: str = "en", workers: int = 0, chunk: int = 500
) -> int:
    """Answer every line in order; a long input is spread over one process per core."""
    workers = workers or os.cpu_count() or 1
    chunks = _chunks(source, chunk)
    head = list(islice(chunks, 2))
    if workers == 1 or len(head) < 2:  # a short input is not worth starting processes
        for lines in chain(head, chunks):
            out.write(answer_chunk(lines, language))
        return 0
    # Imported here: one document, or a short batch, never pays for multiprocessing.
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    # Forked workers start with the calculator already imported, at no start-up cost.
    context = multiprocessing.get_context("fork" if os.name == "posix" else None)
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending: deque[Future[str]] = deque()
        for lines in chain(head, chunks):
            pending.append(pool.submit(answer_chunk, lines, language))
            if len(pending) > 2 * workers:  # bounded memory: never read far ahead of writing
                out.write(pending.popleft().result())
        while pending:
            out.write(pending.popleft().result())
    return 0


def arguments(argv: Sequence[str]) -> argparse.Namespace:
    """The command's arguments; `settle FILE` alone is read without building the parser."""
    if len(argv) == 1 and not argv[0].startswith("-"):
        # argparse measures the terminal for each argument it adds, importing shutil (and lzma
        # and bz2 with it): a tenth of a one-document settle. The defaults are the parser's.
        return argparse.Namespace(file=argv[0], lines=False, workers=0, language="en")
    return argument_parser().parse_args(argv)


def argument_parser() -> argparse.ArgumentParser:
    """The command's argument parser."""
    parser = argparse.ArgumentParser(
        prog="hotelattrition settle",
        description="Settle a settlement document v1 (JSON) and print the itemised settlement.",
    )
    parser.add_argument("file", help="the document, or - for standard input")
    parser.add_argument("--lines", action="store_true", help="read JSON Lines, answer each line")
    parser.add_argument(
        "--workers", type=int, default=0, help="processes for --lines (default: one per core)"
    )
    parser.add_argument(
        "--language", default="en", help="language of the line descriptions (en, es)"
    )
    return parser


def run(argv: Sequence[str]) -> int:
    """Run `settle` with its arguments; return the exit status."""
    args = arguments(argv)
    try:
        # Bytes in: the decoder reports a file that is not UTF-8 as "not valid JSON".
        source = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")  # noqa: SIM115
    except OSError as error:
        print(f"hotelattrition settle: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 1
    with source:
        if args.lines:
            return answer_lines(source, sys.stdout, args.language, max(args.workers, 0))
        try:
            result = settle_text(source.read(), args.language)
        except InvalidDocument as invalid:
            for pointer, message in invalid.problems:
                # One line per problem, even when a key or room type holds a line break.
                line = f"{pointer}: {message}".replace("\r", "\\r").replace("\n", "\\n")
                print(line, file=sys.stderr)
            return EXIT_INVALID
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
