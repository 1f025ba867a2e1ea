"""Outside-block reconciliation: match the planner's registrations to the hotel's in-house
list, keep the match report, and on confirmation record its outside-block room nights.

reconcile_lists reads both lists (all or nothing: a list with any problem writes nothing),
matches them (domain/attendees.py) and stores the report as a draft, replacing the
contract's earlier drafts. confirm_reconciliation records the report's outside-block room
nights of the stay, night by night, as the contract's outside-block pickup through the pickup
service (record_actuals: a dated snapshot, the stored settlement recomputed, audited), and
marks the report confirmed. Logs carry counts only, never a name or an address.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import current_app
from sqlalchemy import select

from ..domain.attendees import Match, match_attendees, outside_block, rooms_per_night
from ..extensions import db
from ..models import Contract, Reconciliation, ReconciliationPair, User
from ..models.pickup import latest_revenue, latest_room_nights
from . import ServiceError
from .attendee_lists import ListRead, read_list
from .audit import actor_name, record_change
from .contract_editing import record_actuals
from .pickup_lines import Problem
from .pickup_reading import locale_order
from .refusals import _

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    """A list as uploaded: its file name and bytes."""

    filename: str
    data: bytes


class InvalidLists(ServiceError):
    """One list or both have problems: each with its list, line and column."""

    def __init__(self, problems: list[tuple[str, Problem]], counts: dict[str, int]):
        super().__init__(f"{sum(counts.values())} problems in the lists")
        self.list_problems, self.counts = problems, counts


def email_key() -> bytes:
    """The key e-mail digests are made with: the app's secret, kept for this purpose only."""
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(secret, b"hotelattrition attendee e-mail", hashlib.sha256).digest()


def reconcile_lists(
    contract: Contract, registration: Upload, in_house: Upload, actor: User
) -> Reconciliation:
    """Read and match the two lists; store the match report as the contract's draft."""
    stay = (contract.arrival, contract.departure)
    order, key = locale_order(contract.property.locale), email_key()
    registrations = read_list(registration.data, "registration", stay, order, key)
    guests = read_list(in_house.data, "in_house", stay, order, key)
    _refuse_problems(registrations, guests)
    matches = match_attendees(registrations.rows, guests.rows)
    outside = outside_block(matches, contract.code)
    for draft in db.session.scalars(
        select(Reconciliation).where(
            Reconciliation.contract_id == contract.id, Reconciliation.state == "draft"
        )
    ):
        db.session.delete(draft)  # the ORM's delete: its pairs go with it, and the session knows
    db.session.flush()
    report = _report(contract, matches, outside, registration, in_house, actor)
    report.registrations, report.guests = len(registrations.rows), len(guests.rows)
    db.session.add(report)
    db.session.flush()
    log.info(
        "outside-block lists matched: contract %s (id %s), %d registrations, %d stays, "
        "%d matched, %d outside the block, %d room nights in the stay",
        contract.code, contract.id, report.registrations, report.guests, report.matched,
        report.outside, report.room_nights,
    )  # fmt: skip
    return report


def _refuse_problems(*lists: ListRead) -> None:
    found = [(read.kind, problem) for read in lists for problem in read.problems]
    if found:
        raise InvalidLists(found, {read.kind: len(read.problems) for read in lists})


def _report(
    contract: Contract,
    matches: list[Match],
    outside: list[Match],
    registration: Upload,
    in_house: Upload,
    actor: User,
) -> Reconciliation:
    stay = set(contract.nights)
    per_night = rooms_per_night(outside)
    outside_lines = {m.guest.line for m in outside}
    return Reconciliation(
        contract_id=contract.id,
        state="draft",
        matched=len(matches),
        outside=len(outside),
        room_nights=sum(rooms for (night, _t), rooms in per_night.items() if night in stay),
        shoulder_room_nights=sum(
            rooms for (night, _t), rooms in per_night.items() if night not in stay
        ),
        nights=[[night.isoformat(), kind, rooms] for (night, kind), rooms in per_night.items()],
        registration_file=registration.filename[:255],
        registration_sha256=hashlib.sha256(registration.data).hexdigest(),
        in_house_file=in_house.filename[:255],
        in_house_sha256=hashlib.sha256(in_house.data).hexdigest(),
        user_id=actor.id,
        created_by=actor_name(actor),
        pairs=[_pair(m, m.guest.line in outside_lines) for m in matches],
    )


