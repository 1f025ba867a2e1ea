"""On a 390-pixel phone no page is wider than the screen: wide tables scroll inside their box."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.site import GUEST_PAGES, ROLES, crawl, sign_in

# What overflows: the page's own width beyond the screen (tables inside .scroll or .tablewrap
# may be wider; they scroll within their box).
PAGE_WIDTH = "() => document.documentElement.scrollWidth"
# Table cells whose content spills out of them (a fixed layout once gave a column no width and
# its words ran over the next ones): each named by its table's header text.
SPILLING_CELLS = """() => [...document.querySelectorAll('table th, table td')]
    .filter(c => c.clientWidth > 0 && c.scrollWidth > c.clientWidth + 1)
    .map(c => c.textContent.trim().slice(0, 30))"""
# Pages only a form or a state reaches, beside those the links lead to.
FORM_PAGES = ("/password", "/nowhere", "/complaints/1/resolve")  # the demo site's complaint


def extra_pages(code: str) -> tuple[str, ...]:
    return (*FORM_PAGES, f"/contracts/{code}/revise/cutoff", f"/contracts/{code}/revise/review",
            f"/invoices/issue/{code}", f"/contracts/{code}/decision",
            f"/contracts/{code}/void", "/pickup/aliases/MAD",
            # the contract with the demo site's match report: the report is a link from it
            f"/contracts/{code}/reconciliation/", *GUEST_PAGES)  # fmt: skip


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("role", sorted(ROLES))
def test_no_page_is_wider_than_a_phone(
    browser: Any, demo_server: tuple[LiveServer, str], role: str, language: str
) -> None:
    server, names = demo_server
    code = names.split()[0]
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    sign_in(page, server.url, role)
    widths, spilling = {}, {}
    for path in crawl(page, server.url, extra_pages(code)):
        widths[path] = page.evaluate(PAGE_WIDTH)
        if cells := page.evaluate(SPILLING_CELLS):
            spilling[path] = cells
    context.close()
    assert len(widths) >= 8, widths  # the crawl reached the site, not just the list
    assert {path: w for path, w in widths.items() if w > 390} == {}
    assert spilling == {}


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_page_is_wider_than_a_laptop_for_the_widest_navigation(
    browser: Any, demo_server: tuple[LiveServer, str], language: str
) -> None:
    # An admin sees every link of the top bar; in Spanish they once made every page 1,460 px
    # wide on a 1366 px screen.
    server, names = demo_server
    context = browser.new_context(
        viewport={"width": 1366, "height": 900},
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    sign_in(page, server.url, "admin")
    pages = crawl(page, server.url, extra_pages(names.split()[0]))
    widths = {path: page.evaluate(PAGE_WIDTH) for path in pages}
    context.close()
    assert len(widths) >= 8, widths
    assert {path: w for path, w in widths.items() if w > 1366} == {}


def test_the_first_column_of_a_wide_table_stays_in_view(
    browser: Any, demo_server: tuple[LiveServer, str]
) -> None:
    # A table wider than the phone scrolls in its box; its first column (the night, the
    # contract) stays put so a row is still readable when scrolled to the right.
    server, names = demo_server
    code = names.split()[0]
    page = browser.new_page(viewport={"width": 390, "height": 844})
    sign_in(page, server.url, "accounting")
    page.goto(f"{server.url}/contracts/{code}/pickup")
    box = page.locator(".scroll, .tablewrap").filter(has=page.locator("table")).first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    first = box.locator("tbody tr").first.locator("th, td").first
    before = first.bounding_box()
    box.evaluate("e => { e.scrollLeft = 300; }")
    after = first.bounding_box()
    page.close()
    assert before is not None and after is not None
    assert after["x"] == pytest.approx(before["x"], abs=1)


def test_a_link_button_in_the_page_reads_as_a_link(
    browser: Any, demo_server: tuple[LiveServer, str]
) -> None:
    # Buttons styled as links were white for the dark top bar, so a payment's "Reverse" on
    # the invoice page was white on white.
    server, names = demo_server
    number = names.split()[1]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, server.url, "accounting")
    page.goto(f"{server.url}/invoices/{number}")
    reverse = page.locator("main button.link, .page button.link").first
    assert reverse.inner_text() == "Reverse"
    assert reverse.evaluate("e => getComputedStyle(e).color") != "rgb(255, 255, 255)"
    page.close()
