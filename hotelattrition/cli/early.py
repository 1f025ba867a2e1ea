"""What a command starts before Flask and SQLAlchemy are imported: its PDF renderer.

`invoice issue` and `invoice credit` render one document after numbering it. Their renderer is
forked here, first thing, so WeasyPrint and its fonts load while the parent loads the app and
numbers the document (documents/renderer.py); the command takes it when it renders.
"""

from __future__ import annotations

from collections.abc import Sequence

# The commands that render a PDF once their database work is done.
RENDERING = (("invoice", "issue"), ("invoice", "credit"))


def start_early(args: Sequence[str]) -> None:
    """Start what the command named by `args` will need, before its imports."""
    if tuple(args[:2]) in RENDERING and not {"--help", "-h"} & set(args):
        # Loaded once, before the fork, what both processes use: the documents' templates and
        # with them Jinja, Babel and the domain (the command words its invoice lines with them).
        from ..documents import invoices  # noqa: F401
        from ..documents.renderer import start

        start(prepare=_child_logging)


def _child_logging() -> None:
    """The renderer logs as its command does (a failed render's reason on stderr)."""
    from ..config import configure_logging

    configure_logging("WARNING")
