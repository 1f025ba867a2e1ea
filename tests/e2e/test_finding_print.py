"""In the browser: the contract page prints as a summary; the list sorts by its headers."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from pypdf import PdfReader
from sqlalchemy import select

from hotelattrition.extensions import db
from hotelattrition.models import Contract, StoredSettlement
from hotelattrition.services.demo import load_demo_data
from tests.conftest import make_app
from tests.e2e.conftest import LiveServer, serve

SALES = ("sales@demo.hotelattrition.test", "sales-demo-2027")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, str]]:
    """The demo data served; the code of its upcoming Madrid contract with the most pickup."""
    path: Path = tmp_path_factory.mktemp("print") / "print.sqlite"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade()
        load_demo_data(date.today())
        code = db.session.scalar(
            select(Contract.code)
            .join(StoredSettlement)
            .where(Contract.arrival >= date.today(), Contract.property.has(code="MAD"))
            .order_by(StoredSettlement.pickup_pct.desc())
        )
        db.session.commit()
        db.session.remove()
    with serve(app) as server:
        yield server, code


def signed_in(browser: Any, server: LiveServer, language: str = "en") -> Any:
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.fill("#email", SALES[0])
    page.fill("#password", SALES[1])
    page.click("button.primary")
    page.wait_for_url("**/contracts/")
    return page


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_contract_prints_as_a_summary_without_navigation_or_buttons(
    browser: Any, demo: tuple[LiveServer, str], language: str
) -> None:
    server, code = demo
    page = signed_in(browser, server, language)
    page.goto(f"{server.url}/contracts/{code}")
    assert page.locator(".topbar").is_visible() and page.locator(".actions").first.is_visible()
    page.emulate_media(media="print")
    for hidden in (".topbar", ".actions", "form", ".history", "a[href$='statement.pdf']"):
        assert all(not e.is_visible() for e in page.locator(hidden).all()), hidden
    for shown in (".stats", "section.settlement", "table.lines", ".chart"):
        assert page.locator(shown).first.is_visible(), shown
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert len(pdf.pages) <= 2  # the block, pickup and settlement of a demo group
    assert code in text  # the breadcrumb names it
    assert ("Sign out" if language == "en" else "Cerrar sesión") not in text
    page.context.close()


def test_the_headers_sort_the_list_and_say_how(browser: Any, demo: tuple[LiveServer, str]) -> None:
    server, _ = demo
    page = signed_in(browser, server)
    header = page.locator("th", has_text="Damages")
    assert header.get_attribute("aria-sort") is None
    header.locator("a").click()
    page.wait_for_url("**sort=damages**")
    assert page.locator("th", has_text="Damages").get_attribute("aria-sort") == "ascending"
    page.locator("th", has_text="Damages").locator("a").click()
    page.wait_for_url("**dir=desc**")
    assert page.locator("th", has_text="Damages").get_attribute("aria-sort") == "descending"
    amounts = page.locator("table.listing tbody td.num:last-child").all_inner_texts()
    # Each cell is the amount, then "owed" or "projected" beneath it.
    figures = [a.split()[0] for a in amounts if a != "—"]
    values = [float(a.replace("€", "").replace(",", "") or 0) for a in figures]
    assert values == sorted(values, reverse=True) and len(values) > 2
    page.context.close()
