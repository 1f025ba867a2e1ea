"""Properties kept by the administrator: rates, bank details checked, where to pay printed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from hotelattrition.documents.invoices import invoice_html
from hotelattrition.models import AuditEntry, Property
from hotelattrition.services.invoice_verify import verify_invoices
from hotelattrition.services.invoices import issue_invoice
from tests.conftest import csrf_token, log_in
from tests.invoicing import stay_document


@pytest.fixture
def office(create_contract: Any, create_user: Any, create_property: Any) -> Any:
    create_property("BCN")
    contract = create_contract(**stay_document("G-100"))
    create_user("admin@example.com", "admin")
    create_user("sales@example.com", "sales", ("MAD",))
    return contract


FORM = {
    "name": "Hotel Barcelona",
    "legal_name": "Hotel Barcelona, S.L.",
    "address": "Passeig de Gràcia 1\n08007 Barcelona",
    "country": "ES",
    "tax_id": "B12345674",
    "currency": "EUR",
    "locale": "es_ES",
    "timezone": "Europe/Madrid",
    "room_tax_pct": "10",
    "fnb_service_charge_pct": "0",
    "fnb_tax_pct": "10",
    "meeting_room_tax_pct": "21",
    "services_tax_pct": "21",
    "cancellation_tax_pct": "0",
    "room_types": "dbl, twn STE dbl",
    "invoice_title": "invoice",
    "payment_terms_days": "30",
    "iban": "es91 2100 0418 4502 0005 1332",
    "bic": "caixesbbxxx",
    "payment_instructions": "CaixaBank, Barcelona",
    "at_risk_drop_pct": "25",
}


def save(client: Any, code: str, **fields: str) -> Any:
    path = f"/properties/{code}/edit"
    return client.post(path, data={"csrf_token": csrf_token(client, path), **FORM, **fields})


def test_the_admin_saves_a_property_and_the_change_is_audited(
    client: Any, database: Any, office: Any
) -> None:
    log_in(client, "admin@example.com")
    assert "BCN" in client.get("/properties/").get_data(as_text=True)
    done = save(client, "BCN", fnb_tax_pct="10.5")
    assert done.status_code == 302, done.get_data(as_text=True)[-3000:]
    bcn = database.scalar(sa.select(Property).where(Property.code == "BCN"))
    assert (bcn.iban, bcn.bic, bcn.room_types) == (
        "ES91 2100 0418 4502 0005 1332",
        "CAIXESBBXXX",
        "DBL TWN STE",
    )
    assert bcn.fnb_tax_pct == Decimal("10.5") and bcn.tax_id == "B12345674"
    entry = database.scalar(sa.select(AuditEntry).where(AuditEntry.action == "edit_property"))
    assert entry.entity_key == "BCN" and entry.actor == "admin@example.com"
    assert entry.changes["iban"] == {"before": "", "after": "ES91 2100 0418 4502 0005 1332"}


def test_bad_settings_are_shown_by_their_fields_and_nothing_is_stored(
    client: Any, database: Any, office: Any
) -> None:
    log_in(client, "admin@example.com")
    refused = save(
        client,
        "MAD",
        iban="ES91 2100 0418 4502 0005 1333",
        room_tax_pct="101",
        currency="USD",  # MAD has a contract in EUR
        payment_terms_days="-5",
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'id="iban-error">not a valid IBAN' in page
    assert 'id="currency-error">fixed once the property has contracts' in page
    assert 'id="room_tax_pct-error">' in page and 'id="payment_terms_days-error">' in page
    assert 'value="ES91 2100 0418 4502 0005 1333"' in page
    too_long = save(client, "MAD", payment_instructions="x" * 1001).get_data(as_text=True)
    assert 'id="payment_instructions-error">At most 1000 characters' in too_long
    mad = database.scalar(sa.select(Property).where(Property.code == "MAD"))
    assert mad.iban == "" and mad.currency == "EUR"


def test_only_admins_keep_properties(client: Any, office: Any) -> None:
    log_in(client, "sales@example.com")
    assert client.get("/properties/").status_code == 403
    assert client.get("/properties/MAD/edit").status_code == 403


def test_the_invoice_says_where_and_when_to_pay_as_at_issue(database: Any, office: Any) -> None:
    mad = database.scalar(sa.select(Property).where(Property.code == "MAD"))
    mad.iban, mad.bic = "ES91 2100 0418 4502 0005 1332", "CAIXESBBXXX"
    mad.payment_instructions, mad.payment_terms_days = "CaixaBank, Madrid", 30
    invoice = issue_invoice(office)
    mad.iban = "ES79 2100 0813 6101 2345 6789"
    database.flush()
    html = invoice_html(invoice.snapshot)
    assert "<p>IBAN ES91 2100 0418 4502 0005 1332</p>" in html and "ES79" not in html
    assert "<p>BIC / SWIFT CAIXESBBXXX</p>" in html and "<p>CaixaBank, Madrid</p>" in html
    assert "30 días" in html or "30 days" in html
    assert verify_invoices() == []


def test_the_admin_adds_a_property_with_its_bank_details(
    client: Any, database: Any, office: Any
) -> None:
    log_in(client, "admin@example.com")
    path = "/properties/new"
    data = {"csrf_token": csrf_token(client, path), **FORM}
    data |= {"code": "bcn2", "name": "Hotel Diagonal"}
    added = client.post(path, data=data)
    assert added.status_code == 302, added.get_data(as_text=True)[-2000:]
    new = database.scalar(sa.select(Property).where(Property.code == "BCN2"))
    assert (new.name, new.invoice_prefix, new.iban) == (
        "Hotel Diagonal",
        "BCN2",
        "ES91 2100 0418 4502 0005 1332",
    )
    again = client.post(path, data=data | {"iban": "ES00"})
    page = again.get_data(as_text=True)
    assert again.status_code == 400 and 'id="code-error">another property has this code' in page
    taken_and_bad = client.post(path, data=data | {"code": "BCN3", "iban": "ES00"})
    assert 'id="iban-error">not a valid IBAN' in taken_and_bad.get_data(as_text=True)
    assert database.scalar(sa.select(Property).where(Property.code == "BCN3")) is None
