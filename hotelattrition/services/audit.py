"""Write audit entries: who changed what, when."""

from __future__ import annotations

from typing import Any

from ..extensions import db
from ..models import AuditEntry, User


def actor_name(actor: User | str) -> str:
    """Who did it, as documents and batches record it: a user's e-mail, or "cli"."""
    return actor.email if isinstance(actor, User) else str(actor)


def record_change(
    actor: User | str, action: str, entity: str, key: str, changes: dict[str, Any]
) -> AuditEntry:
    """Add one audit entry; `actor` is a user or a name such as "cli"."""
    user = actor if isinstance(actor, User) else None
    entry = AuditEntry(
        user_id=user.id if user else None,
        actor=user.email if user else str(actor),
        action=action,
        entity=entity,
        entity_key=key,
        changes=changes,
    )
    db.session.add(entry)
    return entry


def document_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The top-level keys whose values differ, as {key: {"before": .., "after": ..}}."""
    keys = sorted(set(before) | set(after))
    return {
        k: {"before": before.get(k), "after": after.get(k)}
        for k in keys
        if before.get(k) != after.get(k)
    }
