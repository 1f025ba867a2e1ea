"""Demo survey answers: a promoter, a passive and a detractor, and one link still waiting.

The groups that stayed most recently at the demo's Madrid hotel (the demo sales user's) are
asked through the ordinary services, so the contract pages show each state of the survey;
the detractor's answer opens its follow-up, for the user who asked.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from ..domain.at_risk import REPEAT_EDITIONS
from ..extensions import db
from ..models import Contract, Property
from .surveys import HELD, SurveyData, answer_survey, create_survey_link

# (score, sales, operations, billing, comment, language): a promoter, a passive, a detractor.
DEMO_ANSWERS = (
    (10, 5, 5, 4, "Everything ran on time; we will be back next year.", "en"),
    (8, 4, 4, 3, "Buen evento. La factura tardó en llegar.", "es"),
    (4, 3, 2, 2, "Check-in took an hour and the meeting room was cold all day.", "en"),
)


def load_demo_surveys(actor: str, today: date, property_code: str = "MAD") -> int:
    """Ask the hotel's latest departed groups; answer three of them; return the answers made.

    The detractor is a repeat account's last stay, so the early-warning page shows it at
    risk and recovered first; the others are the latest stays of other accounts.
    """
    stayed = db.session.scalars(
        select(Contract)
        .join(Property, Property.id == Contract.property_id)
        .where(
            Property.code == property_code,
            Contract.status.in_(HELD),
            Contract.departure < today,
            Contract.voided_at.is_(None),
        )
        .order_by(Contract.departure.desc(), Contract.code)
    ).all()
    stays = Counter(contract.account_id for contract in stayed)
    detractor = next((c for c in stayed if stays[c.account_id] >= REPEAT_EDITIONS), None)
    others = [c for c in stayed if detractor is None or c.account_id != detractor.account_id]
    chosen = [*others[: len(DEMO_ANSWERS) - 1], detractor, *others[len(DEMO_ANSWERS) - 1 :][:1]]
    answers = 0
    for contract, answer in zip(chosen, (*DEMO_ANSWERS, None), strict=False):
        if contract is None:
            continue
        link, _token = create_survey_link(actor, contract, today)
        if answer is None:  # the last one waits for its planner
            continue
        score, sales, operations, billing, comment, language = answer
        answered = min(contract.departure + timedelta(days=2), today)
        moment = datetime.combine(answered, time(12), UTC)
        answer_survey(
            link, SurveyData(score, sales, operations, billing, comment, language), moment
        )
        answers += 1
    return answers
