"""The contract page offers only what would succeed today: what-if, Invoice, reductions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from hotelattrition.models import ReviewDate
from hotelattrition.services.contract_editing import revise_block
from tests.conftest import log_in
from tests.invoicing import cancelled_document, madrid_today, stay_document

WHAT_IF = "If the group cancelled today it would owe"
INVOICE = 'href="/invoices/issue/G-100"'


@pytest.fixture
def accounting(client: Any, create_property: Any, create_user: Any) -> Any:
    create_property("MAD", "EUR")
    create_user("acc@example.com", "accounting", ("MAD",))
    log_in(client, "acc@example.com")
    return client


def page(client: Any, code: str = "G-100") -> str:
    return client.get(f"/contracts/{code}").get_data(as_text=True)


def test_a_future_stay_offers_the_what_if_but_no_invoice(
    accounting: Any, create_contract: Any
) -> None:
    create_contract(**stay_document("G-100", days_ago=-60))
    html = page(accounting)
    assert WHAT_IF in html
    assert INVOICE not in html  # attrition is invoiced once the stay is over


def test_a_past_stay_offers_the_invoice_but_no_what_if(
    accounting: Any, create_contract: Any
) -> None:
    create_contract(**stay_document("G-100", days_ago=10))
    html = page(accounting)
    assert WHAT_IF not in html
    assert INVOICE in html


def test_a_settled_contract_offers_no_what_if(accounting: Any, create_contract: Any) -> None:
    create_contract(**stay_document("G-100", days_ago=-60, status="settled"))
    assert WHAT_IF not in page(accounting)


def test_a_cancelled_group_offers_its_invoice_before_the_stay(
    accounting: Any, create_contract: Any
) -> None:
    create_contract(**cancelled_document("G-100"))
    html = page(accounting)
    assert INVOICE in html and WHAT_IF not in html


def test_a_tentative_group_offers_no_invoice(accounting: Any, create_contract: Any) -> None:
    create_contract(**stay_document("G-100", days_ago=10, status="tentative"))
    assert INVOICE not in page(accounting)


def test_a_used_review_date_offers_no_reduction(
    accounting: Any, create_contract: Any, database: Any
) -> None:
    contract = create_contract(**stay_document("G-100", days_ago=-60))
    on = madrid_today() + timedelta(days=5)
    contract.review_dates.append(ReviewDate(review_on=on, max_reduction_pct=Decimal(20)))
    database.flush()
    assert "Apply a reduction" in page(accounting)
    night = contract.arrival
    revise_block(contract, "review", {(night, "DBL"): 25}, on, "test")
    assert "Apply a reduction" not in page(accounting)


def test_days_ahead_say_today_and_tomorrow(
    accounting: Any, create_contract: Any, database: Any
) -> None:
    contract = create_contract(**stay_document("G-100", days_ago=-60))
    today = madrid_today()
    contract.cutoff_on = today
    contract.review_dates.append(
        ReviewDate(review_on=today + timedelta(days=1), max_reduction_pct=Decimal(10))
    )
    database.flush()
    html = page(accounting)
    assert "in 0 days" not in html and "in 1 day" not in html
    assert '<span class="sub">today</span>' in html
    assert '<span class="sub">tomorrow</span>' in html


def test_no_invoice_is_offered_once_a_conversion_issued_it(
    accounting: Any, create_contract: Any
) -> None:
    from hotelattrition.extensions import db
    from hotelattrition.services.contracts import get_contract
    from hotelattrition.services.invoices import credit_invoice
    from hotelattrition.services.settlement_decisions import decide_convert

    clause = {"mode": "credit_paid", "windows": [{"months": 12, "pct": "100"}]}
    create_contract(**stay_document("G-100", days_ago=10, rebooking=clause))
    assert INVOICE in page(accounting)
    decision = decide_convert(get_contract("G-100"), "cli")  # issues the damages invoice
    db.session.commit()
    html = page(accounting)
    assert INVOICE not in html and decision.invoice_number in html
    credit_invoice(decision.invoice_number, "issued in error")  # credited in full: open again
    db.session.commit()
    assert INVOICE in page(accounting)
