"""Invoice pages keep the proof: a lost PDF after the number, payments reversed, not edited."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from hotelattrition.models import Invoice, Payment
from hotelattrition.services import invoices as service
from hotelattrition.services.invoice_payments import balance, record_payment
from hotelattrition.services.invoices import issue_invoice, verify_invoices
from tests.conftest import csrf_token, log_in
from tests.invoicing import madrid_today
from tests.web.test_invoices import FIRST, office, post

__all__ = ["office"]  # the fixture, shared with the invoice page tests


def test_a_pdf_lost_after_the_number_shows_the_invoice_with_a_warning(
    client: Any, database: Any, office: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: Any, **kwargs: Any) -> bytes:
        raise sa.exc.OperationalError("render", {}, Exception("server closed the connection"))

    monkeypatch.setattr(service, "invoice_pdf", crash)  # fails once the number is committed
    log_in(client, "accounting@example.com")
    done = post(client, "/invoices/issue/G-100", page="/invoices/issue/G-100")
    assert done.status_code == 302 and done.location.endswith(f"/invoices/{FIRST}")
    page = client.get(done.location).get_data(as_text=True)
    assert (
        f'<p class="flash warning" role="status">Invoice {FIRST} issued; its PDF will be '
        "rendered on first download.</p>"
    ) in page
    invoice = database.scalar(sa.select(Invoice))
    assert invoice.number == FIRST and invoice.pdf is None
    monkeypatch.undo()
    pdf = client.get(f"/invoices/{FIRST}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    database.expire_all()
    stored = database.scalar(sa.select(Invoice)).pdf
    assert stored is not None and stored.seal is not None
    assert verify_invoices() == []


def test_a_payment_is_reversed_after_a_confirmation(
    client: Any, database: Any, office: None
) -> None:
    invoice = issue_invoice("G-100")
    payment = record_payment(invoice.number, "1000.00", madrid_today(), "TRF 1")
    database.commit()
    log_in(client, "accounting@example.com")
    path = f"/invoices/{invoice.number}"
    action = f"{path}/payments/{payment.id}/reverse"
    page = client.get(path).get_data(as_text=True)
    assert f'action="{action}"' in page and ">Reverse</button>" in page
    asked = post(client, action, page=path)
    assert asked.status_code == 200
    question = asked.get_data(as_text=True)
    assert "Reverse payment" in question and "TRF 1" in question
    assert re.search(r'name="confirmed" type="hidden" value="1"', question)
    assert balance(invoice).paid == Decimal("1000.00")  # asking changes nothing
    done = post(client, action, {"confirmed": "1"}, page=path)
    assert done.status_code == 302 and done.location.endswith(path)
    assert balance(invoice).paid == Decimal("0.00")
    reversal = database.scalar(sa.select(Payment).where(Payment.reverses_id == payment.id))
    assert reversal.amount == Decimal("-1000.00")
    assert reversal.recorded_by == "accounting@example.com"
    after = client.get(path).get_data(as_text=True)
    assert "Payment reversed." in after and f"Reversal of payment {payment.id}" in after
    assert f'action="{action}"' not in after  # reversed once: no second button
    again = post(client, action, {"confirmed": "1"}, page=path)  # a second tab, say
    assert again.status_code == 302
    assert "is reversed already" in client.get(path).get_data(as_text=True)
    assert database.scalar(sa.select(sa.func.count()).select_from(Payment)) == 2
    assert verify_invoices() == []


def test_reversing_needs_the_right_and_the_csrf_token(
    client: Any, database: Any, office: None
) -> None:
    invoice = issue_invoice("G-100")
    payment = record_payment(invoice.number, "1000.00", madrid_today(), "TRF 1")
    database.commit()
    action = f"/invoices/{invoice.number}/payments/{payment.id}/reverse"
    log_in(client, "sales@example.com")
    page = client.get(f"/invoices/{invoice.number}").get_data(as_text=True)
    assert action not in page
    token = csrf_token(client, f"/invoices/{invoice.number}")
    refused = client.post(action, data={"csrf_token": token, "confirmed": "1"})
    assert refused.status_code == 403
    client.post("/logout", data={"csrf_token": token})
    log_in(client, "accounting@example.com")
    assert client.post(action, data={"confirmed": "1"}).status_code == 400
    assert balance(invoice).paid == Decimal("1000.00")


def test_the_confirmation_escapes_the_reference(client: Any, database: Any, office: None) -> None:
    invoice = issue_invoice("G-100")
    payment = record_payment(invoice.number, "10.00", madrid_today(), "<b>TRF</b>")
    database.commit()
    log_in(client, "accounting@example.com")
    path = f"/invoices/{invoice.number}"
    asked = post(client, f"{path}/payments/{payment.id}/reverse", page=path)
    body = asked.get_data(as_text=True)
    assert "&lt;b&gt;TRF&lt;/b&gt;" in body and "<b>TRF</b>" not in body


def test_a_refusal_reaches_a_spanish_user_in_spanish(
    client: Any, database: Any, office: None
) -> None:
    # "payment 1 is reversed already" was an English f-string flashed on the Spanish page.
    invoice = issue_invoice("G-100")
    payment = record_payment(invoice.number, "1000.00", madrid_today(), "TRF 1")
    database.commit()
    log_in(client, "accounting@example.com")
    token = csrf_token(client, "/contracts/")
    client.post("/language", data={"csrf_token": token, "language": "es", "next": "/"})
    path = f"/invoices/{invoice.number}"
    action = f"{path}/payments/{payment.id}/reverse"
    for _ in range(2):  # the second, from a stale tab, is refused
        post(client, action, {"confirmed": "1"}, page=path)
    page = client.get(path).get_data(as_text=True)
    reversal = database.scalar(sa.select(Payment).where(Payment.reverses_id == payment.id))
    assert f"el pago {payment.id} ya está anulado (por el pago {reversal.id})" in page
    assert "is reversed already" not in page
