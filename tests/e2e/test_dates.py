"""One date format per locale on every page: Babel's medium ("Sep 22, 2026", "22 sept 2026")."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.site import crawl, sign_in
from tests.e2e.test_phone_layout import extra_pages

# Dates in any other form: ISO, numeric (9/22/26, 22/09/2026, 22.09.), spelt-out long dates.
OTHER_FORMATS = {
    "en": re.compile(
        r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}(/\d{2,4})?\b|\b\d{1,2}\.\d{1,2}\.(\d{2,4})?"
        r"|\b(January|February|March|April|June|July|August|September|October|November|December)"
        r" \d{1,2}\b"
    ),
    "es": re.compile(
        r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}(/\d{2,4})?\b|\b\d{1,2}\.\d{1,2}\.(\d{2,4})?"
        r"|\b\d{1,2} de [a-z]+ de \d{4}"
    ),
}
# How a pickup file may write its dates: examples of the file's syntax, not dates the app says.
FILE_SYNTAX = {"/pickup/import": {"2027-03-10", "10/03/2027", "04/03/2027"}}
# The text a reader sees or hears, tooltips (SVG titles) included; form values are the browser's.
TEXT = """() => { const copy = document.body.cloneNode(true);
  copy.querySelectorAll('script, style, input, textarea, select').forEach(e => e.remove());
  return copy.textContent.replace(/\\s+/g, ' '); }"""


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_says_dates_one_way(
    browser: Any, demo_server: tuple[LiveServer, str], language: str
) -> None:
    server, names = demo_server
    context = browser.new_context(
        viewport={"width": 1366, "height": 900},
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    sign_in(page, server.url, "admin")
    found: dict[str, list[str]] = {}
    for path in crawl(page, server.url, extra_pages(names.split()[0])):
        text = page.evaluate(TEXT)
        dates = {m.group(0) for m in OTHER_FORMATS[language].finditer(text)}
        found[path] = sorted(dates - FILE_SYNTAX.get(path, set()))
    context.close()
    assert len(found) >= 8
    assert {path: dates for path, dates in found.items() if dates} == {}
