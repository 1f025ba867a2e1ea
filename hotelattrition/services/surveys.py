"""The post-event survey: a link per contract after departure, and the planner's one answer.

The link is a guest link of purpose "survey" (services.guest_links): unguessable, revocable,
and it stops 60 days after it was made. A contract is answered once, whichever of its links
asked; a second answer is refused (the table's unique key settles two at the same moment).

A detractor's answer (0-6) opens a follow-up on the account due 48 hours on (services.
followups), owned by the contract's owner (services.owners.contract_owner: its creator,
else the user who made the survey link, else the property's manager). Until that follow-up
is done the account is "recover first" (reports.surveys.recover_first): the pages suggest no
upsell or rebooking offer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain.surveys import answer_problems, category
from ..extensions import db
from ..models import Contract, FollowUp, GuestLink, SurveyAnswer, User
from ..models.followups import NOTE_MAX
from . import ServiceError
from .audit import record_change
from .followups import DETRACTOR_DUE, FollowUpData, open_followup
from .guest_links import aware, issue_link, live_link, revoke_link, view_summary
from .owners import contract_owner
from .refusals import _, day

log = logging.getLogger(__name__)

PURPOSE = "survey"
LINK_DAYS = 60
HELD = ("definite", "settled")  # the groups that stayed: only they are asked


class AlreadyAnswered(ServiceError):
    """The contract's survey has its answer already."""


@dataclass(frozen=True)
class SurveyData:
    """What the planner answered: the 0-10 question, three ratings 1-5 and a comment."""

    recommend: int | None
    sales: int | None
    operations: int | None
    billing: int | None
    comment: str = ""
    language: str = "en"


def survey_expiry(now: datetime | None = None) -> datetime:
    """When a link made now stops working: 60 days on."""
    return (now or datetime.now(UTC)) + timedelta(days=LINK_DAYS)


def survey_answer(contract: Contract) -> SurveyAnswer | None:
    return db.session.scalars(
        select(SurveyAnswer).where(SurveyAnswer.contract_id == contract.id)
    ).first()


def not_askable(contract: Contract, today: date) -> str | None:
    """Why the contract's planner cannot be asked yet (or at all), or None when they can."""
    if contract.status not in HELD:
        return _("Only a group that stayed is asked: this contract is not definite or settled.")
    if contract.departure > today:
        return _(
            "The survey is asked after departure, from %(day)s on.", day=day(contract.departure)
        )
    return None


def create_survey_link(
    actor: User | str, contract: Contract, today: date, now: datetime | None = None
) -> tuple[GuestLink, str]:
    """A new survey link for 60 days (the live one, if any, is revoked); refused before
    departure, for a group that did not stay, and once the survey is answered."""
    why = not_askable(contract, today)
    if why:
        raise ServiceError(why)
    if survey_answer(contract) is not None:
        raise AlreadyAnswered(_("The planner has answered the survey already."))
    return issue_link(actor, contract, PURPOSE, survey_expiry(now))


def revoke_survey_link(actor: User | str, contract: Contract) -> GuestLink:
    return revoke_link(actor, contract, PURPOSE)


def answer_survey(link: GuestLink, data: SurveyData, now: datetime | None = None) -> SurveyAnswer:
    """Record the planner's answer through the link; refused when the contract has one."""
    contract = link.contract
    if survey_answer(contract) is not None:
        raise AlreadyAnswered(_("This survey has been answered already. Thank you."))
    ratings = {"sales": data.sales, "operations": data.operations, "billing": data.billing}
    problems = [(field, _problem_words(code)) for field, code in
                answer_problems(data.recommend, ratings, data.comment)]  # fmt: skip
    if problems:
        raise ServiceError("; ".join(message for _f, message in problems), problems)
    assert data.recommend is not None and data.sales and data.operations and data.billing
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    zone = ZoneInfo(contract.property.timezone)
    answer = SurveyAnswer(
        contract_id=contract.id,
        property_id=contract.property_id,
        account_id=contract.account_id,
        link_id=link.id,
        recommend=data.recommend,
        category=category(data.recommend),
        sales=data.sales,
        operations=data.operations,
        billing=data.billing,
        comment=data.comment.strip(),
        language=data.language if data.language in ("en", "es") else "en",
        answered_at=moment,
        answered_on=moment.astimezone(zone).date(),
    )
    try:
        with db.session.begin_nested():  # a second answer at the same moment: one wins
            db.session.add(answer)
    except IntegrityError:
        raise AlreadyAnswered(_("This survey has been answered already. Thank you.")) from None
    actor = f"planner (survey link {link.id})"
    followup = _detractor_followup(answer, link, actor) if answer.category == "detractor" else None
    record_change(
        actor,
        "survey_answered",
        "contract",
        contract.code,
        {"recommend": answer.recommend, "category": answer.category, "sales": answer.sales,
         "operations": answer.operations, "billing": answer.billing,
         "followup": followup.id if followup else None},
    )  # fmt: skip
    log.info(
        "survey answered: contract %s (id %s), link %s, score %s (%s)%s",
        contract.code, contract.id, link.id, answer.recommend, answer.category,
        f", follow-up {followup.id} opened" if followup else "",
    )  # fmt: skip
    return answer


def _detractor_followup(answer: SurveyAnswer, link: GuestLink, actor: str) -> FollowUp | None:
    """Open the account's follow-up for a detractor, due 48 hours on, for its owner."""
    contract = link.contract
    owner = contract_owner(contract, link)
    if owner is None:  # the answer stands; the at-risk list still shows it (reason e)
        log.warning("survey answer on %s: no active user to follow it up", contract.code)
        return None
    today = answer.answered_on
    # In no language: the planner's answer is read by the office in its own.
    said = f" · {answer.comment}" if answer.comment else ""
    note = f"{answer.recommend}/10{said}"[:NOTE_MAX]
    due = today + timedelta(days=DETRACTOR_DUE.days)
    data = FollowUpData("detractor", owner.id, due, note)
    return open_followup(contract.account, data, actor, today, contract=contract)


def _problem_words(code: str) -> str:
    if code == "score":
        return _("Choose a number from 0 to 10.")
    if code == "rating":
        return _("Choose from 1 to 5.")
    return _("At most 2000 characters, please.")


@dataclass(frozen=True)
class SurveyPanel:
    """What the contract page says of the survey, its dates in the hotel's zone."""

    not_askable: str | None  # why no link can be made yet, or None
    link: GuestLink | None  # the live link
    created_on: date | None
    last_day: date | None  # the last day the link works
    views: int
    answer: SurveyAnswer | None


def survey_panel(contract: Contract, today: date) -> SurveyPanel:
    """The survey's state on a contract: not yet askable, a live link, or its answer."""
    zone = ZoneInfo(contract.property.timezone)
    link = live_link(contract, PURPOSE)

    def local(moment: datetime | None) -> date | None:
        return aware(moment).astimezone(zone).date() if moment else None

    return SurveyPanel(
        not_askable(contract, today),
        link,
        local(link.created_at if link else None),
        local(link.expires_at - timedelta(microseconds=1) if link else None),
        view_summary(contract, PURPOSE).count,
        survey_answer(contract),
    )
