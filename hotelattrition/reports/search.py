"""Substring search, the same on SQLite and PostgreSQL.

Contracts and accounts carry a search key (their name and code folded by domain.folding,
accents and case gone, trigram-indexed on PostgreSQL): `key_matches` folds the term the same
way and compares the keys as they are. Other columns are compared in lower case (`matches`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, func, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..domain.folding import fold

ESCAPE = "\\"


class folded(FunctionElement[str]):  # a SQL function, named like func.lower
    """The column in lower case, non-ASCII letters too ("ÁVILA" -> "ávila")."""

    type = String()
    name = "folded"
    inherit_cache = True


@compiles(folded)
def _lower(element: folded, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(folded, "sqlite")
def _unicode_lower(element: folded, compiler: Any, **kw: Any) -> str:
    # SQLite's own lower() folds ASCII only; extensions registers unicode_lower per connection.
    return f"unicode_lower({compiler.process(element.clauses, **kw)})"


def like_pattern(term: str) -> str:
    """A LIKE pattern finding the term anywhere, its % and _ taken literally."""
    escaped = term.lower()
    for char in (ESCAPE, "%", "_"):
        escaped = escaped.replace(char, ESCAPE + char)
    return f"%{escaped}%"


def matches(term: str, *columns: Any) -> ColumnElement[bool]:
    """True where any of the columns contains the term, ignoring case."""
    pattern = like_pattern(term)
    # An ASCII term can only match ASCII letters, which SQLite's own (fast) lower() folds.
    lower = func.lower if term.isascii() else folded
    return or_(*(lower(column).like(pattern, escape=ESCAPE) for column in columns))


def key_matches(term: str, *keys: Any) -> ColumnElement[bool]:
    """True where any of the search keys contains the term, accents and case ignored."""
    pattern = like_pattern(fold(term))
    return or_(*(key.like(pattern, escape=ESCAPE) for key in keys))
