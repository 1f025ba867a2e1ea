"""A renderer process forked as a command starts, so WeasyPrint loads beside the database work.

`hotelattrition invoice issue` spends as long loading WeasyPrint and preparing its fonts as it
spends loading Flask and SQLAlchemy and numbering the invoice. Forked before those are imported,
a child loads WeasyPrint and the fonts while the parent numbers the invoice; the parent then
sends the frozen snapshot, and the child sends back the PDF: the same bytes an in-process render
makes (tested).

Only the standard library is imported here. What both processes need (the documents' templates,
Babel, the domain) the caller imports before forking, so it is loaded once (cli/early.py).
Where fork is unavailable, or the child is gone, the caller renders in its own process.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import struct
from collections.abc import Callable
from typing import Any

from . import RenderError

_LENGTH = struct.Struct(">Q")
_OK, _FAILED = b"o", b"e"


class Renderer:
    """The parent's handle on a forked renderer: snapshots in, PDF bytes out."""

    def __init__(self, pid: int, requests: int, answers: int):
        self.pid = pid
        self._requests = os.fdopen(requests, "wb")
        self._answers = os.fdopen(answers, "rb")
        self.closed = False

    def invoice_pdf(self, snapshot: dict[str, Any]) -> bytes:
        """The document's PDF, rendered by the child; RenderError if it failed or is gone."""
        if self.closed:
            raise RenderError("PDF rendering failed: the renderer process is closed")
        try:
            _send(self._requests, json.dumps(snapshot).encode("utf-8"))
            status = self._answers.read(1)
            payload = _receive(self._answers)
        except (OSError, ValueError, EOFError) as exc:
            self.close()
            raise RenderError(f"PDF rendering failed: the renderer process ended ({exc})") from exc
        if status != _OK:
            raise RenderError(payload.decode("utf-8", "replace"))
        return payload

    def close(self, kill: bool = False) -> None:
        """End the child (at once when `kill`: its work is not wanted) and reap it."""
        if self.closed:
            return
        self.closed = True
        if kill:
            _quietly(lambda: os.kill(self.pid, signal.SIGKILL))
        _quietly(self._requests.close)  # the child reads the end of its requests and exits
        _quietly(self._answers.close)
        _quietly(lambda: os.waitpid(self.pid, 0))


_started: Renderer | None = None


def start(prepare: Callable[[], None] = lambda: None) -> None:
    """Fork the renderer for this process; `prepare` runs first in the child (its logging).

    A renderer nobody takes is killed when the process exits (a refused issue renders nothing).
    """
    global _started
    if _started is not None or not hasattr(os, "fork"):
        return
    from_parent, to_child = os.pipe()
    from_child, to_parent = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: it never returns into the command
        os.close(to_child)
        os.close(from_child)
        status = 1
        try:
            prepare()
            _serve(os.fdopen(from_parent, "rb"), os.fdopen(to_parent, "wb"))
            status = 0
        finally:
            os._exit(status)
    os.close(from_parent)
    os.close(to_parent)
    _started = Renderer(pid, to_child, from_child)
    atexit.register(_started.close, kill=True)


def take() -> Renderer | None:
    """The renderer started for this process (once), or None: then render in process."""
    global _started
    renderer, _started = _started, None
    return renderer


def _serve(requests: Any, answers: Any) -> None:
    """Load WeasyPrint and the fonts, then answer each snapshot with its PDF until the end."""
    from . import invoices, render

    render.prepare()
    while True:
        try:
            snapshot = json.loads(_receive(requests))
        except EOFError:
            return
        try:
            status, payload = _OK, invoices.invoice_pdf(snapshot)
        except Exception as exc:  # any failure is the parent's to report, as in process
            status, payload = _FAILED, str(exc).encode("utf-8")
        answers.write(status)
        _send(answers, payload)


def _send(stream: Any, payload: bytes) -> None:
    stream.write(_LENGTH.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _receive(stream: Any) -> bytes:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError("the other end closed")
    (length,) = _LENGTH.unpack(head)
    payload: bytes = stream.read(length)
    if len(payload) < length:
        raise EOFError("the other end closed mid-message")
    return payload


def _quietly(action: Callable[[], object]) -> None:
    with contextlib.suppress(OSError):  # a pipe already closed, a process already reaped
        action()
