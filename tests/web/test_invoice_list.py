"""The invoices list in pages: keyset pages newest first, ties in the issue date, the first
and last pages, filters and totals kept across pages (documents written straight to the
tables, many at once)."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from hotelattrition.models import Invoice, Payment, User
from hotelattrition.reports.invoices import (
    InvoiceCursor,
    InvoiceFilters,
    invoice_page,
    open_totals,
)
from hotelattrition.services.payment_chains import append_payment, lock_chain
from tests.conftest import log_in
from tests.listing import add_account, add_contract

START = date(2026, 3, 2)


def add_invoice(
    session: Any, contract: Any, number: str, issued_on: date, total: str = "100.00",
    credits: Invoice | None = None,
) -> Invoice:  # fmt: skip
    """An issued document, straight into the table (the list reads nothing else of it)."""
    invoice = Invoice(
        number=number, property=contract.property, year=issued_on.year,
        sequence=int(number[-6:]), kind="credit_note" if credits else "invoice",
        title="credit_note" if credits else "invoice", contract=contract, original=credits,
        issued_on=issued_on, due_on=issued_on + timedelta(days=30),
        currency=contract.property.currency, subtotal=Decimal(total), tax=Decimal(0),
        total=Decimal(total), buyer_name=f"Buyer {number}", snapshot={},
        snapshot_sha256="0" * 64, previous_hash="0" * 64, record_hash=f"{number:0>64}",
        issued_by="test",
    )  # fmt: skip
    session.add(invoice)
    return invoice


def add_payment(session: Any, invoice: Invoice, amount: str) -> None:
    session.flush()  # the invoice's id, for its payment chain
    payment = Payment(paid_on=invoice.issued_on, amount=Decimal(amount), reference="TRF",
                      recorded_by="test")  # fmt: skip
    append_payment(lock_chain(invoice), invoice, payment)


def add_invoices(session: Any, contract: Any, count: int, start: date = START) -> list[str]:
    """`count` invoices, three issued each day (inserted against the order within a day);
    their numbers in the list's order, newest first. Every third one is paid in full."""
    keys = []
    code = contract.property.code
    for i in range(count):
        day, nth = divmod(i, 3)
        number = f"{code}-2026-{day * 3 + 2 - nth + 1:06d}"
        issued_on = start + timedelta(days=day)
        invoice = add_invoice(session, contract, number, issued_on)
        if i % 3 == 0:
            add_payment(session, invoice, "100.00")
        keys.append((issued_on, number))
    session.flush()
    return [number for _, number in sorted(keys, reverse=True)]


@pytest.fixture
def office(database: Any, create_property: Any, create_user: Any) -> dict[str, Any]:
    mad, bcn = create_property("MAD"), create_property("BCN")
    acme = add_account(database, "Acme Pharma")
    g100 = add_contract(database, mad, acme, "G-100", date(2026, 2, 1))
    b200 = add_contract(database, bcn, acme, "B-200", date(2026, 2, 1))
    database.flush()
    create_user("admin@example.com", "admin")
    create_user("sales@example.com", "sales", ("MAD",))
    return {"mad": mad, "bcn": bcn, "g100": g100, "b200": b200}


def numbers(page: str) -> list[str]:
    return re.findall(r'<td class="nowrap"><a href="/invoices/([^"]+)">', page)


def walk(client: Any, url: str, rel: str = "next") -> tuple[list[list[str]], str]:
    """Follow the `rel` links from `url`: the numbers of every page, and the last page."""
    pages = []
    while True:
        page = client.get(url).get_data(as_text=True)
        pages.append(numbers(page))
        found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
        if not found:
            return pages, page
        url = html.unescape(found.group(1))


def test_pages_walk_every_document_once_newest_first_ties_by_number(
    client: Any, database: Any, office: dict[str, Any]
) -> None:
    expected = add_invoices(database, office["g100"], 120)
    log_in(client, "sales@example.com")
    first = client.get("/invoices/").get_data(as_text=True)
    assert 'rel="prev"' not in first and "First page" not in first
    assert "120 documents" in first  # the count covers every page, not this one
    pages, last = walk(client, "/invoices/")
    assert [len(p) for p in pages] == [50, 50, 20]
    assert [n for p in pages for n in p] == expected
    assert 'rel="next"' not in last and "First page" in last
    found = re.search(r'<a href="([^"]+)" rel="prev">', last)
    assert found
    back, top = walk(client, html.unescape(found.group(1)), "prev")
    assert back == pages[-2::-1]
    assert 'rel="prev"' not in top


def test_filters_ride_along_the_pages(client: Any, database: Any, office: dict[str, Any]) -> None:
    mad = add_invoices(database, office["g100"], 75)
    add_invoices(database, office["b200"], 60)
    log_in(client, "admin@example.com")
    pages, _ = walk(client, "/invoices/?property=MAD")
    assert [len(p) for p in pages] == [50, 25]
    assert [n for p in pages for n in p] == mad
    page = client.get("/invoices/?property=MAD").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" rel="next">', page)
    assert link and "property=MAD" in html.unescape(link.group(1))
    paid, _ = walk(client, "/invoices/?property=MAD&status=paid")  # every third: paid in full
    assert [n for p in paid for n in p] == [n for i, n in enumerate(mad) if _paid(n)]
    open_, _ = walk(client, "/invoices/?status=open&property=MAD")
    assert [n for p in open_ for n in p] == [n for n in mad if not _paid(n)]
    assert [len(p) for p in open_] == [50]


def _paid(number: str) -> bool:
    """add_invoices pays the first inserted of each day: the highest number of the three."""
    return int(number[-6:]) % 3 == 0


