"""A renderer process forked as a command starts, so WeasyPrint loads beside the database work.

`hotelattrition invoice issue` spends as long loading WeasyPrint and preparing its fonts as it
spends loading Flask and SQLAlchemy and numbering the invoice. Forked before those are imported,
a child loads WeasyPrint and the fonts while the parent numbers the invoice; the parent then
sends the frozen snapshot, and the child sends back the PDF: the same bytes an in-process render
makes (tested).

Only the standard library is imported here. What both processes need (the documents' templates,
Babel, the domain) the caller imports before forking, so it is loaded once (cli/early.py).
Where fork is unavailable, or the child is gone, the caller renders in its own process.

While it waits, the child renders a specimen invoice and throws it away: the first render of a
process costs twice the next (the template compiled, its stylesheet parsed, the glyphs shaped),
and the command waits for the real one. Rendering the specimen first changes no byte (tested).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import signal
import struct
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

from . import RenderError

_LENGTH = struct.Struct(">Q")
_OK, _FAILED = b"o", b"e"

# The invoice the renderer warms up on: every part of the template, in regular and bold type.
_LINE = {"label": "Cancelación, habitaciones", "tax_pct": "10", "amount": "13200.00"}
SPECIMEN: dict[str, Any] = {
    "kind": "invoice",
    "title": "invoice",
    "number": "SPECIMEN-1",
    "issued_on": "2026-01-02",
    "due_on": "2026-02-01",
    "language": "es",
    "locale": "es_ES",
    "currency": "EUR",
    "seller": {
        "name": "Hotel Gran Vía",
        "legal_name": "Gran Vía Hoteles S.L.",
        "address": "Gran Vía 42\n28013 Madrid",
        "country": "ES",
        "tax_id": "B12345678",
        "payment_instructions": "IBAN ES91 2100 0418 4502 0005 1332",
        "payment_terms_days": 30,
    },
    "buyer": {
        "name": "Congresos Ñandú S.A.",
        "address": "Calle Mayor 1",
        "tax_id": "A58818501",
        "contact_name": "Ana Núñez",
    },
    "contract": {
        "code": "G-1",
        "name": "Congreso",
        "arrival": "2026-03-02",
        "departure": "2026-03-05",
    },
    "settlement_status": "cancelled",
    "settled_on": "2026-01-02",
    "lines": [
        {**_LINE, "number": 1, "description": "Cancelación el 2 ene 2026: 26.400,00 EUR × 50 %"},
        {**_LINE, "number": 2, "description": "Mínimo de alimentos y bebidas 9.000,00 EUR"},
    ],
    "tax_breakdown": [{"tax_pct": "10", "base": "26400.00", "amount": "2640.00"}],
    "subtotal": "26400.00",
    "tax": "2640.00",
    "total": "29040.00",
    "credits": None,
}


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
        sys.stdout = sys.stderr  # the command's output is its parent's alone
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
    # The cyclic collector stays as the command left it, off while it loads (__main__): this
    # process lives for a document or two and exits without freeing anything.
    from . import invoices

    _load_render().prepare()
    warm_up(requests)
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


def warm_up(requests: Any) -> bool:
    """Render the specimen unless a document is asked for already; whether it was rendered."""
    if select.select([requests], [], [], 0)[0]:
        return False
    from .invoices import invoice_pdf

    with contextlib.suppress(Exception):  # a real render reports its own failure
        invoice_pdf(SPECIMEN)
    return True


def _load_render() -> ModuleType:
    """documents.render, with WeasyPrint: its libraries looked up by their sonames (Linux).

    WeasyPrint tries several names for each library, and for each name not found ctypes'
    find_library runs ldconfig, gcc and ld: a third of WeasyPrint's import, in processes beside
    the renderer's. Each list ends with the library's soname, which the dynamic loader finds
    where ldconfig would. A library found no other way still is: the import is tried again
    with the search.
    """
    import ctypes.util

    search = ctypes.util.find_library
    if sys.platform.startswith("linux"):
        ctypes.util.find_library = lambda name: None
    try:
        from . import render
    except OSError:
        ctypes.util.find_library = search
        from . import render
    finally:
        ctypes.util.find_library = search
    return render


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
