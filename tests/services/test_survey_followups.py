"""A detractor's answer closes the loop: a follow-up due in 48 hours for the account's owner,
"recover first" until it is done, and reason (e) of the at-risk rule."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select, text

from hotelattrition.domain.at_risk import AccountFigures, risk_reasons
from hotelattrition.models import Contract, FollowUp
from hotelattrition.reports.at_risk import at_risk_accounts, at_risk_csv
from hotelattrition.reports.surveys import recover_first
from hotelattrition.services.followups import complete_followup
from hotelattrition.services.surveys import SurveyData, answer_survey, create_survey_link
from tests.reports.reporting import stay_document as dated_stay

DEPARTED = date(2027, 3, 12)
ANSWERED = datetime(2027, 3, 15, 10, tzinfo=UTC)  # 11:00 in Madrid, 15 March


def ask(contract: Contract, maker: str, score: int) -> None:
    link, _token = create_survey_link(maker, contract, DEPARTED)
    answer_survey(link, SurveyData(score, 3, 2, 4, "The rooms were not ready."), ANSWERED)


def test_a_detractor_opens_a_followup_due_in_48_hours_for_the_link_maker(
    database: Any, create_contract: Any, create_user: Any, caplog: pytest.LogCaptureFixture
) -> None:
    contract = create_contract()
    create_user("first@example.com", "sales", ("MAD",))  # at the hotel longer, not the owner
    ana = create_user("ana@example.com", "sales", ("MAD",))
    caplog.set_level(logging.INFO, logger="hotelattrition")
    ask(contract, "ana@example.com", 6)
    followup = database.scalars(select(FollowUp)).one()
    assert (followup.kind, followup.owner_id, followup.contract_id) == ("detractor", ana.id,
                                                                        contract.id)  # fmt: skip
    assert followup.due_on == date(2027, 3, 17)  # answered on the 15th, 48 hours on
    assert followup.note == "6/10 · The rooms were not ready."
    assert f"follow-up {followup.id} opened" in caplog.text
    marked = recover_first([contract.account_id])[contract.account_id]
    assert (marked.followup_id, marked.code, marked.due_on) == (followup.id, "G-100",
                                                                date(2027, 3, 17))  # fmt: skip
    complete_followup(followup, ana, date(2027, 3, 16))
    assert recover_first([contract.account_id]) == {}  # closed: offers may be made again


@pytest.mark.parametrize("score", [7, 8, 9, 10])
def test_passives_and_promoters_open_nothing(
    database: Any, create_contract: Any, create_user: Any, score: int
) -> None:
    contract = create_contract()
    create_user("ana@example.com", "sales", ("MAD",))
    ask(contract, "ana@example.com", score)
    assert database.scalars(select(FollowUp)).all() == []
    assert recover_first([contract.account_id]) == {}


def test_when_the_link_maker_cannot_act_the_hotels_manager_owns_it(
    database: Any, create_contract: Any, create_property: Any, create_user: Any
) -> None:
    contract = create_contract()
    create_property("BCN")
    create_user("admin@example.com", "admin")
    create_user("bcn@example.com", "manager", ("BCN",))  # another hotel's
    create_user("ana@example.com", "viewer", ("MAD",))  # made the link, a viewer now
    create_user("books@example.com", "accounting", ("MAD",))  # at the hotel, not its manager
    luis = create_user("luis@example.com", "manager", ("MAD",))
    ask(contract, "ana@example.com", 0)
    assert database.scalars(select(FollowUp.owner_id)).one() == luis.id


def test_with_nobody_to_act_the_answer_stands_without_a_followup(
    database: Any, create_contract: Any, caplog: pytest.LogCaptureFixture
) -> None:
    contract = create_contract()
    ask(contract, "cli", 2)
    assert database.scalars(select(FollowUp)).all() == []
    assert "no active user to follow it up" in caplog.text


def test_reason_e_a_detractor_on_the_last_edition_that_ended() -> None:
    figures = AccountFigures(
        arrivals=(date(2026, 3, 1), date(2027, 3, 1)),
        signed_ahead=True,
        room_nights_last=40,
        room_nights_prior=40,
        last_damages=0,  # type: ignore[arg-type]
        open_complaints=0,
        last_detractor=4,
    )
    (reason,) = risk_reasons(figures, date(2027, 6, 1))
    assert (reason.code, reason.score) == ("detractor", 4)
    calm = AccountFigures(figures.arrivals, True, 40, 40, 0, 0)  # type: ignore[arg-type]
    assert risk_reasons(calm, date(2027, 6, 1)) == []


def test_the_at_risk_list_shows_the_detractor_reason(
    database: Any, create_property: Any, create_user: Any
) -> None:
    from hotelattrition.services.contracts import import_contract

    prop = create_property("MAD")
    create_user("ana@example.com", "sales", ("MAD",))
    paid = {"minimum": "900.00", "actual": "900.00", "service_charge_pct": "10", "tax_pct": "10"}
    stays = []
    for code, arrival in (("E-1", date(2026, 3, 2)), ("E-2", date(2027, 3, 1)),
                          ("E-3", date(2028, 3, 6))):  # fmt: skip
        doc = dated_stay(code, arrival, 2, 10, 10, account="Echo", fnb=paid, as_of="2027-05-01")
        stays.append(import_contract(doc).contract)
    # Its earlier stay answered 3, the last one that ended 9: no reason, the last one counts.
    for contract, score in ((stays[0], 3), (stays[1], 9)):
        link, _token = create_survey_link("ana@example.com", contract, date(2027, 5, 1))
        answer_survey(link, SurveyData(score, 3, 3, 3), ANSWERED)
    assert at_risk_accounts(prop, date(2027, 6, 1)).rows == []
    later = database.get(Contract, stays[1].id)
    database.execute(
        text("update survey_answers set recommend = 5, category = 'detractor' "
             "where contract_id = :id"),
        {"id": later.id},
    )  # fmt: skip
    report = at_risk_accounts(prop, date(2027, 6, 1))
    (row,) = report.rows
    assert [(r.code, r.score) for r in row.reasons] == [("detractor", 5)]
    assert at_risk_csv(report).splitlines()[1].rstrip().endswith(",5")
