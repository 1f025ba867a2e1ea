"""What every database command shares: commit once at the edge, and the exit statuses."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from ..domain import InvalidDocument
from ..extensions import db
from ..services import ServiceError
from ..services.contract_locks import InvoicedContract

EXIT_REFUSED, EXIT_INVALID = 1, 2


@contextmanager
def committing() -> Iterator[None]:
    """Commit once at the edge; roll back and exit with a clear message on any refusal."""
    try:
        yield
        db.session.commit()
    except InvalidDocument as invalid:
        db.session.rollback()
        for pointer, message in invalid.problems:
            click.echo(f"{pointer}: {message}", err=True)
        sys.exit(EXIT_INVALID)
    except InvoicedContract as invoiced:  # the input itself cannot go through: status 2
        db.session.rollback()
        click.echo(f"error: {invoiced}", err=True)
        sys.exit(EXIT_INVALID)
    except ServiceError as refused:
        db.session.rollback()
        click.echo(f"error: {refused}", err=True)
        sys.exit(EXIT_REFUSED)
    except BaseException:
        db.session.rollback()
        raise
