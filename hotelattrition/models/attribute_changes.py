"""Whether a flush changes the fields a session hook keeps something from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import attributes


def changed(obj: Any, names: Sequence[str]) -> bool:
    """Whether any of the object's attributes `names` has a change pending."""
    return any(attributes.get_history(obj, name).has_changes() for name in names)
