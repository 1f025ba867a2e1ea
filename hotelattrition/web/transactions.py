"""The web edge's transaction: every view commits once when it returns, rolls back on error.

As Indico's request handler does: services add and flush, never commit; the wrapper put
around every view commits after the view returned and rolls back when it raised (a 404, a
500). A refusal that the view catches and answers itself (a form shown again with its
problems) is rolled back where it is caught, by `refusal`, so that the page shows what is
stored. Work that must follow the commit (an invoice's PDF, once its number is taken and the
series unlocked) is queued with `after_commit` and committed on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Flask, g

from ..extensions import db
from ..services import ServiceError

Step = Callable[[], None]


def register_transactions(app: Flask) -> None:
    """Wrap every view of the app (call after the blueprints are registered)."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = transactional(view)


def transactional(view: Callable[..., Any]) -> Callable[..., Any]:
    """Commit once after the view returns, then run its after-commit steps; roll back on error."""

    @wraps(view)
    def run(*args: Any, **kwargs: Any) -> Any:
        g.after_commit = []
        try:
            response = view(*args, **kwargs)
            db.session.commit()
            for step in g.after_commit:
                step()
                db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        return response

    return run


def after_commit(step: Step) -> None:
    """Run the step once the view's work is committed, in a transaction of its own."""
    g.after_commit.append(step)


@dataclass
class Refusal:
    """What `refusal` caught: the error, or None when the work went through."""

    error: Any = None

    def __bool__(self) -> bool:
        return self.error is not None


@contextmanager
def refusal(*kinds: type[Exception], keep: bool = False) -> Iterator[Refusal]:
    """Catch a refusal (a ServiceError unless `kinds` name others) and roll its work back.

    `keep` commits the refused work with the answer instead: a failed sign-in must count.
    """
    caught = Refusal()
    catch: tuple[type[Exception], ...] = kinds or (ServiceError,)
    try:
        yield caught
    except catch as error:
        if not keep:
            db.session.rollback()
        caught.error = error
