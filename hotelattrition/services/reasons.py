"""The configurable reason lists: offer them, label them, add to them, retire from them."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from ..extensions import db
from ..models.reasons import REASON_KINDS, Reason, reasons_of
from . import NotFound, ServiceError

log = logging.getLogger(__name__)


def reason_choices(kind: str, locale: str) -> list[tuple[str, str]]:
    """(code, label) pairs for a form's select, in the list's order."""
    return [(r.code, r.label(locale)) for r in reasons_of(kind)]


def reason_label(kind: str, code: str, locale: str) -> str:
    """A recorded reason in words; a code no longer listed shows as itself."""
    reason = db.session.scalar(select(Reason).where(Reason.kind == kind, Reason.code == code))
    return reason.label(locale) if reason else code


def add_reason(kind: str, code: str, label_en: str, label_es: str) -> Reason:
    """Add a reason at the end of its list (or bring a retired one back)."""
    problems = _check(kind, code, label_en, label_es)
    if problems:
        raise ServiceError("; ".join(f"{f}: {m}" for f, m in problems), problems)
    reason = db.session.scalar(select(Reason).where(Reason.kind == kind, Reason.code == code))
    if reason is None:
        last = db.session.scalar(select(func.max(Reason.position)).where(Reason.kind == kind))
        reason = Reason(kind=kind, code=code, position=(last or 0) + 1)
        db.session.add(reason)
    reason.label_en, reason.label_es, reason.active = label_en, label_es, True
    db.session.flush()
    log.info("reason added: %s/%s", kind, code)
    return reason


def retire_reason(kind: str, code: str) -> None:
    """Stop offering a reason; what already cites it keeps it."""
    reason = db.session.scalar(select(Reason).where(Reason.kind == kind, Reason.code == code))
    if reason is None:
        raise NotFound(f"no {kind} reason {code!r}")
    reason.active = False
    log.info("reason retired: %s/%s", kind, code)


def _check(kind: str, code: str, label_en: str, label_es: str) -> list[tuple[str, str]]:
    problems = []
    if kind not in REASON_KINDS:
        problems.append(("kind", f"unknown list {kind!r}"))
    if not code or len(code) > 40 or not code.replace("_", "").isalnum() or not code.islower():
        problems.append(("code", "a code is 1-40 lower-case letters, digits or _"))
    for field, label in (("label_en", label_en), ("label_es", label_es)):
        if not label.strip() or len(label) > 120:
            problems.append((field, "a label is 1-120 characters"))
    return problems
