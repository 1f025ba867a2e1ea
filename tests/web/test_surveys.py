"""The post-event survey through its link: no login, EN/ES, CSRF, errors kept, answered once;
the contract page's link and answer, the account page's NPS."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import Contract, SurveyAnswer
from hotelattrition.services.surveys import create_survey_link, revoke_survey_link
from tests.conftest import log_in
from tests.invoicing import stay_document


@pytest.fixture
def stayed(create_contract: Any, create_user: Any, database: Any) -> Contract:
    contract = create_contract(**stay_document("G-100", days_ago=10))
    create_user("sales@example.com", "sales", ("MAD",))
    create_user("viewer@example.com", "viewer", ("MAD",))
    database.flush()
    return contract


def survey_path(contract: Contract) -> str:
    _link, token = create_survey_link("sales@example.com", contract, contract.property.today())
    return f"/s/{token}"


def form_token(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "no CSRF token on the survey"
    return match.group(1)


ANSWER = {"recommend": "4", "sales": "2", "operations": "3", "billing": "5", "comment": "Cold."}


def test_the_planner_answers_in_spanish_without_a_login(client: Any, stayed: Contract) -> None:
    path = survey_path(stayed)
    response = client.get(path + "?lang=es")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "¿Qué tal fue su evento?" in page and "Acme sales conference" in page
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "survey_language=es" in response.headers.get("Set-Cookie", "") or any(
        "survey_language=es" in c for c in response.headers.getlist("Set-Cookie")
    )
    assert "Acme Pharma" not in page and "@" not in page and "/contracts" not in page
    sent = client.post(path, data=ANSWER | {"csrf_token": form_token(page)})
    assert sent.status_code == 302
    thanks = client.get(sent.headers["Location"])
    assert "Gracias" in thanks.get_data(as_text=True)  # the remembered language
    answer = client.application.extensions["sqlalchemy"].session.scalars(select(SurveyAnswer)).one()
    assert (answer.recommend, answer.category, answer.language) == (4, "detractor", "es")


def test_a_missing_answer_is_named_and_nothing_chosen_is_lost(
    client: Any, stayed: Contract, database: Any
) -> None:
    path = survey_path(stayed)
    token = form_token(client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True))
    data = {k: v for k, v in ANSWER.items() if k != "operations"} | {"csrf_token": token}
    response = client.post(path, data=data | {"comment": "Keep me"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose from 1 to 5." in page
    assert re.search(r'value="4"[^>]*checked|checked[^>]*value="4"', page)  # the score kept
    assert "Keep me" in page
    too_long = client.post(path, data=ANSWER | {"csrf_token": token, "comment": "x" * 2001})
    assert too_long.status_code == 400
    assert "At most 2000 characters" in too_long.get_data(as_text=True)
    assert database.scalars(select(SurveyAnswer)).all() == []


def test_without_its_csrf_token_nothing_is_recorded(
    client: Any, stayed: Contract, database: Any
) -> None:
    path = survey_path(stayed)
    assert client.post(path, data=ANSWER).status_code == 400
    assert database.scalars(select(SurveyAnswer)).all() == []


def test_a_second_answer_is_refused_politely(client: Any, stayed: Contract, database: Any) -> None:
    path = survey_path(stayed)
    token = form_token(client.get(path).get_data(as_text=True))
    assert client.post(path, data=ANSWER | {"csrf_token": token}).status_code == 302
    again = client.post(path, data=ANSWER | {"recommend": "10", "csrf_token": token})
    assert again.status_code == 409
    assert "answered already" in again.get_data(as_text=True)
    assert database.scalar(select(SurveyAnswer.recommend)) == 4
    assert "<form" not in client.get(path).get_data(as_text=True)  # thanks, no form


def test_a_dead_link_is_a_plain_404(client: Any, stayed: Contract, database: Any) -> None:
    path = survey_path(stayed)
    revoke_survey_link("sales@example.com", stayed)
    database.flush()
    for dead in (path, "/s/" + "A" * 43, "/s/short"):
        response = client.get(dead)
        assert response.status_code == 404
        assert "This link opens nothing" in response.get_data(as_text=True)


def test_the_contract_page_gives_the_link_to_copy_and_then_the_answer(
    client: Any, stayed: Contract
) -> None:
    log_in(client, "sales@example.com")
    page = client.get(f"/contracts/{stayed.code}").get_data(as_text=True)
    assert "Create the survey link" in page
    token = form_token(page) if 'type="hidden" value' in page else None
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf or token
    made = client.post(
        f"/contracts/{stayed.code}/survey-link",
        data={"csrf_token": (csrf.group(1) if csrf else token)},
    )
    assert made.status_code == 302
    page = client.get(f"/contracts/{stayed.code}").get_data(as_text=True)
    url = re.search(r'<textarea id="survey-url"[^>]*>([^<]+)</textarea>', page)
    assert url and "/s/" in url.group(1)
    assert "Survey link created" in page  # in the contract's history
    survey = url.group(1).split("localhost", 1)[-1]
    client.post("/logout", data={"csrf_token": re.search(
        r'name="csrf_token" value="([^"]+)"', page).group(1)})  # type: ignore[union-attr]  # fmt: skip
    form = client.get(survey).get_data(as_text=True)
    client.post(survey, data=ANSWER | {"recommend": "10", "csrf_token": form_token(form)})
    log_in(client, "viewer@example.com")
    page = client.get(f"/contracts/{stayed.code}").get_data(as_text=True)
    assert "10 of 10" in page and "candidate for a multi-year agreement" in page
    assert "Create the survey link" not in page  # answered; and a viewer makes none
    account = client.get(f"/accounts/{stayed.account_id}").get_data(as_text=True)
    assert "Post-event surveys" in account and "100" in account


def test_before_departure_the_contract_page_says_when(
    client: Any, create_contract: Any, create_user: Any
) -> None:
    contract = create_contract(**stay_document("F-1", days_ago=-30))
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    page = client.get(f"/contracts/{contract.code}").get_data(as_text=True)
    assert "The survey is asked after departure" in page
    assert "Create the survey link" not in page
