"""The report pages and files: scoped to the user's properties, totals that match, a real PDF."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from hotelattrition.reports.monthly import MonthlyReport, MonthlyRow, MonthlyTotals, NightFigures
from hotelattrition.reports.monthly_formats import monthly_pdf
from tests.conftest import log_in
from tests.reports.reporting import stored_total

MARCH = date(2027, 3, 1)


@pytest.fixture
def two_hotels(create_contract: Any, create_user: Any) -> dict[str, Any]:
    own = create_contract()  # G-100 at MAD, arriving 10 March 2027
    other = create_contract(code="B-200", property="BCN")
    create_user("sales@example.com", "sales", ("MAD",))
    create_user("admin@example.com", "admin")
    return {"MAD": own.property, "BCN": other.property}


def test_the_monthly_page_shows_the_users_property_with_charts(
    client: Any, two_hotels: dict[str, Any]
) -> None:
    log_in(client, "sales@example.com")
    response = client.get("/reports/?month=2027-03")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "G-100" in page and "B-200" not in page
    assert '<option selected value="MAD">' in page and 'value="BCN"' not in page
    assert page.count("<svg") == 2
    assert " style=" not in page  # the CSP allows no style attributes
    assert "/reports/monthly.csv?property=MAD&amp;month=2027-03" in page


def test_another_propertys_reports_answer_404_but_admins_see_them(
    app: Any, client: Any, two_hotels: dict[str, Any]
) -> None:
    log_in(client, "sales@example.com")
    for path in ("/reports/", "/reports/monthly.csv", "/reports/monthly.pdf"):
        assert client.get(f"{path}?property=BCN&month=2027-03").status_code == 404
    for path in ("/reports/early-warning", "/reports/early-warning.csv"):
        assert client.get(f"{path}?property=BCN").status_code == 404
    admin = app.test_client()
    log_in(admin, "admin@example.com")
    page = admin.get("/reports/?property=BCN&month=2027-03").get_data(as_text=True)
    assert "B-200" in page and "G-100" not in page
    assert 'value="MAD"' in page and 'value="BCN"' in page


def test_a_bad_month_is_refused_with_the_form(client: Any, two_hotels: dict[str, Any]) -> None:
    log_in(client, "sales@example.com")
    response = client.get("/reports/?month=March")
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert client.get("/reports/monthly.csv?month=2027-13").status_code == 400


def test_csv_download_totals_match_the_stored_settlements(
    client: Any, two_hotels: dict[str, Any]
) -> None:
    log_in(client, "sales@example.com")
    response = client.get("/reports/monthly.csv?property=MAD&month=2027-03")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="pickup-MAD-2027-03.csv"' in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # spreadsheets then read it as UTF-8
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["code"] for r in rows] == ["G-100", "total"]
    assert Decimal(rows[-1]["damages"]) == stored_total(two_hotels["MAD"], MARCH, date(2027, 4, 1))


def test_pdf_download_is_landscape_with_the_totals(client: Any, two_hotels: dict[str, Any]) -> None:
    log_in(client, "sales@example.com")
    response = client.get("/reports/monthly.pdf?property=MAD&month=2027-03")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.data))
    page = pdf.pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = page.extract_text()
    total = stored_total(two_hotels["MAD"], MARCH, date(2027, 4, 1))
    assert "Monthly pickup · March 2027" in text
    assert f"€{total:,.2f}" in text


def a_row(i: int) -> MonthlyRow:
    money = dict(minimum=Decimal(16), shortfall=Decimal(6), damages=Decimal("600.00"))
    return MonthlyRow(
        code=f"G-{i:03}", name=f"Group {i}", account="Account", status="definite",
        arrival=MARCH, departure=MARCH + timedelta(days=2), currency="EUR", block=20,
        picked_up=10, previous=8, shoulder=0, arrives=True, owed=False,
        settlement_status="attrition", fnb_minimum=None, fnb_actual=None, **money,
    )  # fmt: skip


def test_a_long_pdf_repeats_the_table_header_on_every_page(app: Any) -> None:
    rows = [a_row(i) for i in range(90)]
    totals = MonthlyTotals(
        "EUR", 90, 1800, 900, 720, 0, Decimal(1440), Decimal(540), Decimal("54000.00"),
        Decimal(0), Decimal(0),
    )  # fmt: skip
    nights = [NightFigures(MARCH + timedelta(days=i), 0, 0) for i in range(31)]
    report = MonthlyReport("MAD", "Hotel MAD", MARCH, MARCH, MARCH, rows, [totals], nights, [])
    with app.test_request_context():
        pdf = PdfReader(io.BytesIO(monthly_pdf(report)))
    assert len(pdf.pages) >= 3
    for page in pdf.pages:
        assert "PICKED UP" in page.extract_text()
    assert "€54,000.00" in pdf.pages[-1].extract_text()


def test_the_early_warning_page_and_csv(client: Any, two_hotels: dict[str, Any]) -> None:
    log_in(client, "sales@example.com")
    page = client.get("/reports/early-warning")
    assert page.status_code == 200
    assert "Early warning" in page.get_data(as_text=True)
    response = client.get("/reports/early-warning.csv?property=MAD")
    assert response.mimetype == "text/csv"
    header = response.get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert header.startswith("code,group,account,status,currency")


def test_the_monthly_headline_tells_owed_from_projected_and_tentative_is_asked_for(
    client: Any, create_contract: Any, create_user: Any
) -> None:
    sure = create_contract()  # G-100, definite, arriving 10 March 2027: 4,477.00 projected
    maybe = create_contract(code="T-1", status="tentative")
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    page = client.get("/reports/?month=2027-03").get_data(as_text=True)
    assert "Owed EUR" in page and "Projected EUR" in page
    assert f"€{sure.settlement.total:,.2f}" in page
    assert f"€{sure.settlement.total + maybe.settlement.total:,.2f}" not in page
    assert "and 1 tentative, not in the totals" in page
    assert "The totals leave out 1 tentative group." in page
    asked = client.get("/reports/?month=2027-03&tentative=y").get_data(as_text=True)
    assert f"€{sure.settlement.total + maybe.settlement.total:,.2f}" in asked
    assert "monthly.csv?property=MAD&amp;month=2027-03&amp;tentative=y" in asked
    lines = list(csv.DictReader(io.StringIO(
        client.get("/reports/monthly.csv?property=MAD&month=2027-03").get_data(as_text=True)
        .lstrip("\ufeff")
    )))  # fmt: skip
    total = lines[-1]
    assert Decimal(total["projected_damages"]) == sure.settlement.total
    assert total["owed_damages"] == "0.00"
