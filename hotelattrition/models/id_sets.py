"""A condition "column is one of these values" that costs one parameter on PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY

from ..extensions import db


def among(column: Any, ids: Sequence[Any], dialect: str | None = None) -> ColumnElement[bool]:
    """`column = ANY(:ids)` on PostgreSQL, `column IN (...)` elsewhere.

    An IN list of 2,000 ids is 2,000 parameters to render, send and parse on every query;
    one array is one, and its statement is cached once whatever the batch's size. `dialect`
    names the engine when the caller holds a connection rather than the session's.
    """
    if (dialect or db.session.get_bind().dialect.name) == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=ARRAY(column.type)))
    return column.in_(list(ids))
