"""The web edge commits once: after a view returns; a raise or a caught refusal rolls back."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from hotelattrition.extensions import db
from hotelattrition.models import Account
from hotelattrition.services import ServiceError
from hotelattrition.web.problems import show_problems
from hotelattrition.web.transactions import after_commit, refusal, transactional

WEB = Path(__file__).resolve().parents[2] / "hotelattrition" / "web"


def _names() -> list[str]:
    """Account names that survive a rollback: what was committed."""
    db.session.rollback()
    return list(db.session.scalars(select(Account.name).order_by(Account.name)))


def _add(name: str) -> None:
    db.session.add(Account(name=name))
    db.session.flush()


def test_a_view_that_returns_is_committed(app: Flask, database: Any) -> None:
    with app.test_request_context():
        assert transactional(lambda: _add("kept") or "page")() == "page"
        assert _names() == ["kept"]


def test_a_view_that_raises_is_rolled_back(app: Flask, database: Any) -> None:
    def view() -> str:
        _add("lost")
        raise RuntimeError("boom")

    with app.test_request_context():
        with pytest.raises(RuntimeError):
            transactional(view)()
        assert _names() == []


def test_a_caught_refusal_is_rolled_back_before_the_page_is_drawn(
    app: Flask, database: Any
) -> None:
    seen: list[list[str]] = []

    def view() -> str:
        _add("before")
        with refusal() as refused:
            _add("refused")
            raise ServiceError("no")
        # The page reads the stored state: the refused work is gone already.
        seen.append(list(db.session.scalars(select(Account.name))))
        return "page" if refused else "?"

    with app.test_request_context():
        assert transactional(view)() == "page"
        assert seen == [[]]
        assert _names() == []


def test_a_kept_refusal_is_committed_with_the_answer(app: Flask, database: Any) -> None:
    def view() -> str:
        with refusal(ServiceError, keep=True) as refused:
            _add("attempt")
            raise ServiceError("wrong password")
        return str(refused.error)

    with app.test_request_context():
        assert transactional(view)() == "wrong password"
        assert _names() == ["attempt"]


def test_refusal_lets_other_errors_through(app: Flask, database: Any) -> None:
    with app.test_request_context(), pytest.raises(KeyError), refusal():
        raise KeyError("not a refusal")


def test_after_commit_steps_run_in_their_own_transaction(app: Flask, database: Any) -> None:
    events: list[Any] = []

    def step() -> None:
        events.append(("view's work committed", db.session().in_transaction()))
        _add("pdf")

    def view() -> str:
        _add("invoice")
        after_commit(step)
        events.append("view returned")
        return "page"

    with app.test_request_context():
        transactional(view)()
        assert events == ["view returned", ("view's work committed", False)]
        assert _names() == ["invoice", "pdf"]


def test_every_view_is_wrapped(app: Flask) -> None:
    for endpoint, view in app.view_functions.items():
        if endpoint != "static":
            assert view.__code__ is transactional(print).__code__, endpoint


def test_views_commit_and_roll_back_only_through_the_edge() -> None:
    """No view calls commit() or rollback() itself: the edge does, in one place."""
    calls = []
    for path in WEB.rglob("*.py"):
        if path.name == "transactions.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in {"commit", "rollback"}:
                calls.append(f"{path.relative_to(WEB)}:{node.lineno} {node.attr}")
    assert calls == []


def _field(*errors: str) -> SimpleNamespace:
    return SimpleNamespace(errors=list(errors))


def test_problems_go_next_to_their_fields() -> None:
    amount, rooms, reference = _field(), _field(), _field("required")
    fields = {"amount": amount, "/block/0": rooms, "reference": reference}
    loose = show_problems(
        [
            ("amount", "too much"),
            ("/block/0/rooms", "must be >= 0"),  # the row's field owns its cells
            ("reference", "too long"),  # the field already says why: one message
            ("/fnb", "unknown key"),
            ("", "refused"),
        ],
        fields,
        translate=str.upper,
    )
    assert amount.errors == ["TOO MUCH"]
    assert rooms.errors == ["MUST BE >= 0"]
    assert reference.errors == ["required"]
    assert loose == ["/fnb: UNKNOWN KEY", "REFUSED"]


def test_problems_no_field_owns_go_to_the_fallback() -> None:
    amount = _field()
    assert show_problems([("currency", "unknown")], {}, fallback=amount) == []
    assert amount.errors == ["unknown"]
