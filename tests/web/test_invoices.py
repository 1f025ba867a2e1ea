"""Invoice pages: issue from a contract, the list and its filters, PDF, credit and payment."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from hotelattrition.models import Invoice, InvoicePdf, Property
from hotelattrition.services.invoice_payments import record_payment
from hotelattrition.services.invoices import issue_invoice
from tests.conftest import csrf_token, log_in
from tests.invoicing import cancelled_document, madrid_today, stay_document

YEAR = madrid_today().year
FIRST = f"MAD-{YEAR}-000001"


@pytest.fixture
def office(create_contract: Any, create_user: Any) -> None:
    """Two finished contracts at MAD, one at BCN; a user of each role at MAD."""
    create_contract(**stay_document("G-100"))
    create_contract(**cancelled_document("C-300"))
    create_contract(**cancelled_document("B-200", property="BCN"))
    for role in ("admin", "accounting", "sales"):
        create_user(f"{role}@example.com", role, ("MAD",))


def post(
    client: Any, path: str, data: dict[str, Any] | None = None, page: str = "/invoices/"
) -> Any:
    return client.post(path, data={"csrf_token": csrf_token(client, page), **(data or {})})


def test_accounting_issues_from_the_contract_and_downloads_the_pdf(
    client: Any, database: Any, office: None
) -> None:
    log_in(client, "accounting@example.com")
    listing = client.get("/invoices/").get_data(as_text=True)
    assert "Ready to invoice" in listing and "/invoices/issue/G-100" in listing
    page = client.get("/invoices/issue/G-100").get_data(as_text=True)
    assert "4.477,00" in page or "4,477.00" in page
    done = post(client, "/invoices/issue/G-100", page="/invoices/issue/G-100")
    assert done.status_code == 302 and done.location.endswith(f"/invoices/{FIRST}")
    shown = client.get(done.location).get_data(as_text=True)
    assert FIRST in shown and "Desgaste de habitaciones" in shown
    pdf = client.get(f"/invoices/{FIRST}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    stored = database.scalar(sa.select(InvoicePdf))
    assert hashlib.sha256(pdf.data).hexdigest() == stored.sha256
    assert pdf.headers["Content-Disposition"] == f'inline; filename="{FIRST}.pdf"'
    again = post(client, "/invoices/issue/G-100", page="/invoices/issue/G-100")
    assert again.status_code == 400
    assert "is invoiced already" in again.get_data(as_text=True)


def test_a_refused_issue_says_why(
    client: Any, database: Any, office: Any, create_contract: Any
) -> None:
    create_contract(**stay_document("LATE", days_ago=1))
    log_in(client, "admin@example.com")
    refused = post(client, "/invoices/issue/LATE", page="/invoices/issue/LATE")
    assert refused.status_code == 400
    assert "once the stay is over" in refused.get_data(as_text=True)
    assert database.scalar(sa.select(sa.func.count()).select_from(Invoice)) == 0


def test_the_list_filters_and_shows_only_the_users_properties(
    app: Flask, client: Any, database: Any, office: None
) -> None:
    first = issue_invoice("G-100")
    second = issue_invoice("C-300")
    other = issue_invoice("B-200")
    record_payment(second.number, second.total, madrid_today(), "TRF")
    log_in(client, "sales@example.com")

    def numbers(query: str = "") -> set[str]:
        page = client.get(f"/invoices/?{query}").get_data(as_text=True)
        return set(re.findall(r"[A-Z]{3}-\d{4}-\d{6}", page))

    assert numbers() == {first.number, second.number}
    assert numbers("status=paid") == {second.number}
    assert numbers("status=open") == {first.number}
    assert numbers("overdue=y") == set()
    assert numbers(f"issued_from={madrid_today() + timedelta(days=1)}") == set()
    assert numbers("property=BCN") == set()
    assert client.get(f"/invoices/{other.number}").status_code == 404
    admin = app.test_client()
    log_in(admin, "admin@example.com")
    assert other.number in admin.get("/invoices/?property=BCN").get_data(as_text=True)


def test_overdue_invoices_are_flagged(client: Any, database: Any, office: None) -> None:
    prop = database.scalar(sa.select(Property).where(Property.code == "MAD"))
    prop.payment_terms_days = -1  # due yesterday, as if issued a month ago on 30-day terms
    invoice = issue_invoice("G-100")
    log_in(client, "sales@example.com")
    page = client.get("/invoices/?overdue=y").get_data(as_text=True)
    assert invoice.number in page and "overdue" in page


def test_credit_and_payment_actions(client: Any, database: Any, office: None) -> None:
    invoice = issue_invoice("G-100")
    log_in(client, "accounting@example.com")
    path = f"/invoices/{invoice.number}"
    missing = post(client, f"{path}/credit", {"lines": ["2"]}, page=path)
    assert missing.status_code == 400  # no reason: the ticked line is kept
    assert re.search(r'<input checked[^>]* value="2"', missing.get_data(as_text=True))
    credited = post(client, f"{path}/credit", {"lines": ["2"], "reason": "F&B corrected"}, path)
    assert credited.status_code == 302 and credited.location.endswith(f"-{YEAR}-000002")
    over = post(
        client, f"{path}/payments", {"amount": "9999", "paid_on": madrid_today(), "reference": "T"}
    )
    assert over.status_code == 400
    body = over.get_data(as_text=True)
    assert "more than the open balance" in body and 'value="9999"' in body
    paid = post(
        client,
        f"{path}/payments",
        {"amount": "2277.00", "paid_on": madrid_today(), "reference": "T"},
    )
    assert paid.status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "paid" in page and "Record a payment" not in page


def test_sales_may_read_but_not_act(client: Any, database: Any, office: None) -> None:
    invoice = issue_invoice("G-100")
    log_in(client, "sales@example.com")
    path = f"/invoices/{invoice.number}"
    page = client.get(path).get_data(as_text=True)
    assert invoice.number in page and "Issue a credit note" not in page
    assert post(client, f"{path}/credit", {"reason": "x"}).status_code == 403
    assert client.get("/invoices/issue/C-300").status_code == 403


def test_actions_need_the_csrf_token(client: Any, database: Any, office: None) -> None:
    invoice = issue_invoice("G-100")
    log_in(client, "accounting@example.com")
    refused = client.post(f"/invoices/{invoice.number}/credit", data={"reason": "x"})
    assert refused.status_code == 400
    assert client.post("/invoices/issue/C-300").status_code == 400
    assert database.scalar(sa.select(sa.func.count()).select_from(Invoice)) == 1


def test_a_refusal_speaks_spanish_with_dates_as_pages_say_them(
    client: Any, database: Any, office: Any, create_contract: Any
) -> None:
    create_contract(**stay_document("LATE", days_ago=1))
    log_in(client, "admin@example.com")
    page = "/invoices/issue/LATE"
    token = csrf_token(client, page)
    refused = client.post(page, data={"csrf_token": token}, headers={"Accept-Language": "es"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "el desgaste se factura cuando termina la estancia" in body
    today = madrid_today()
    assert f"hoy es {today.day} " in body and today.isoformat() not in body


def test_a_credit_note_with_no_line_ticked_is_refused(
    client: Any, database: Any, office: None
) -> None:
    # Ticking nothing once credited every line: the invoice was voided by a slip.
    invoice = issue_invoice("G-100")
    log_in(client, "accounting@example.com")
    path = f"/invoices/{invoice.number}"
    token = csrf_token(client, path)
    refused = client.post(f"{path}/credit", data={"csrf_token": token, "reason": "Agreed"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert re.search(r'class="field has-error">.*Tick the lines to credit\.', body, re.S)
    assert 'value="Agreed"' in body  # nothing typed is lost
    assert database.scalar(sa.select(sa.func.count()).select_from(Invoice)) == 1


def test_tax_lines_follow_the_subtotal_and_an_overpayment_says_so_in_spanish(
    client: Any, database: Any, office: None
) -> None:
    invoice = issue_invoice("G-100")
    log_in(client, "accounting@example.com")
    path = f"/invoices/{invoice.number}"
    page = client.get(path).get_data(as_text=True)
    foot = page[page.index("<tfoot>") : page.index("</tfoot>")]
    assert foot.index("Subtotal") < foot.index("Tax ") < foot.index("Total<")
    data = {"csrf_token": csrf_token(client, path), "amount": "9999",
            "paid_on": madrid_today(), "reference": "T"}  # fmt: skip
    over = client.post(f"{path}/payments", data=data, headers={"Accept-Language": "es"})
    assert over.status_code == 400
    assert "supera el saldo pendiente (4477.00 EUR)" in over.get_data(as_text=True)
