"""Fixtures of the report tests."""

from __future__ import annotations

from typing import Any

import pytest

from .retention_book import build_book


@pytest.fixture
def book(database: Any, create_property: Any) -> dict[str, Any]:
    """The stored figures' random accounts (tests/reports/retention_book.py)."""
    return build_book(database, create_property)