def test_totals_and_count_cover_every_page(
    client: Any, database: Any, office: dict[str, Any]
) -> None:
    add_invoices(database, office["g100"], 90)  # 30 paid, 60 open at 100.00
    log_in(client, "sales@example.com")
    for url in ("/invoices/", "/invoices/?after=2026-03-10_MAD-2026-000027"):
        page = client.get(url).get_data(as_text=True)
        assert "90 documents" in page
        assert "€6,000.00" in page


def test_credit_notes_and_payments_are_summed_per_invoice(
    database: Any, office: dict[str, Any]
) -> None:
    invoice = add_invoice(database, office["g100"], "MAD-2026-000001", START, "300.00")
    add_invoice(database, office["g100"], "MAD-2026-000002", START, "-100.00", credits=invoice)
    add_invoice(database, office["g100"], "MAD-2026-000003", START, "-50.00", credits=invoice)
    for amount in ("20.00", "30.00", "40.00"):
        add_payment(database, invoice, amount)
    database.flush()
    user = database.query(User).filter_by(email="sales@example.com").one()
    rows = {r.number: r for r in invoice_page(user, InvoiceFilters()).rows}
    row = rows["MAD-2026-000001"]
    assert (row.credited, row.paid, row.open) == (Decimal("-150"), Decimal("90"), Decimal("60"))
    assert row.status == "partly_paid"
    assert rows["MAD-2026-000002"].open == 0  # a credit note owes nothing
    [total] = open_totals(user, InvoiceFilters())
    assert (total.open, total.documents) == (Decimal("60"), 3)


def test_cursors_past_either_end_and_unreadable_ones(database: Any, office: dict[str, Any]) -> None:
    expected = add_invoices(database, office["g100"], 60)
    user = database.query(User).filter_by(email="sales@example.com").one()
    first = invoice_page(user, InvoiceFilters())
    assert [r.number for r in first.rows] == expected[:50]
    assert first.previous is None and first.next == first.rows[-1].cursor
    past = InvoiceCursor(START - timedelta(days=1), "MAD-0000-000000")
    last = invoice_page(user, InvoiceFilters(after=past))  # nothing after: the last page
    assert [r.number for r in last.rows] == expected[10:]
    assert last.next is None
    before_all = InvoiceCursor(date(2030, 1, 1), "ZZZ")
    top = invoice_page(user, InvoiceFilters(before=before_all))  # nothing before: the first
    assert [r.number for r in top.rows] == expected[:50]
    assert InvoiceCursor.parse(str(first.next)) == first.next
    for junk in ("", "2026-13-01_X", "yesterday", "2026-03-02-MAD", "2026-03-02_" + "x" * 60):
        assert InvoiceCursor.parse(junk) is None


@pytest.mark.parametrize(
    "query",
    ["", "?status=open&issued_from=2026-01-02&issued_to=2026-02-03&overdue=y",
     "?issued_from=xx&status=lost"],
)  # fmt: skip
def test_the_written_out_filters_are_the_widgets_markup(
    app: Any, client: Any, office: dict[str, Any], query: str
) -> None:
    """The list writes its filter fields by hand, for speed: the same HTML WTForms renders."""
    from flask import render_template_string, request

    from hotelattrition.web.invoices.forms import FilterForm

    log_in(client, "sales@example.com")
    page = client.get(f"/invoices/{query}").get_data(as_text=True)
    with app.test_request_context(f"/invoices/{query}"):
        form = FilterForm(request.args)
        form.property.choices = []
        form.validate()
        widgets = render_template_string(
            '{% from "macros/forms.html" import field %}{{ field(form.status) }}'
            "{{ field(form.issued_from) }}{{ field(form.issued_to) }}"
            "<div>{{ form.overdue() }} {{ form.overdue.label }}</div>",
            form=form,
        )
    for name in ("status", "issued_from", "issued_to"):
        assert _field(widgets, name) == _field(page, name)
    overdue = re.search(r'<input[^>]*id="overdue"[^>]*>', widgets)
    assert overdue and overdue.group(0) in page


def _field(page: str, name: str) -> str:
    """The field's label, control and errors, whitespace aside."""
    found = re.search(rf'<label for="{name}">.*?</div>', page, re.S)
    assert found, name
    return re.sub(r"\s+", "", found.group(0))


def test_status_filters_over_credit_notes_and_payments_across_pages(
    client: Any, database: Any, office: dict[str, Any]
) -> None:
    numbers_all = add_invoices(database, office["g100"], 60)  # every third paid in full
    day = START + timedelta(days=40)
    whole = add_invoice(database, office["g100"], "MAD-2026-000901", day, "80.00")
    add_invoice(database, office["g100"], "MAD-2026-000902", day, "-80.00", credits=whole)
    part = add_invoice(database, office["g100"], "MAD-2026-000903", day, "80.00")
    add_invoice(database, office["g100"], "MAD-2026-000904", day, "-30.00", credits=part)
    database.flush()
    log_in(client, "sales@example.com")

    def listed(query: str) -> list[str]:
        pages, _ = walk(client, f"/invoices/?{query}")
        return [n for p in pages for n in p]

    assert listed("status=credit_note") == ["MAD-2026-000904", "MAD-2026-000902"]
    assert listed("status=credited") == ["MAD-2026-000901"]
    opened = listed("status=open")
    assert opened == ["MAD-2026-000903"] + [n for n in numbers_all if not _paid(n)]
    assert [len(p) for p in walk(client, "/invoices/?status=open")[0]] == [41]
    page = client.get("/invoices/?status=open").get_data(as_text=True)
    assert "41 documents" in page and "€4,050.00" in page  # 40 x 100.00 + 80.00 - 30.00
