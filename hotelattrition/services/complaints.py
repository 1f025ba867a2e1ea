"""Complaints and service failures: record one on a contract, resolve it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Complaint, Contract, Reason, User
from ..models.complaints import SEVERITIES, TEXT_MAX
from . import ServiceError
from .audit import actor_name, record_change
from .refusals import _

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ComplaintData:
    happened: str
    department: str  # a "department" reason code
    severity: str  # low, medium, high
    action: str = ""  # what was done
    resolved: bool = False


def record_complaint(contract: Contract, data: ComplaintData, actor: User | str) -> Complaint:
    """Record what went wrong in the group's stay; resolved at once when it says so."""
    problems = _problems(data)
    if contract.voided_at is not None:
        problems.append(("", _("The contract is voided: nothing more is recorded on it.")))
    if problems:
        raise ServiceError("; ".join(m for _f, m in problems), problems)
    today, who = contract.property.today(), actor_name(actor)
    complaint = Complaint(
        contract_id=contract.id,
        happened=data.happened.strip(),
        department=data.department,
        severity=data.severity,
        action=data.action.strip(),
        recorded_on=today,
        recorded_by=who,
        resolved_on=today if data.resolved else None,
        resolved_by=who if data.resolved else "",
    )
    db.session.add(complaint)
    db.session.flush()
    record_change(actor, "record_complaint", "contract", contract.code, _audited(complaint))
    log.info(
        "complaint recorded: contract %s (id %s), complaint %s, %s, %s, %s",
        contract.code, contract.id, complaint.id, data.department, data.severity,
        "resolved" if data.resolved else "open",
    )  # fmt: skip
    return complaint


def resolve_complaint(complaint: Complaint, action: str, actor: User | str) -> Complaint:
    """Say what was done and close the complaint."""
    action = action.strip()
    problems = []
    if complaint.resolved:
        problems.append(("", _("This complaint is resolved already.")))
    if not action and not complaint.action:
        problems.append(("action", _("Say what was done.")))
    if len(action) > TEXT_MAX:
        problems.append(("action", _("At most %(max)d characters, please.", max=TEXT_MAX)))
    if problems:
        raise ServiceError("; ".join(m for _f, m in problems), problems)
    before = _audited(complaint)
    if action:
        complaint.action = action
    complaint.resolved_on = complaint.contract.property.today()
    complaint.resolved_by = actor_name(actor)
    db.session.flush()
    record_change(
        actor, "resolve_complaint", "contract", complaint.contract.code,
        _audited(complaint) | {"before": before},
    )  # fmt: skip
    log.info(
        "complaint resolved: contract %s (id %s), complaint %s",
        complaint.contract.code, complaint.contract_id, complaint.id,
    )  # fmt: skip
    return complaint


def _problems(data: ComplaintData) -> list[tuple[str, str]]:
    problems = []
    if not data.happened.strip():
        problems.append(("happened", _("Say what happened.")))
    for field, text in (("happened", data.happened), ("action", data.action)):
        if len(text) > TEXT_MAX:
            problems.append((field, _("At most %(max)d characters, please.", max=TEXT_MAX)))
    known = db.session.scalar(
        select(Reason.active).where(Reason.kind == "department", Reason.code == data.department)
    )
    if not known:
        problems.append(("department", _("Choose a department from the list.")))
    if data.severity not in SEVERITIES:
        problems.append(("severity", _("Choose a severity from the list.")))
    if data.resolved and not data.action.strip():
        problems.append(("action", _("Say what was done.")))
    return problems


def _audited(complaint: Complaint) -> dict[str, object]:
    return {
        "complaint": complaint.id,
        "happened": complaint.happened,
        "department": complaint.department,
        "severity": complaint.severity,
        "action": complaint.action,
        "resolved_on": complaint.resolved_on.isoformat() if complaint.resolved_on else None,
    }
