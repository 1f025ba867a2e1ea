"""The retention page and its files: scoped to the user's properties, charts, CSV, a real PDF,
choices refused next to their field."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from tests.conftest import log_in


@pytest.fixture
def two_hotels(create_contract: Any, create_user: Any) -> None:
    create_contract()  # G-100 at MAD for Acme Pharma, arriving 10 March 2027
    create_contract(code="B-200", property="BCN", account="Barça Travel")
    create_user("sales@example.com", "sales", ("MAD",))
    create_user("admin@example.com", "admin")


def test_the_page_shows_the_users_properties_with_charts(client: Any, two_hotels: None) -> None:
    log_in(client, "sales@example.com")
    response = client.get("/reports/retention?by=year&year=2027&as_of=2027-06-30")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("<svg") == 2
    assert " style=" not in page  # the CSP allows no style attributes
    assert "Acme Pharma" in page and "Barça Travel" not in page  # customer value, MAD only
    assert 'value="BCN"' not in page
    assert "/reports/retention.csv?by=year&amp;year=2027&amp;as_of=2027-06-30" in page


def test_another_propertys_report_answers_404(client: Any, two_hotels: None) -> None:
    log_in(client, "sales@example.com")
    for path in ("/reports/retention", "/reports/retention.csv", "/reports/retention.pdf"):
        assert client.get(f"{path}?property=BCN").status_code == 404


def test_admins_see_every_property(client: Any, two_hotels: None) -> None:
    log_in(client, "admin@example.com")
    page = client.get("/reports/retention?year=2027&as_of=2027-06-30").get_data(as_text=True)
    assert "Acme Pharma" in page and "Barça Travel" in page


def test_a_bad_year_or_date_is_said_next_to_its_field(client: Any, two_hotels: None) -> None:
    log_in(client, "sales@example.com")
    response = client.get("/reports/retention?year=1999&as_of=2027-02-30&by=month")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="year-error"' in page and "Choose a year from 2000 to 2100." in page
    assert 'id="as_of-error"' in page
    assert 'value="1999"' in page  # what was typed stays
    assert client.get("/reports/retention.csv?year=1999").status_code == 400


def test_csv_and_pdf(client: Any, two_hotels: None) -> None:
    log_in(client, "admin@example.com")
    response = client.get("/reports/retention.csv?by=month&year=2027&as_of=2027-06-30")
    assert response.status_code == 200
    assert "retention-all-2027-month.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["section", "period", "figure", "currency", "value"]
    # Both stays arrive in March 2027 for two accounts never seen before: two new accounts.
    assert ["accounts", "2027-03", "new", "", "2"] in rows
    pdf = client.get("/reports/retention.pdf?property=MAD&year=2027&as_of=2027-06-30")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Retention" in text and "Acme Pharma" in text


def test_the_page_in_spanish(client: Any, two_hotels: None) -> None:
    log_in(client, "sales@example.com")
    page = client.get(
        "/reports/retention?year=2027&as_of=2027-06-30", headers={"Accept-Language": "es"}
    ).get_data(as_text=True)
    assert "Retención" in page and "Retention" not in page.split("<main", 1)[-1]


def test_the_month_view_says_it_compares_trailing_12_months(client: Any, two_hotels: None) -> None:
    log_in(client, "sales@example.com")
    path = "/reports/retention?year=2027&as_of=2027-06-30&by="
    assert "the 12 months ending with it" in client.get(path + "month").get_data(as_text=True)
    assert "the 12 months ending with it" not in client.get(path + "year").get_data(as_text=True)
    spanish = client.get(path + "month", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "los 12 meses que terminan con él" in spanish


def _ticks(page: str) -> list[str]:
    return re.findall(r'<text class="tick"[^>]*text-anchor="middle">([^<]*)</text>', page)


def test_a_years_months_are_named_short_on_the_axis(client: Any, two_hotels: None) -> None:
    """Twelve "Jan 2027" labels ran into each other; the year is the report's, so "Jan"."""
    log_in(client, "sales@example.com")
    by_month = client.get("/reports/retention?by=month&year=2027&as_of=2027-06-30")
    assert _ticks(by_month.get_data(as_text=True))[:3] == ["Jan", "Feb", "Mar"]
    spanish = client.get(
        "/reports/retention?by=month&year=2027&as_of=2027-06-30",
        headers={"Accept-Language": "es"},
    )
    assert _ticks(spanish.get_data(as_text=True))[:3] == ["ene", "feb", "mar"]
    by_year = client.get("/reports/retention?by=year&year=2027&as_of=2027-06-30")
    assert _ticks(by_year.get_data(as_text=True)) == ["2023", "2024", "2025", "2026", "2027"]


def test_the_funnel_says_no_loss_without_a_minus(client: Any, two_hotels: None) -> None:
    log_in(client, "sales@example.com")
    page = client.get("/reports/retention?by=year&year=2027&as_of=2027-06-30").get_data(
        as_text=True
    )
    assert "\N{MINUS SIGN}0 %" not in page  # 0 % lost, not "minus nothing"
