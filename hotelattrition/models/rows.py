"""Result rows read by name: a row becomes a record through its columns' labels, not order."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import Result, Row

T = TypeVar("T")


def record(cls: Callable[..., T], row: Row[Any], **extra: Any) -> T:
    """The row as a `cls`, each field taken from the column labelled with its name."""
    return cls(**row._mapping, **extra)


def records(cls: Callable[..., T], rows: Iterable[Row[Any]]) -> list[T]:
    """Each row as a `cls` (see `record`)."""
    fields = getattr(cls, "_fields", None)
    if fields is not None and isinstance(rows, Result) and tuple(rows.keys()) == fields:
        # A named tuple whose fields are the result's labels in their order: each row is one
        # as it stands, without a mapping and keywords per row (a list page builds fifty).
        make = cls._make  # type: ignore[attr-defined]
        return [make(row) for row in rows]
    return [cls(**row._mapping) for row in rows]
