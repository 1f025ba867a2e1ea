"""Demo survey answers: a promoter, a passive and a detractor, and one link still waiting.

The groups that stayed most recently at the demo's Madrid hotel (the demo sales user's) are
asked through the ordinary services, so the contract pages show each state of the survey;
the detractor's answer opens its follow-up, for the user who asked.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Contract, Property
from .surveys import HELD, SurveyData, answer_survey, create_survey_link

# (score, sales, operations, billing, comment, language), the most recent stay first.
DEMO_ANSWERS = (
    (10, 5, 5, 4, "Everything ran on time; we will be back next year.", "en"),
    (8, 4, 4, 3, "Buen evento. La factura tardó en llegar.", "es"),
    (4, 3, 2, 2, "Check-in took an hour and the meeting room was cold all day.", "en"),
)


def load_demo_surveys(actor: str, today: date, property_code: str = "MAD") -> int:
    """Ask the hotel's latest departed groups; answer three of them; return the answers made."""
    stayed = db.session.scalars(
        select(Contract)
        .join(Property, Property.id == Contract.property_id)
        .where(
            Property.code == property_code,
            Contract.status.in_(HELD),
            Contract.departure <= today,
            Contract.voided_at.is_(None),
        )
        .order_by(Contract.departure.desc(), Contract.code)
        .limit(len(DEMO_ANSWERS) + 1)
    ).all()
    answers = 0
    for contract, answer in zip(stayed, (*DEMO_ANSWERS, None), strict=False):
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
