"""The demo's customer care: accounts at risk for each reason, complaints, follow-ups, one lost.

After the demo contracts are in, `load_demo_care(today, properties)` adds through the ordinary
services:

- Ediciones Alba (MAD), a publisher back every 120 days for three stays, the last 170 days ago
  and nothing signed since: at risk because its cadence has passed (a), its room nights up, not
  down, and no damages owed;
- an earlier, larger Sol Maya spring allotment (CUN) a year before this year's: its room nights
  fell about two thirds on the year before (b), beside the damages its last stay owed (c),
  which Novalia, the Cardiology society, Northwind and Vireo owe already from their history;
- complaints: an open one on Novalia's last congress (MAD) and Northwind's last President's
  Club (CUN), which put them at risk (d), and resolved ones on the Cardiology congress and
  Vireo's congress;
- follow-ups: open (Novalia, Northwind), overdue (Ediciones Alba) and done (the Cardiology
  society, Sol Maya);
- Arco Seguros, which cancelled its regional meeting, marked lost: won by a competitor,
  Hotel Mirador Chamartín.

Dates are relative to `today`: the complaints' and follow-ups' days are set as the demo's
calendar says (the services date what they record at the hotel's real today).
Drawn from its own seed: the other demo contracts keep their figures.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Account, Contract, User
from .complaints import ComplaintData, record_complaint, resolve_complaint
from .contracts import import_contract
from .demo_contracts import Spec, _contract
from .followups import FollowUpData, complete_followup, open_followup
from .lost_accounts import mark_account_lost
from .properties import PropertyData

SEED = 20270417
ACTOR = "demo"

CARE_CONTRACTS: tuple[tuple[str, Spec], ...] = (
    ("MAD-201", Spec("MAD", "Ediciones Alba", "Ediciones Alba Sales Meeting", -410, 2,
                     {"DBL": 25}, status="settled", fill=0.98, lead=90)),
    ("MAD-202", Spec("MAD", "Ediciones Alba", "Ediciones Alba Sales Meeting", -290, 2,
                     {"DBL": 25, "STE": 2}, status="settled", fill=1.0, lead=90)),
    ("MAD-203", Spec("MAD", "Ediciones Alba", "Ediciones Alba Sales Meeting", -170, 2,
                     {"DBL": 28, "STE": 2}, status="settled", fill=0.98, lead=90)),
    ("CUN-201", Spec("CUN", "Sol Maya Tours", "Sol Maya Spring Allotment", -25 - 364, 6,
                     {"DBL": 40, "TWN": 30}, status="settled", fill=0.9, fnb=None,
                     ra={"basis": "per_night", "rate": "lowest", "damages_pct": "75"},
                     schedule="short")),
)  # fmt: skip

# (contract, department, severity, what happened, what was done, resolved, days after departure)
COMPLAINTS: tuple[tuple[str, str, str, str, str, bool, int], ...] = (
    ("MAD-001", "events", "high",
     "The plenary's projector failed twice on the first morning; the keynote started 40 "
     "minutes late.", "", False, 2),
    ("MAD-103", "housekeeping", "medium",
     "Twelve rooms of the speakers' floor were not ready at check-in time.",
     "Late check-out offered to the twelve speakers; housekeeping rota changed for congresses.",
     True, 1),
    ("CUN-004", "fnb", "medium",
     "The awards dinner ran short of the vegetarian menu.", "", False, 3),
    ("CUN-009", "billing", "low",
     "The master account's invoice listed two rooms twice.",
     "Credit note issued for the two rooms; the planner confirmed.", True, 5),
)  # fmt: skip


def load_demo_care(
    today: date, properties: Sequence[PropertyData], statuses: dict[str, int]
) -> None:
    """Add the care demo: its contracts (counted in `statuses`), complaints, follow-ups and
    the lost account."""
    rng = random.Random(SEED)
    by_code = {p.code: p for p in properties}
    for code, spec in CARE_CONTRACTS:
        for document in _contract(code, spec, by_code[spec.prop], today, rng).documents:
            status = import_contract(document, ACTOR).contract.status
        statuses[status] = statuses.get(status, 0) + 1
    _complaints(today)
    _followups(today)
    arco = _account("Arco Seguros")
    mark_account_lost(arco, "competitor", "Hotel Mirador Chamartín", ACTOR, today - timedelta(8))
    db.session.flush()


def _complaints(today: date) -> None:
    for code, department, severity, happened, action, resolved, after in COMPLAINTS:
        contract = db.session.scalar(select(Contract).where(Contract.code == code))
        assert contract is not None, code  # the demo contracts are in
        data = ComplaintData(happened, department, severity, action if resolved else "")
        complaint = record_complaint(contract, data, ACTOR)
        complaint.recorded_on = min(contract.departure + timedelta(days=after), today)
        if resolved:
            resolve_complaint(complaint, action, ACTOR)
            complaint.resolved_on = min(complaint.recorded_on + timedelta(days=4), today)


def _followups(today: date) -> None:
    sales, manager = (_user(role) for role in ("sales", "manager"))

    def day(days: int) -> date:
        return today + timedelta(days=days)

    # (account, kind, owner, opened, due, done, note)
    plan = (
        ("Novalia Pharma", "contact", sales, 0, 5, None,
         "Call Lucía Pérez about the projector before the Advisory Board."),
        ("Ediciones Alba", "offer", sales, -20, -6, None,
         "Offer the autumn sales meeting at last year's rate."),
        ("Sociedad Ibérica de Cardiología", "contact", sales, -30, -20, -21,
         "Thank the board; confirm the 2028 congress block."),
        ("Northwind Insurance", "contact", manager, -2, 10, None,
         "Ask the planner how the dinner shortfall landed."),
        ("Sol Maya Tours", "offer", manager, -15, -5, -8,
         "Offer a smaller spring allotment with a 30-day release."),
    )  # fmt: skip
    for name, kind, owner, opened, due, done, note in plan:
        account = _account(name)
        data = FollowUpData(kind, owner.id, day(due), note)
        followup = open_followup(account, data, ACTOR, day(opened))
        if done is not None:
            complete_followup(followup, ACTOR, day(done))


def _account(name: str) -> Account:
    account = db.session.scalar(select(Account).where(Account.name == name))
    assert account is not None, name
    return account


def _user(role: str) -> User:
    user = db.session.scalar(select(User).where(User.role == role).order_by(User.id))
    assert user is not None, role
    return user
