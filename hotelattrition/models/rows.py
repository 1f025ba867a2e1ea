"""Result rows read by name: a row becomes a record through its columns' labels, not order."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import Row

T = TypeVar("T")


def record(cls: Callable[..., T], row: Row[Any], **extra: Any) -> T:
    """The row as a `cls`, each field taken from the column labelled with its name."""
    return cls(**row._mapping, **extra)


def records(cls: Callable[..., T], rows: Iterable[Row[Any]]) -> list[T]:
    """Each row as a `cls` (see `record`)."""
    return [cls(**row._mapping) for row in rows]
