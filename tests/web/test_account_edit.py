"""Editing an account: tax ids checked per country, parents without cycles, bill-to frozen."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa

from hotelattrition.documents.invoices import invoice_html
from hotelattrition.domain.tax_ids import check_iban, check_tax_id, tax_id_label
from hotelattrition.models import Account, AuditEntry
from hotelattrition.services.invoice_verify import verify_invoices
from hotelattrition.services.invoices import issue_invoice
from tests.conftest import csrf_token, log_in
from tests.invoicing import stay_document


@pytest.mark.parametrize(
    ("country", "typed", "stored", "label"),
    [
        ("ES", "b 1234567-4", "B12345674", "NIF"),  # a CIF
        ("ES", "x2482300w", "X2482300W", "NIF"),  # a NIE
        ("MX", "GODE 561231 GR8", "GODE561231GR8", "RFC"),
        ("US", "04-2103594", "042103594", "EIN"),
        ("DE", "136695976", "DE136695976", "VAT"),  # typed without its prefix
        ("FR", "FR 40 303 265 045", "FR40303265045", "VAT"),
        ("JP", "1234-5678-9012", "1234-5678-9012", ""),  # no known rule: kept as typed
    ],
)
def test_tax_ids_are_checked_and_kept_in_standard_form(
    country: str, typed: str, stored: str, label: str
) -> None:
    assert check_tax_id(country, typed) == (stored, None)
    assert tax_id_label(country) == label


def test_bad_tax_ids_and_ibans_say_which_rule_they_fail() -> None:
    assert check_tax_id("ES", "B12345675") == ("B12345675", "not a valid NIF")
    assert check_tax_id("MX", "XXXX") == ("XXXX", "not a valid RFC")
    assert check_tax_id("JP", "9" * 51)[1] == "at most 50 characters"
    assert check_iban("es91 2100 0418 4502 0005 1332") == ("ES91 2100 0418 4502 0005 1332", None)
    assert check_iban("ES91 2100 0418 4502 0005 1333")[1] == "not a valid IBAN"


@pytest.fixture
def office(create_contract: Any, create_user: Any, database: Any) -> Any:
    contract = create_contract(**stay_document("G-100"))
    database.add(Account(name="Acme Group"))
    database.flush()
    for role in ("accounting", "sales", "viewer"):
        create_user(f"{role}@example.com", role, ("MAD",))
    return contract


def edit(client: Any, account: Account, **fields: str) -> Any:
    path = f"/accounts/{account.id}/edit"
    data = {
        "name": account.name,
        "billing_address": "",
        "country": "",
        "tax_id": "",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "parent_id": "",
    } | fields
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def test_sales_saves_the_billing_details_and_the_change_is_audited(
    client: Any, database: Any, office: Any
) -> None:
    account = office.account
    log_in(client, "sales@example.com")
    done = edit(
        client,
        account,
        billing_address="Calle Mayor 1\n28013 Madrid",
        country="ES",
        tax_id="b12345674",
        contact_name="Lucía Pérez",
        contact_email="Lucia@Acme.example",
        contact_phone="+34 600 000 000",
    )
    assert done.status_code == 302, re.findall(
        r"class=\"error\"[^>]*>([^<]*)", done.get_data(as_text=True)
    )
    assert (account.tax_id, account.country, account.contact_email) == (
        "B12345674",
        "ES",
        "lucia@acme.example",
    )
    entry = database.scalar(sa.select(AuditEntry).where(AuditEntry.action == "edit_account"))
    assert entry.actor == "sales@example.com"
    assert entry.changes["tax_id"] == {"before": "", "after": "B12345674"}
    page = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "<dt>NIF</dt><dd>B12345674</dd>" in page and "Calle Mayor 1" in page


def test_a_bad_tax_id_is_shown_next_to_its_field_and_nothing_typed_is_lost(
    client: Any, database: Any, office: Any
) -> None:
    account = office.account
    log_in(
        client,
        "sales@example.com",
    )
    client.post(
        "/language", data={"language": "es", "csrf_token": csrf_token(client, "/accounts/")}
    )
    refused = edit(client, account, country="ES", tax_id="B12345675", contact_name="Jorge Ruiz")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'id="tax_id-error">no es un NIF válido' in page
    assert 'value="B12345675"' in page and 'value="Jorge Ruiz"' in page
    assert account.tax_id is None and account.contact_name == ""


def test_a_parent_may_not_be_the_account_itself_nor_below_it(
    client: Any, database: Any, office: Any
) -> None:
    account = office.account
    group = database.scalar(sa.select(Account).where(Account.name == "Acme Group"))
    log_in(client, "accounting@example.com")
    # Acme Group has no contract at MAD: an accounting user at MAD cannot choose it.
    assert edit(client, account, parent_id=str(group.id)).status_code == 400
    group.parent_id = None
    account_child = Account(name="Acme Iberia", parent_id=account.id)
    database.add(account_child)
    database.flush()
    from hotelattrition.services import ServiceError
    from hotelattrition.services.accounts import AccountDetails, update_account

    with pytest.raises(ServiceError) as itself:
        update_account("cli", account, AccountDetails(name=account.name, parent_id=account.id))
    assert itself.value.problems == [("parent_id", "an account cannot be its own parent")]
    with pytest.raises(ServiceError) as cycle:
        update_account(
            "cli", account, AccountDetails(name=account.name, parent_id=account_child.id)
        )
    assert cycle.value.problems == [
        ("parent_id", "this account is already above the chosen parent")
    ]
    update_account("cli", account_child, AccountDetails(name="Acme Iberia", parent_id=None))
    update_account("cli", account, AccountDetails(name=account.name, parent_id=group.id))
    assert account.parent_id == group.id


def test_viewers_cannot_edit_and_every_input_is_bounded(
    client: Any, database: Any, office: Any
) -> None:
    account = office.account
    log_in(client, "viewer@example.com")
    assert client.get(f"/accounts/{account.id}/edit").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/accounts/")})
    log_in(client, "sales@example.com")
    long = edit(client, account, billing_address="x" * 501, contact_phone="1" * 51)
    page = long.get_data(as_text=True)
    assert long.status_code == 400 and page.count("At most") == 2


def test_the_bill_to_is_frozen_at_issue_with_its_tax_label(
    client: Any, database: Any, office: Any
) -> None:
    account = office.account
    account.billing_address = "Calle Mayor 1\n28013 Madrid"
    account.country, account.tax_id = "ES", "B12345674"
    invoice = issue_invoice(office)
    account.billing_address, account.tax_id = "Somewhere else", "X2482300W"
    database.flush()
    html = invoice_html(invoice.snapshot)
    assert "<p>NIF B12345674</p>" in html and "<p>28013 Madrid</p>" in html
    assert "X2482300W" not in html
    assert verify_invoices() == []
    log_in(client, "accounting@example.com")
    page = client.get(f"/invoices/{invoice.number}").get_data(as_text=True)
    assert "NIF B12345674" in page and "28013 Madrid" in page and "Somewhere else" not in page
