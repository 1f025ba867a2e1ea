"""A contract's audit trail as field changes: each changed field with its old and new value.

The audit log keeps whole sections (the F&B clause, the block) as they were and became; a
reader wants "F&B minimum 12,000.00 -> 10,000.00". Sections are compared key by key here;
the words and the formatting are the page's (web.contracts.history).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..models import AuditEntry

# Keys of a change that say when or how much, not a before and after.
_FACTS = ("on", "as_of", "figures_changed")


@dataclass(frozen=True)
class FieldChange:
    field: str  # a document key, dotted inside a section: "name", "fnb.minimum", "block"
    before: Any  # None: the field or section was added
    after: Any  # None: removed


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    actor: str
    action: str
    changes: tuple[FieldChange, ...]
    facts: tuple[tuple[str, Any], ...]  # ("on", "2027-01-15"), ("figures_changed", 3)


def history_items(entries: Iterable[AuditEntry]) -> list[HistoryItem]:
    """The entries with their changes field by field, in the entries' order."""
    return [
        HistoryItem(
            entry.at,
            entry.actor,
            entry.action,
            tuple(field_changes(entry.changes or {})),
            tuple((k, entry.changes[k]) for k in _FACTS if k in (entry.changes or {})),
        )
        for entry in entries
    ]


def field_changes(changes: dict[str, Any]) -> list[FieldChange]:
    """Each changed field: a section changed in place is compared key by key."""
    out: list[FieldChange] = []
    for key in sorted(changes):
        value = changes[key]
        if not _is_change(value):
            continue
        before, after = value["before"], value["after"]
        if isinstance(before, dict) and isinstance(after, dict):
            out += [
                FieldChange(f"{key}.{sub}", before.get(sub), after.get(sub))
                for sub in sorted(set(before) | set(after))
                if before.get(sub) != after.get(sub)
            ]
        else:
            out.append(FieldChange(key, before, after))
    return out


def _is_change(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"before", "after"}
