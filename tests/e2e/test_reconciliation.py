"""Outside-block reconciliation in a browser: upload both lists, review the report, confirm."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from hotelattrition.extensions import db
from hotelattrition.models import Contract
from hotelattrition.models.pickup import latest_room_nights
from hotelattrition.services.contracts import import_contract
from tests.e2e.conftest import LiveServer
from tests.invoicing import stay_document

SHOTS = Path(__file__).resolve().parent.parent.parent / "instance" / "screenshots"
PAGE_WIDTH = "() => document.documentElement.scrollWidth"
CLAUSE = {"allowance_pct": "20", "tax_pct": "10", "credit_outside_block": True}


def lists(arrival: date, departure: date) -> tuple[bytes, bytes]:
    a, d = arrival.isoformat(), departure.isoformat()
    registration = (
        "name;arrival;departure;email\n"
        f"Ana García;{a};{d};ana@example.com\n"
        f"Luis Perez;{a};{d};\n"
        f"María José Fernández Ortega;{a};{d};\n"
        f"Pedro Sánchez;{a};{d};\n"
    )
    in_house = (
        "Conf. No.,Name,Arrival,Departure,Room Type,Rooms,Status,Block Code,Email\n"
        f'1001,"GARCIA, ANA",{a},{d},DBL,1,CHECKED OUT,G-400,ana@example.com\n'
        f'1002,"PÉREZ, LUIS",{a},{d},STE,1,CHECKED OUT,,\n'
        f'1003,"FERNANDEZ, MARIA JOSE",{a},{d},DBL,1,CHECKED OUT,,\n'
        f'1004,"SMITH, JOHN",{a},{d},DBL,1,CHECKED OUT,,\n'
    )
    return registration.encode(), in_house.encode()


def test_upload_review_and_confirm(page: Any, live_server: LiveServer) -> None:
    with live_server.app.app_context():
        contract = import_contract(stay_document("G-400", room_attrition=CLAUSE)).contract
        arrival, departure = contract.arrival, contract.departure
        db.session.commit()
    registration, in_house = lists(arrival, departure)
    page.goto(f"{live_server.url}/contracts/G-400")
    page.get_by_role("link", name="Outside the block").click()
    page.set_input_files("#registration", files=[
        {"name": "registrations.csv", "mimeType": "text/csv", "buffer": registration}
    ])  # fmt: skip
    page.set_input_files("#in_house", files=[
        {"name": "in-house.csv", "mimeType": "text/csv", "buffer": in_house}
    ])  # fmt: skip
    page.get_by_role("button", name="Match the lists").click()
    page.wait_for_url("**/reconciliation/*")
    assert page.inner_text(".outside-count") == "2"  # Luis Pérez and María José Fernández
    assert page.inner_text(".room-nights") == "4"
    pairs = page.inner_text("table.pairs")
    assert "FERNANDEZ, MARIA JOSE" in pairs and "SMITH" not in pairs
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "reconciliation-report.png"), full_page=True)
    report_url = page.url
    page.get_by_role("button", name="Record as outside-block pickup").click()
    page.wait_for_url("**/contracts/G-400")
    assert "Outside-block room nights recorded" in page.inner_text("body")
    with live_server.app.app_context():
        stored = db.session.scalar(select(Contract).where(Contract.code == "G-400"))
        assert stored is not None
        latest = latest_room_nights(stored)
        assert [latest["outside_block", night, ""] for night in stored.nights] == [2, 2]
    # The confirmed report on a phone, in Spanish: no page wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(report_url)
    page.click("form.languages button[value=es]")
    page.wait_for_url(report_url)
    assert "Informe de coincidencias" in page.inner_text("h1")
    assert page.evaluate(PAGE_WIDTH) <= 390
    page.screenshot(path=str(SHOTS / "reconciliation-report-es-phone.png"), full_page=True)
