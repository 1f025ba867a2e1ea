"""A detractor's answer on the pages: "recover first" on the contract, account and
early-warning pages, and no next edition offered until the follow-up is done."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from hotelattrition.models import Contract, FollowUp
from hotelattrition.services.followups import complete_followup
from hotelattrition.services.surveys import create_survey_link
from tests.conftest import log_in
from tests.invoicing import stay_document


def answer(client: Any, contract: Contract, score: int) -> None:
    _link, token = create_survey_link("sales@example.com", contract, contract.property.today())
    page = client.get(f"/s/{token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert csrf
    data = {"recommend": str(score), "sales": "2", "operations": "1", "billing": "3"}
    sent = client.post(f"/s/{token}", data=data | {"csrf_token": csrf.group(1)})
    assert sent.status_code == 302


def test_a_detractor_marks_the_account_recover_first_until_the_followup_is_done(
    client: Any, create_contract: Any, create_user: Any, database: Any
) -> None:
    contract = create_contract(**stay_document("G-100", days_ago=10))
    sales = create_user("sales@example.com", "sales", ("MAD",))
    page = (log_in(client, "sales@example.com"), client.get(f"/contracts/{contract.code}"))[1]
    assert "Copy as next edition" in page.get_data(as_text=True)
    before = client.get(f"/accounts/{contract.account_id}").get_data(as_text=True)
    assert "Copy as next edition" in before
    client.post("/logout", data={"csrf_token": re.search(
        r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)})  # type: ignore[union-attr]  # fmt: skip
    answer(client, contract, 5)

    log_in(client, "sales@example.com")
    page = client.get(f"/contracts/{contract.code}").get_data(as_text=True)
    assert 'id="recover-first"' in page and "No upsell or rebooking offer" in page
    assert "Copy as next edition" not in page
    account = client.get(f"/accounts/{contract.account_id}").get_data(as_text=True)
    assert 'id="recover-first"' in account and "Detractor recovery" in account
    assert "Copy as next edition" not in account
    edition = client.get(f"/contracts/{contract.code}/next-edition").get_data(as_text=True)
    assert 'id="recover-first"' in edition  # reached by its address: it still says so

    followup = database.scalars(select(FollowUp)).one()
    complete_followup(followup, sales, contract.property.today())
    database.flush()
    page = client.get(f"/contracts/{contract.code}").get_data(as_text=True)
    assert 'id="recover-first"' not in page and "Copy as next edition" in page


def test_the_early_warning_page_lists_the_account_at_risk_recover_first(
    client: Any, create_contract: Any, create_user: Any
) -> None:
    create_contract(**stay_document("G-099", days_ago=380))
    contract = create_contract(**stay_document("G-100", days_ago=10))
    create_user("sales@example.com", "sales", ("MAD",))
    answer(client, contract, 2)
    log_in(client, "sales@example.com")
    page = client.get("/reports/early-warning?property=MAD").get_data(as_text=True)
    at_risk = page[page.index('id="at-risk"') :]
    assert "Acme Pharma" in at_risk and "recover first" in at_risk
    assert "answered the survey as a detractor: 2 of 10" in at_risk
    assert "Detractor recovery" in at_risk  # its next action: the follow-up opened
