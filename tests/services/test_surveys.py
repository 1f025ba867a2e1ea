"""The survey link and the planner's answer through their services: when a link can be made,
how long it works, one answer per contract, and what is refused."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import current_app
from sqlalchemy import select

from hotelattrition.models import AuditEntry, Contract, SurveyAnswer
from hotelattrition.services import ServiceError
from hotelattrition.services.guest_links import aware, link_url, open_link
from hotelattrition.services.surveys import (
    AlreadyAnswered,
    SurveyData,
    answer_survey,
    create_survey_link,
    survey_panel,
)
from tests.invoicing import stay_document

DEPARTED = date(2027, 3, 12)  # the sample contract's departure
DETRACTOR = SurveyData(3, 2, 4, 3, "Slow check-in.", "es")


@pytest.fixture
def stayed(create_contract: Any) -> Contract:
    return create_contract(code="G-100")


def test_a_link_is_made_from_departure_on_and_works_60_days(
    database: Any, stayed: Contract, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(ServiceError, match="after departure"):
        create_survey_link("sales@example.com", stayed, DEPARTED - timedelta(days=1))
    made = datetime(2027, 3, 12, 9, 30, tzinfo=UTC)
    caplog.set_level(logging.INFO, logger="hotelattrition")
    link, token = create_survey_link("sales@example.com", stayed, DEPARTED, made)
    assert link.purpose == "survey"
    assert aware(link.expires_at) == datetime(2027, 5, 11, 9, 30, tzinfo=UTC)  # 60 days on
    assert open_link(token, "survey") is link
    assert open_link(token, "planner") is None  # a survey link opens no planner's page
    with current_app.test_request_context(base_url="https://hotel.example"):
        assert link_url(link) == "https://hotel.example/s/" + token
    assert "survey link" in caplog.text


def test_a_group_that_did_not_stay_is_not_asked(database: Any, create_contract: Any) -> None:
    tentative = create_contract(code="T-1", status="tentative")
    assert tentative.status == "tentative"
    with pytest.raises(ServiceError, match="not definite or settled"):
        create_survey_link("sales@example.com", tentative, DEPARTED)


def test_the_planner_answers_once(database: Any, stayed: Contract) -> None:
    link, _token = create_survey_link("sales@example.com", stayed, DEPARTED)
    answer = answer_survey(link, DETRACTOR, datetime(2027, 3, 20, 23, 30, tzinfo=UTC))
    assert (answer.recommend, answer.category, answer.sales, answer.operations, answer.billing) == (
        3, "detractor", 2, 4, 3,
    )  # fmt: skip
    assert answer.answered_on == date(2027, 3, 21)  # 00:30 in Madrid
    assert (answer.property_id, answer.account_id) == (stayed.property_id, stayed.account_id)
    with pytest.raises(AlreadyAnswered):
        answer_survey(link, SurveyData(10, 5, 5, 5), datetime(2027, 3, 22, tzinfo=UTC))
    with pytest.raises(AlreadyAnswered):  # nor is a new link made to ask again
        create_survey_link("sales@example.com", stayed, DEPARTED)
    assert database.scalars(select(SurveyAnswer)).all() == [answer]
    audit = database.scalars(select(AuditEntry).where(AuditEntry.action == "survey_answered")).one()
    assert audit.actor == f"planner (survey link {link.id})"
    assert audit.changes["category"] == "detractor"


def test_the_table_refuses_a_second_answer_the_service_did_not_see(
    database: Any, stayed: Contract, create_contract: Any
) -> None:
    link, _token = create_survey_link("sales@example.com", stayed, DEPARTED)
    answer_survey(link, SurveyData(9, 5, 5, 4))
    # As if a second request had checked before the first one's row existed.
    from hotelattrition.services import surveys

    original = surveys.survey_answer
    surveys.survey_answer = lambda contract: None  # type: ignore[assignment]
    try:
        with pytest.raises(AlreadyAnswered):
            answer_survey(link, SurveyData(1, 1, 1, 1))
    finally:
        surveys.survey_answer = original
    assert database.scalar(select(SurveyAnswer.recommend)) == 9


def test_every_problem_is_named_next_to_its_field(database: Any, stayed: Contract) -> None:
    link, _token = create_survey_link("sales@example.com", stayed, DEPARTED)
    with pytest.raises(ServiceError) as refused:
        answer_survey(link, SurveyData(None, 6, 3, None, "x" * 2001))
    assert [field for field, _m in refused.value.problems] == [
        "recommend", "sales", "billing", "comment",
    ]  # fmt: skip
    assert database.scalars(select(SurveyAnswer)).all() == []


def test_the_panel_says_what_the_contract_page_shows(database: Any, create_contract: Any) -> None:
    contract = create_contract(**stay_document("S-1", days_ago=10))
    today = contract.property.today()
    assert survey_panel(contract, today).link is None
    assert survey_panel(contract, today).not_askable is None
    link, _token = create_survey_link("sales@example.com", contract, today)
    panel = survey_panel(contract, today)
    assert panel.link is link and panel.answer is None
    assert panel.last_day == today + timedelta(days=60)
    answer_survey(link, SurveyData(10, 5, 5, 5))
    assert survey_panel(contract, today).answer is not None