def _pair(match: Match, outside: bool) -> ReconciliationPair:
    guest = match.guest
    return ReconciliationPair(
        registration_line=match.attendee.line,
        registration_name=match.attendee.name,
        in_house_line=guest.line,
        guest_name=guest.name,
        arrival=guest.arrival,
        departure=guest.departure,
        room_type=guest.room_type,
        rooms=guest.rooms,
        block_code=guest.block_code,
        score=match.score,
        by_email=match.by_email,
        outside_block=outside,
    )


def outside_per_night(report: Reconciliation) -> dict[date, int]:
    """The report's outside-block rooms per night of the contract's stay (0 where none)."""
    per_night: dict[date, int] = defaultdict(int)
    for night, _room_type, rooms in report.nights:
        per_night[date.fromisoformat(night)] += rooms
    return {night: per_night.get(night, 0) for night in report.contract.nights}


def recorded_outside_block(contract: Contract) -> dict[date, int]:
    """The outside-block rooms recorded now per night of the stay (0 where none)."""
    latest = latest_room_nights(contract)
    return {night: latest.get(("outside_block", night, ""), 0) for night in contract.nights}


def confirm_reconciliation(report: Reconciliation, actor: User) -> int:
    """Record the draft's outside-block room nights as the contract's; return figures changed.

    Every night of the stay is set to the report's count (0 where no match stayed outside the
    block): the lists are the group's whole registration and the hotel's whole stay.
    """
    # Locked, so that two confirmations at once record once (PostgreSQL; SQLite has one writer).
    state = db.session.scalar(
        select(Reconciliation.state).where(Reconciliation.id == report.id).with_for_update()
    )
    if state != "draft":
        raise ServiceError(_("this match report is confirmed already"))
    contract = report.contract
    as_of = contract.property.today()
    rooms = {k: v for k, v in latest_room_nights(contract).items() if k[0] != "shoulder"}
    for night, count in outside_per_night(report).items():
        rooms["outside_block", night, ""] = count
    changed = record_actuals(contract, as_of, rooms, latest_revenue(contract), actor)
    report.state, report.as_of = "confirmed", as_of
    report.confirmed_by, report.confirmed_at = actor_name(actor), datetime.now(UTC)
    record_change(
        actor,
        "confirm_reconciliation",
        "contract",
        contract.code,
        {
            "reconciliation": report.id,
            "as_of": as_of.isoformat(),
            "matched": report.matched,
            "outside": report.outside,
            "room_nights": report.room_nights,
            "figures_changed": changed,
        },
    )
    log.info(
        "outside-block pickup confirmed: contract %s (id %s), report %s, %d room nights, "
        "%d figures changed",
        contract.code, contract.id, report.id, report.room_nights, changed,
    )  # fmt: skip
    return changed


def confirmed_report(contract: Contract) -> Reconciliation | None:
    """The report whose room nights the settlement uses: the latest confirmed (evidence packs)."""
    return db.session.scalars(
        select(Reconciliation)
        .where(Reconciliation.contract_id == contract.id, Reconciliation.state == "confirmed")
        .order_by(Reconciliation.confirmed_at.desc(), Reconciliation.id.desc())
    ).first()


def reports_of(contract: Contract) -> list[Reconciliation]:
    """The contract's match reports, the latest first."""
    return list(
        db.session.scalars(
            select(Reconciliation)
            .where(Reconciliation.contract_id == contract.id)
            .order_by(Reconciliation.created_at.desc(), Reconciliation.id.desc())
        )
    )
