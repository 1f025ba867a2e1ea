"""The configurable reason lists: offer them, label them, add to them, retire from them."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from ..extensions import db
from ..models import User
from ..models.reasons import REASON_KINDS, Reason, reasons_of
from . import NotFound, ServiceError
from .audit import record_change
from .refusals import _

log = logging.getLogger(__name__)
CODE_MAX, LABEL_MAX = 40, 120


def reason_choices(kind: str, locale: str) -> list[tuple[str, str]]:
    """(code, label) pairs for a form's select, in the list's order."""
    return [(r.code, r.label(locale)) for r in reasons_of(kind)]


def reason_label(kind: str, code: str, locale: str) -> str:
    """A recorded reason in words; a code no longer listed shows as itself."""
    reason = db.session.scalar(select(Reason).where(Reason.kind == kind, Reason.code == code))
    return reason.label(locale) if reason else code


def reason_labels(kind: str, locale: str) -> dict[str, str]:
    """Every reason of a list in words (retired ones too), by code: one statement for a page
    that labels many rows."""
    return {r.code: r.label(locale) for r in reasons_of(kind, include_retired=True)}


def add_reason(
    kind: str, code: str, label_en: str, label_es: str, *, actor: User | str = "cli"
) -> Reason:
    """Add a reason at the end of its list, or bring a retired one back (new labels either
    way); audited."""
    code, label_en, label_es = code.strip(), label_en.strip(), label_es.strip()
    problems = _check(kind, code, label_en, label_es)
    if problems:
        raise ServiceError("; ".join(f"{f}: {m}" for f, m in problems), problems)
    reason = db.session.scalar(select(Reason).where(Reason.kind == kind, Reason.code == code))
    before = _audited(reason) if reason else None
    if reason is None:
        last = db.session.scalar(select(func.max(Reason.position)).where(Reason.kind == kind))
        reason = Reason(kind=kind, code=code, position=(last or 0) + 1)
        db.session.add(reason)
    reason.label_en, reason.label_es, reason.active = label_en, label_es, True
    db.session.flush()
    record_change(actor, "add_reason", "reason", f"{kind}/{code}",
                  _audited(reason) | {"before": before})  # fmt: skip
    log.info("reason added: %s/%s", kind, code)
    return reason


def retire_reason(kind: str, code: str, *, actor: User | str = "cli") -> None:
    """Stop offering a reason; what already cites it keeps it. A list keeps one at least."""
    reason = db.session.scalar(select(Reason).where(Reason.kind == kind, Reason.code == code))
    if reason is None:
        raise NotFound(_("no %(kind)s reason '%(code)s'", kind=kind, code=code))
    if reason.active and len(reasons_of(kind)) <= 1:
        message = _("A list keeps one reason at least: add another before retiring this one.")
        raise ServiceError(message, [("", message)])
    reason.active = False
    db.session.flush()
    record_change(actor, "retire_reason", "reason", f"{kind}/{code}", _audited(reason))
    log.info("reason retired: %s/%s", kind, code)


def _audited(reason: Reason) -> dict[str, object]:
    return {"en": reason.label_en, "es": reason.label_es, "active": reason.active}


def _check(kind: str, code: str, label_en: str, label_es: str) -> list[tuple[str, str]]:
    problems = []
    if kind not in REASON_KINDS:
        problems.append(("kind", _("Choose a list.")))
    plain = code.replace("_", "")
    if (
        not code
        or len(code) > CODE_MAX
        or not plain.isascii()
        or not plain.isalnum()
        or (not code.islower() and not plain.isdigit())
    ):
        problems.append(("code", _("A code is 1-40 lower-case letters, digits or _.")))
    for field, label in (("label_en", label_en), ("label_es", label_es)):
        if not label or len(label) > LABEL_MAX:
            problems.append((field, _("A label is 1-120 characters.")))
    return problems
