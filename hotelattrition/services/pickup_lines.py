"""The pickup file's text lines, decoded as they are read, and the problems a line can have.

The file is never held whole: a binary stream (or bytes, or an iterable of byte chunks) is
decoded incrementally and handed out a line at a time, numbered as an editor shows them.
A NUL byte and an over-long line are problems of their line; undecodable text (bad UTF-8, say)
ends the reading.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

MAX_PROBLEMS = 200  # problems listed; the rest are counted (a file of 1M bad rows stays small)
MAX_CELL = 128 * 1024  # characters: csv's own field limit, named in the message
MAX_LINE = 4 * 1024 * 1024  # characters of one line kept; the rest of a longer one is skipped
_UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (surrogateescape)

Source = bytes | BinaryIO | Iterable[bytes]


class Said(NamedTuple):
    """A problem's words in English with `%(name)s` for its values: the pages translate
    `text` (a catalogue message id) and fill in `params`; `str()` gives the English.

    A date value stays a date: `str()` writes it ISO, a page as its locale says dates."""

    text: str
    params: Mapping[str, object]

    def __str__(self) -> str:
        return self.text % self.params if self.params else self.text


def N_(text: str, **params: object) -> Said:
    """Mark a problem's words for the catalogue (extracted like gettext's N_), with values."""
    return Said(text, params)


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong where: a line of the file (the header is 1) and a column name."""

    line: int
    column: str
    message: Said

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.message}"


class Problems:
    """Problems appended in line order: the first MAX_PROBLEMS kept, the others counted."""

    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.total = 0

    def append(self, problem: Problem) -> None:
        self.total += 1
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(problem)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.kept)

    def __len__(self) -> int:
        return self.total


class NotUtf8(ValueError):
    """The text of a line is not UTF-8."""

    def __init__(self, line: int):
        super().__init__(f"line {line} is not UTF-8")
        self.line = line


class _Chunks(io.RawIOBase):
    """A binary stream over an iterable of byte chunks (a generator, say), read as needed."""

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            if (chunk := next(self._chunks, None)) is None:
                return 0
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def binary_stream(source: Source) -> BinaryIO:
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source)
    if hasattr(source, "read"):
        return source  # type: ignore[return-value]
    return io.BufferedReader(_Chunks(source))


class PickupText:
    """The lines of a pickup file, decoded as read; `number` and `last` tell the current one."""

    def __init__(self, source: Source, problems: Problems, encoding: str = "utf-8-sig"):
        self._stream = binary_stream(source)
        self.encoding = encoding
        self._text: io.TextIOWrapper | None = None
        self.problems = problems
        self.number = 0
        self.last = ""

    def __iter__(self) -> Iterator[str]:
        # newline="" keeps line ends for csv, which splits on \r, \n and \r\n as before.
        text = self._text = io.TextIOWrapper(
            self._stream, encoding=self.encoding, errors="surrogateescape", newline=""
        )
        while line := text.readline(MAX_LINE):
            self.number += 1
            if len(line) == MAX_LINE and not line.endswith(("\n", "\r")):
                line = self._skip_rest(text)
            if _UNDECODABLE.search(line):
                raise NotUtf8(self.number)
            if "\x00" in line:
                self.problems.append(Problem(self.number, "-", N_("contains a NUL byte")))
                line = line.replace("\x00", "")
            self.last = line
            yield line

    def _skip_rest(self, text: io.TextIOWrapper) -> str:
        """Read past the end of an over-long line; csv gets an empty line in its place."""
        while (rest := text.readline(MAX_LINE)) and not rest.endswith(("\n", "\r")):
            pass
        self.problems.append(Problem(self.number, "-", N_("the line is longer than 4 MiB")))
        return "\n"

    def close(self) -> None:
        """Let go of the stream without closing it: the caller opened it."""
        if self._text is not None:
            self._text.detach()
            self._text = None


def long_cell(line: str, delimiter: str) -> int | None:
    """The index of the first cell of `line` longer than MAX_CELL (minding quotes), or None."""
    index, length, quoted = 0, 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            index, length = index + 1, 0
        else:
            length += 1
            if length > MAX_CELL:
                return index
    return None
