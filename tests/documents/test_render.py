"""render_pdf draws what plain WeasyPrint draws, with its own base stylesheet and parsed styles."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
import tinycss2
from pypdf import PdfReader
from weasyprint import HTML

from hotelattrition.documents import render
from hotelattrition.documents.invoices import invoice_html
from hotelattrition.reports.monthly import monthly_report
from hotelattrition.reports.monthly_formats import monthly_document
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.invoices import credit_invoice, issue_invoice, set_invoice_settings
from tests.documents.test_invoice_pdf import text_of
from tests.invoicing import madrid_today, stay_document
from tests.reports.reporting import march_groups


@pytest.fixture
def documents(app: Any, create_property: Any) -> dict[str, str]:
    """Our PDF documents as finished HTML: invoices, a credit note, a long one, a report."""
    mad = march_groups(create_property)
    set_invoice_settings("MAD", payment_instructions="IBAN ES91 2100 0418 4502 0005 1332")
    invoice = issue_invoice(import_contract(stay_document()).contract)
    note = credit_invoice(invoice.number, "Tarifa pactada", [1])
    nights = 40
    arrival = madrid_today() - timedelta(days=nights + 5)
    days = [(arrival + timedelta(days=i)).isoformat() for i in range(nights)]
    long = stay_document(
        "G-200",
        arrival=days[0],
        departure=(arrival + timedelta(days=nights)).isoformat(),
        block=[{"night": d, "room_type": "DBL", "rooms": 40, "rate": "150.00"} for d in days],
        pickup=[{"night": d, "room_type": "DBL", "rooms": 20} for d in days],
        room_attrition={"allowance_pct": "10", "basis": "per_night", "tax_pct": "10"},
    )
    long_invoice = issue_invoice(import_contract(long).contract)
    report = monthly_report(mad, date(2027, 3, 1), date(2027, 2, 15))
    with app.test_request_context():
        monthly = monthly_document(report)
    return {
        "invoice": invoice_html(invoice.snapshot),
        "credit note": invoice_html(note.snapshot),
        "four-page invoice": invoice_html(long_invoice.snapshot),
        "monthly report": monthly,
    }


def drawing(pdf: bytes) -> list[bytes]:
    """Each page's content stream: every glyph run, rule and fill at its position."""
    return [page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_our_render_draws_exactly_what_weasyprint_draws(documents: dict[str, str]) -> None:
    base = render.STATIC.as_uri() + "/"
    for name, html in documents.items():
        ours = render.render_pdf(html)
        plain = HTML(string=html, base_url=base).write_pdf()
        assert drawing(ours) == drawing(plain), name
        assert drawing(render.render_pdf(html)) == drawing(ours), f"{name}, rendered again"
    assert len(drawing(render.render_pdf(documents["four-page invoice"]))) == 4


class _Tags(HTMLParser):
    """The element names of a document, outside inline SVG (drawn as an image)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.in_svg = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "svg":
            self.in_svg += 1
        if not self.in_svg:
            self.names.add(tag)

    def handle_endtag(self, tag: str) -> None:
        self.in_svg -= tag == "svg"


# Elements whose HTML defaults are CSS's initial values: base.css needs no rule for them.
PLAIN = {"span"}


def base_selectors() -> set[str]:
    """The element names base.css's rules select."""
    rules = tinycss2.parse_stylesheet(render.BASE_STYLESHEET.read_text(), True, True)
    preludes = " ".join(tinycss2.serialize(r.prelude) for r in rules if r.type == "qualified-rule")
    return set(re.findall(r"(?<![\w.#:\[-])[a-z][a-z0-9]*", preludes))


def test_the_base_stylesheet_names_every_element_our_documents_use(
    documents: dict[str, str],
) -> None:
    named = base_selectors() | PLAIN
    assert {"html", "thead", "td", "figcaption", "svg"} <= named
    assert not {"none", "block", "href", "marker"} & named  # selectors, not values
    for name, html in documents.items():
        parser = _Tags()
        parser.feed(html)
        assert parser.names - named == set(), name


def test_an_inline_stylesheet_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    original = render.CSS

    def counting(*args: Any, **kwargs: Any) -> Any:
        parsed.append(kwargs.get("string", ""))
        return original(*args, **kwargs)

    monkeypatch.setattr(render, "CSS", counting)
    style = "<style>p { color: #123456 } .x { font-weight: bold }</style>"
    for text in ("one", "two", "three"):
        pdf = render.render_pdf(f"<html><head>{style}</head><body><p>{text}</p></body></html>")
        assert text_of(pdf)[0].strip() == text
    assert parsed.count("p { color: #123456 } .x { font-weight: bold }") <= 1


@pytest.mark.parametrize(
    "head",
    [
        '<style media="screen">.gone { display: none }</style>',
        # app.css's h1 rule, then ours: in the author origin the later one wins.
        '<link rel="stylesheet" href="app.css"><style>h1 { font-size: 40pt }</style>',
        "<style>@counter-style arrow { system: cyclic; symbols: '>'; suffix: ' ' }"
        " ol { list-style: arrow inside }</style>",
    ],
)
def test_styles_the_cache_cannot_hold_are_left_to_weasyprint(head: str) -> None:
    html = f"<html><head>{head}</head><body><h1>T</h1><p class='gone'>p</p><ol><li>a</li></ol>"
    base = render.STATIC.as_uri() + "/"
    plain = HTML(string=html, base_url=base, url_fetcher=render.StaticOnlyFetcher()).write_pdf()
    for _ in range(2):  # the second render reuses whatever the first one kept
        assert drawing(render.render_pdf(html)) == drawing(plain)
