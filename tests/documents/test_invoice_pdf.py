"""The invoice PDF: what a reader finds in it, page breaks, and a renderer that fetches nothing."""

from __future__ import annotations

import base64
import io
import logging
import re
from datetime import timedelta
from typing import Any

import pytest
from pypdf import PdfReader

from hotelattrition.documents import render
from hotelattrition.documents.invoices import invoice_html, invoice_pdf
from hotelattrition.documents.render import StaticOnlyFetcher, render_pdf
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.invoices import credit_invoice, issue_invoice, set_invoice_settings
from tests.invoicing import madrid_today, stay_document

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def text_of(pdf: bytes) -> list[str]:
    """Each page's text, whitespace collapsed (a wrapped sentence reads as one line)."""
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def issued(database: Any, create_property: Any) -> Any:
    def make(locale: str = "es_ES", **doc: Any) -> Any:
        create_property("MAD", "EUR", locale=locale, tax_id="B12345678", legal_name="Gran Vía SL")
        set_invoice_settings("MAD", payment_instructions="IBAN ES91 2100 0418 4502 0005 1332")
        contract = import_contract(stay_document(**doc)).contract
        contract.account.tax_id = "A87654321"
        return issue_invoice(contract)

    return make


def test_the_pdf_shows_number_every_line_and_the_total(issued: Any) -> None:
    invoice = issued()
    snapshot = invoice.snapshot
    pages = text_of(invoice_pdf(snapshot))
    assert len(pages) == 1
    text = pages[0]
    assert "FACTURA" in text and invoice.number in text
    for line in snapshot["lines"]:
        assert line["label"] in text
        assert line["description"] in text
    assert "4.477,00 €" in text  # the total, by Babel in es_ES
    assert "4.070,00 €" in text and "407,00 €" in text  # subtotal and tax
    assert "Base imponible" in text and "Cuota" in text  # the words of a Spanish invoice
    assert "Acme Pharma" in text and "NIF A87654321" in text and "Gran Vía SL" in text
    assert "IBAN ES91 2100 0418 4502 0005 1332" in text
    assert "1 / 1" in text


def test_english_for_other_locales_with_english_formats(issued: Any) -> None:
    invoice = issued(locale="fr_FR")
    text = text_of(invoice_pdf(invoice.snapshot))[0]
    assert "INVOICE" in text and "Room attrition" in text
    assert "€4,477.00" in text
    due = madrid_today() + timedelta(days=30)
    assert f"{due:%b} {due.day}, {due.year}" in text  # the one date format of every page


def test_a_credit_note_names_the_invoice_it_corrects(issued: Any) -> None:
    invoice = issued()
    note = credit_invoice(invoice.number, "Tarifa pactada 140,00", [1])
    text = text_of(invoice_pdf(note.snapshot))[0]
    assert "FACTURA RECTIFICATIVA" in text and note.number in text
    assert f"anula las líneas 1 de {invoice.number}" in text
    assert "Tarifa pactada 140,00" in text
    assert "-2.057,00 €" in text


def test_long_settlements_flow_over_pages_with_the_header_repeated(issued: Any) -> None:
    nights = 40
    arrival = madrid_today() - timedelta(days=nights + 5)
    days = [(arrival + timedelta(days=i)).isoformat() for i in range(nights)]
    invoice = issued(
        arrival=days[0],
        departure=(arrival + timedelta(days=nights)).isoformat(),
        block=[{"night": d, "room_type": "DBL", "rooms": 40, "rate": "150.00"} for d in days],
        pickup=[{"night": d, "room_type": "DBL", "rooms": 20} for d in days],
        room_attrition={"allowance_pct": "10", "basis": "per_night", "tax_pct": "10"},
    )
    assert len(invoice.snapshot["lines"]) > nights
    pages = text_of(invoice_pdf(invoice.snapshot))
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        assert "CONCEPTO Y CÁLCULO" in page, f"no table header on page {number}"
        assert f"{number} / {len(pages)}" in page
        assert invoice.number in page  # the footer
    everything = " ".join(pages)
    for line in invoice.snapshot["lines"]:
        assert line["description"] in everything


# The URL fetcher ----------------------------------------------------------------------------


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL the renderer asked for."""
    asked: list[str] = []
    original = StaticOnlyFetcher.fetch

    def spy(self: StaticOnlyFetcher, url: str, headers: Any = None) -> Any:
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    return asked


def test_markup_in_a_group_name_is_text_and_fetches_nothing(
    issued: Any, fetched: list[str]
) -> None:
    name = '<img src="file:///etc/passwd"> http://127.0.0.1:9/x.png'
    invoice = issued(account=name, name='<link rel="stylesheet" href="http://127.0.0.1:9/a.css">')
    html = invoice_html(invoice.snapshot)
    assert "<img" not in html and "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    text = text_of(invoice_pdf(invoice.snapshot))[0]
    assert name.replace(" ", "") in text.replace(" ", "")  # shown as text (wrapped at a /)
    assert fetched == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        f"{render.STATIC.as_uri()}/../../pyproject.toml",
        f"{render.STATIC.as_uri()}/%2e%2e/__init__.py",
        "http://127.0.0.1:9/x.png",
        "https://example.com/logo.png",
        "ftp://example.com/x",
        "data:text/html,<script>alert(1)</script>",
        "data:image/png;base64," + "A" * 100_000,
        "data:image/png;base64,not base64!",
    ],
)
def test_the_fetcher_refuses_everything_outside_static(url: str) -> None:
    with pytest.raises(ValueError, match="refused"):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_static_files_and_small_images() -> None:
    css = StaticOnlyFetcher().fetch(f"{render.STATIC.as_uri()}/app.css")
    assert (css.read()[:2], css.content_type) == (b"/*", "text/css")
    image = StaticOnlyFetcher().fetch("data:image/png;base64," + base64.b64encode(PNG).decode())
    assert (image.read(), image.content_type) == (PNG, "image/png")


def test_render_skips_what_it_refuses(fetched: list[str], caplog: pytest.LogCaptureFixture) -> None:
    html = (
        '<html><body><p>ok</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        '<link rel="stylesheet" href="https://example.com/a.css"></body></html>'
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf(html)
    assert text_of(pdf) == ["ok "] or text_of(pdf)[0].strip() == "ok"
    assert set(fetched) >= {"file:///etc/passwd", "http://127.0.0.1:9/x.png"}
    assert "refused" in caplog.text


def test_a_failed_render_says_so() -> None:
    with pytest.raises(render.RenderError, match="PDF rendering failed"):
        render_pdf("<html><body>x</body></html>", base_url=123)  # type: ignore[arg-type]


def test_a_mexican_invoice_names_its_pesos_and_its_rfc(issued: Any) -> None:
    # Babel writes pesos in es_MX as a bare "$", read abroad as dollars; a Mexican tax id is
    # an RFC, not a NIF.
    snapshot = dict(issued().snapshot)
    snapshot |= {"currency": "MXN", "locale": "es_MX"}
    snapshot["seller"] = snapshot["seller"] | {"country": "MX", "tax_id": "GCC150312AB1"}
    text = text_of(invoice_pdf(snapshot))[0]
    assert "MX$4,477.00" in text and " $" not in text
    assert "RFC GCC150312AB1" in text and "RFC A87654321" in text
    assert "NIF" not in text
