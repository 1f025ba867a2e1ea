"""Through the planner's link in Chromium: accept the final pickup, open a dispute."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask_migrate import upgrade
from sqlalchemy import select

from hotelattrition.extensions import db
from hotelattrition.models import Contract, Dispute, StatementReply
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.invoices import issue_invoice
from hotelattrition.services.planner import create_planner_link
from hotelattrition.services.properties import PropertyData, create_property
from hotelattrition.services.users import create_user
from tests.conftest import PASSWORD, make_app
from tests.e2e.conftest import LiveServer, serve
from tests.e2e.test_accessibility import findings
from tests.invoicing import stay_document

PAGE_WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture(scope="module")
def stayed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """MAD with a group that left eight days ago, and an accounting user."""
    path: Path = tmp_path_factory.mktemp("e2e") / "disputes.sqlite"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade()
        madrid = PropertyData(code="MAD", name="Hotel Madrid", currency="EUR", locale="es_ES",
                              country="ES", timezone="Europe/Madrid")  # fmt: skip
        create_property(madrid)
        import_contract(stay_document("G-100"))
        create_user("accounting@example.com", "accounting", PASSWORD, ("MAD",))
        db.session.commit()
        db.session.remove()
    with serve(app) as server:
        yield server


def in_app(server: LiveServer, work: Any) -> Any:
    with server.app.app_context():
        contract = db.session.scalars(select(Contract).where(Contract.code == "G-100")).one()
        result = work(contract)
        db.session.commit()
        db.session.remove()
    return result


def phone(browser: Any) -> Any:
    spanish = {"Accept-Language": "es-ES,es;q=0.9"}
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="es-ES", extra_http_headers=spanish
    )
    return context, context.new_page()


def test_publish_accept_and_dispute_through_the_link(
    browser: Any, stayed_server: LiveServer, tmp_path: Path
) -> None:
    server = stayed_server
    hotel = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = hotel.new_page()
    page.goto(f"{server.url}/login")
    page.fill("#email", "accounting@example.com")
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/contracts/")
    page.goto(f"{server.url}/contracts/G-100")
    page.click("#final-pickup a")
    page.click("button.primary")  # publish
    page.wait_for_selector("#version-1")
    assert "published, not answered" in page.inner_text("main")
    url = server.url + "/p/" + in_app(server, lambda c: create_planner_link("demo", c)[1])

    context, planner = phone(browser)
    refused: list[str] = []  # a CSP refusal shows in the console (a 400 answer shows too)
    planner.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    planner.goto(url)
    planner.click("#final-pickup a")
    assert planner.get_attribute("html", "lang") == "es"
    planner.check("input[name=n1_answer][value=comment]")
    planner.click("button.primary")
    planner.wait_for_selector(".night-answer.has-error")
    assert "Indique qué está mal en esta noche." in planner.inner_text("main")
    assert planner.evaluate(PAGE_WIDTH) <= 390
    planner.check("input[name=n1_answer][value=accept]")
    planner.click("button.primary")
    planner.wait_for_selector(".flash")
    assert "el hotel ya tiene su respuesta" in planner.inner_text("main")
    assert "aceptada por el organizador" in planner.inner_text("main")
    assert findings(Axe(), planner) == []
    assert in_app(server, lambda c: db.session.scalars(select(StatementReply)).one().accepted)

    number = in_app(server, lambda c: issue_invoice(c, "demo").number)
    planner.goto(url)
    planner.click(f"a[href$='/invoices/{number}/dispute']")
    planner.check("input[name=lines][value='1']")
    planner.locator("input[name=nights]").nth(1).check()
    planner.fill("#body", "La segunda noche tuvimos 20 DBL, no 18.")
    scan = tmp_path / "registros.pdf"
    scan.write_bytes(b"%PDF-1.4\n% registros\n")
    planner.set_input_files("#files", str(scan))
    assert findings(Axe(), planner) == []
    planner.click("button.primary")
    planner.wait_for_selector("ol.messages")
    main = planner.inner_text("main")
    assert "La segunda noche tuvimos 20 DBL, no 18." in main and "registros.pdf" in main
    assert f"{number}-evidence-es.pdf" in main
    assert planner.evaluate(PAGE_WIDTH) <= 390
    assert findings(Axe(), planner) == []
    shots = Path(__file__).resolve().parent.parent.parent / "instance" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    planner.screenshot(path=str(shots / "planner-dispute-es-390.png"), full_page=True)
    context.close()
    assert refused == []
    state = in_app(server, lambda c: db.session.scalars(select(Dispute)).one().opened_by_side)
    assert state == "planner"

    page.goto(f"{server.url}/invoices/")
    assert page.locator("#open-disputes").count() == 1
    hotel.close()
