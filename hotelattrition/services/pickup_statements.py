"""Final pickup statements: published by the hotel after departure, answered by the planner.

publish_statement freezes, night by night and room type by room type, the block, pickup,
resold and outside-block rooms as the settlement uses them (the contract's terms, read the one
way settlements read them). A statement never changes; publishing again after a correction
adds a version. The planner replies to the latest version through the link, accepting each
night or commenting on it. An attrition invoice records the statement it was issued on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from ..domain.terms import Terms
from ..extensions import db
from ..models import Contract, Invoice, InvoiceStatement, PickupStatement, StatementReply, User
from ..models.pickup_statements import COMMENT_MAX
from . import ServiceError
from .audit import actor_name, record_change
from .contract_terms import terms_of
from .refusals import _, day

log = logging.getLogger(__name__)

STATES = ("published", "accepted", "commented")


def statement_nights(terms: Terms) -> list[dict[str, Any]]:
    """The stay's nights as the settlement reads them: rooms per room type, resold, outside."""
    rooms: dict[date, dict[str, dict[str, int]]] = defaultdict(dict)

    def cell(night: date, room_type: str) -> dict[str, int]:
        return rooms[night].setdefault(room_type, {"block": 0, "released": 0, "pickup": 0})

    for b in terms.block:
        cell(b.night, b.room_type)["block"] += b.rooms
    for r in terms.released:
        cell(r.night, r.room_type)["released"] += r.rooms
    for p in terms.pickup:
        if terms.arrival <= p.night < terms.departure:
            cell(p.night, p.room_type)["pickup"] += p.rooms
    resold = {r.night: r.rooms for r in terms.resold}
    outside = {o.night: o.rooms for o in terms.outside_block}
    return [
        {
            "night": night.isoformat(),
            "rooms": [
                {"room_type": room_type} | figures
                for room_type, figures in sorted(rooms[night].items())
            ],
            "resold": resold.get(night, 0),
            "outside_block": outside.get(night, 0),
        }
        for night in terms.nights
    ]


def digest(nights: list[dict[str, Any]]) -> str:
    return hashlib.sha256(json.dumps(nights, sort_keys=True).encode("utf-8")).hexdigest()


def latest_statement(contract: Contract) -> PickupStatement | None:
    return db.session.scalars(
        select(PickupStatement)
        .where(PickupStatement.contract_id == contract.id)
        .order_by(PickupStatement.version.desc())
    ).first()


def statements_of(contract: Contract) -> list[PickupStatement]:
    """Every published version, the latest first."""
    return list(
        db.session.scalars(
            select(PickupStatement)
            .where(PickupStatement.contract_id == contract.id)
            .order_by(PickupStatement.version.desc())
        )
    )


def latest_reply(statement: PickupStatement) -> StatementReply | None:
    return statement.replies[-1] if statement.replies else None


def statement_state(statement: PickupStatement) -> str:
    """published (no reply yet), accepted (every night), or commented."""
    reply = latest_reply(statement)
    if reply is None:
        return "published"
    return "accepted" if reply.accepted else "commented"


def publish_statement(contract: Contract, actor: User | str) -> PickupStatement:
    """Publish the final pickup as the settlement uses it now; refused before departure."""
    if contract.voided_at is not None or contract.status in ("tentative", "lost", "cancelled"):
        raise ServiceError(
            _(
                "Contract %(code)s has no stay to state: a final pickup statement is for groups "
                "that stayed.",
                code=contract.code,
            )
        )
    today = contract.property.today()
    if today <= contract.departure:
        raise ServiceError(
            _(
                "The final pickup is published after departure (%(departure)s); today is "
                "%(today)s.",
                departure=day(contract.departure),
                today=day(today),
            )
        )
    nights = statement_nights(terms_of(contract))
    sha = digest(nights)
    latest = latest_statement(contract)
    if latest is not None and latest.sha256 == sha:
        raise ServiceError(
            _(
                "Version %(version)s already states these figures: nothing changed since.",
                version=latest.version,
            )
        )
    version = (
        db.session.scalar(
            select(func.max(PickupStatement.version)).where(
                PickupStatement.contract_id == contract.id
            )
        )
        or 0
    ) + 1
    statement = PickupStatement(
        contract_id=contract.id,
        version=version,
        nights=nights,
        sha256=sha,
        published_by=actor_name(actor),
    )
    db.session.add(statement)
    db.session.flush()
    record_change(
        actor, "publish_statement", "contract", contract.code,
        {"statement": statement.id, "version": version, "sha256": sha},
    )  # fmt: skip
    log.info(
        "final pickup statement published: contract %s (id %s), version %s, %d nights",
        contract.code, contract.id, version, len(nights),
    )  # fmt: skip
    return statement


@dataclass(frozen=True)
class NightAnswer:
    """The planner's answer for one night: accepted, or a comment."""

    night: date
    accepted: bool
    comment: str = ""


def reply_to_statement(
    statement: PickupStatement, answers: list[NightAnswer], by: str
) -> StatementReply:
    """Record the planner's answer to the latest statement: every night accepted or commented."""
    latest = latest_statement(statement.contract)
    if latest is None or latest.id != statement.id:
        raise ServiceError(_("A newer statement was published: answer that one."))
    nights = [n["night"] for n in statement.nights]
    given = {a.night.isoformat(): a for a in answers}
    problems: list[tuple[str, str]] = []
    for night in nights:
        answer = given.get(night)
        if answer is None:
            problems.append((night, _("Accept this night or comment on it.")))
        elif not answer.accepted and not answer.comment.strip():
            problems.append((night, _("Say what is wrong with this night.")))
        elif len(answer.comment) > COMMENT_MAX:
            problems.append((night, _("At most %(max)s characters.", max=COMMENT_MAX)))
    unknown = sorted(set(given) - set(nights))
    if unknown:
        problems.append((unknown[0], _("This night is not in the stay.")))
    if problems:
        raise ServiceError(_("Some nights need an answer."), problems)
    rows = [
        {
            "night": night,
            "accepted": given[night].accepted,
            "comment": "" if given[night].accepted else given[night].comment.strip(),
        }
        for night in nights
    ]
    reply = StatementReply(
        statement_id=statement.id,
        accepted=all(r["accepted"] for r in rows),
        nights=rows,
        replied_by=by[:254],
    )
    db.session.add(reply)
    db.session.flush()
    db.session.expire(statement, ["replies"])
    contract = statement.contract
    record_change(
        by, "reply_statement", "contract", contract.code,
        {"statement": statement.id, "version": statement.version, "accepted": reply.accepted,
         "commented": [r["night"] for r in rows if not r["accepted"]]},
    )  # fmt: skip
    log.info(
        "final pickup statement answered: contract %s (id %s), version %s, %s, %d nights "
        "commented",
        contract.code, contract.id, statement.version,
        "accepted" if reply.accepted else "commented",
        sum(1 for r in rows if not r["accepted"]),
    )  # fmt: skip
    return reply


def record_invoice_statement(invoice: Invoice, contract: Contract) -> InvoiceStatement | None:
    """Record on an attrition invoice the latest statement and whether it was accepted."""
    statement = latest_statement(contract)
    if statement is None:
        return None
    link = InvoiceStatement(
        invoice_id=invoice.id,
        statement_id=statement.id,
        accepted=statement_state(statement) == "accepted",
    )
    db.session.add(link)
    return link


def invoice_statement(invoice: Invoice) -> InvoiceStatement | None:
    """The statement the invoice was issued on, if any."""
    return db.session.get(InvoiceStatement, invoice.id)
