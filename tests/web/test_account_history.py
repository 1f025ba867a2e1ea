"""The account page's history section, its CSV and PDF, and "Copy as next edition"."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import Contract
from tests.conftest import csrf_token, log_in
from tests.editions import kick_off, three_editions


@pytest.fixture
def acme(database: Any, create_property: Any, create_user: Any) -> dict[str, Any]:
    return three_editions(database, create_property, create_user)


def page(client: Any, url: str, status: int = 200, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_the_history_section_on_the_account_page(client: Any, acme: dict[str, Any]) -> None:
    log_in(client, "admin@example.com")
    html = page(client, f"/accounts/{acme['acme'].id}")
    section = html[html.index('id="history"') :]
    assert "with its affiliated accounts" in section
    codes = re.findall(r'href="/contracts/(G-\d+)"', section)
    assert codes[:3] == ["G-27", "G-26", "G-25"]
    assert "93.3 %" in section and "85.7 %" in section  # G-26 and G-25 of their final block
    assert '<svg class="chart edition-chart"' in section
    assert (
        "The last 2 editions of Acme Congress picked up 85.7 % to 93.3 % of their final blocks; "
        "suggested: 60 room nights, 100 % of last year's block, with a 7 % allowance"
    ) in section
    assert "Suggested block for the next Acme Congress" in section
    # The pickup to expect 30 and 7 days out: 58.5 % of 60, 35 room nights.
    expected = section[section.index('class="data compact listing expected-pickup"') :]
    assert re.findall(r'<td class="num strong">(\d+)</td>', expected)[:2] == ["35", "35"]
    assert "/contracts/G-26/next-edition" in section  # the suggestion's latest edition is copied
    es = page(client, f"/accounts/{acme['acme'].id}", **{"Accept-Language": "es"})
    assert "Historial de la cuenta" in es
    assert "Bloqueo sugerido para la próxima edición de Acme Congress" in es


def test_one_suggestion_per_series_and_the_copy_reads_its_own(
    client: Any, database: Any, acme: dict[str, Any]
) -> None:
    kick_off("K-25", 2025, 16)
    kick_off("K-26", 2026, 18)
    log_in(client, "admin@example.com")
    html = page(client, f"/accounts/{acme['acme'].id}")
    cards = html.split('class="card suggestion"')[1:]
    assert len(cards) == 2
    assert "The last 2 editions of Acme Congress picked up" in cards[0]
    assert "/contracts/G-26/next-edition" in cards[0]
    assert "The last 2 editions of Acme Sales Kick-off picked up 80 % to 90 %" in cards[1]
    assert "/contracts/K-26/next-edition" in cards[1]
    form = page(client, "/contracts/K-26/next-edition")
    assert "Suggested block for the next Acme Sales Kick-off" in form
    assert "Acme Congress" not in form
    token = csrf_token(client, "/contracts/K-26/next-edition")
    wanted = {"csrf_token": token, "code": "K-27", "block": "suggested"}
    done = client.post("/contracts/K-26/next-edition", data=wanted)
    assert done.status_code == 302
    copy = database.scalar(select(Contract).where(Contract.code == "K-27"))
    assert copy.current_block.room_nights == 17  # (16 + 18) / 2: the kick-off's, not the congress'


def test_an_upcoming_edition_shows_its_series_pace(client: Any, acme: dict[str, Any]) -> None:
    log_in(client, "admin@example.com")
    html = page(client, "/contracts/G-27")
    section = html[html.index('id="series-pace"') :]
    assert "Pace against Acme Congress" in section
    # G-27 arrives in 2099: no earlier edition had pickup recorded that early.
    assert "had pickup recorded" in section and "expected-pickup" in section
    assert 'id="series-pace"' not in page(client, "/contracts/G-26")  # held: nothing to compare


def test_the_history_as_csv_and_pdf(client: Any, acme: dict[str, Any], tmp_path: Path) -> None:
    log_in(client, "admin@example.com")
    text = page(client, f"/accounts/{acme['acme'].id}/history.csv", **{"Accept-Language": "es"})
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Código;Grupo;Cuenta;")
    g26 = next(line for line in lines if line.startswith("G-26;")).split(";")
    # Block 70 -> 60, 56 picked up, wash 70 - 56 = 14: 80,0 % of signed, 93,3 % of final;
    # peak 10 March.
    assert g26[8:16] == ["70", "60", "14", "56", "80,0", "93,3", "2026-03-10", "29"]
    pdf = client.get(f"/accounts/{acme['acme'].id}/history.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pages(pdf.data, tmp_path) == 1


def pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "history.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]


def test_copy_as_next_edition_from_the_form(
    client: Any, database: Any, acme: dict[str, Any]
) -> None:
    log_in(client, "admin@example.com")
    assert 'href="/contracts/G-26/next-edition"' in page(client, "/contracts/G-26")
    form = page(client, "/contracts/G-26/next-edition")
    assert 'value="G-26-2027"' in form and 'checked id="block-0"' in form
    token = csrf_token(client, "/contracts/G-26/next-edition")
    bad = client.post("/contracts/G-26/next-edition",
                      data={"csrf_token": token, "code": "G-25", "block": "last"})  # fmt: skip
    assert bad.status_code == 400 and "already exists" in bad.get_data(as_text=True)
    assert 'value="G-25"' in bad.get_data(as_text=True)  # what was typed stays
    wanted = {"csrf_token": token, "code": "G-2027", "block": "suggested"}
    done = client.post("/contracts/G-26/next-edition", data=wanted)
    assert done.status_code == 302 and done.headers["Location"].endswith("/contracts/G-2027")
    copy = database.scalar(select(Contract).where(Contract.code == "G-2027"))
    assert copy.status == "tentative" and copy.current_block.room_nights == 60


def test_a_viewer_may_read_the_history_but_not_copy(
    client: Any, acme: dict[str, Any], create_user: Any
) -> None:
    create_user("viewer@example.com", "viewer", ("MAD",))
    log_in(client, "viewer@example.com")
    html = page(client, f"/accounts/{acme['acme'].id}")
    assert 'id="history"' in html and "next-edition" not in html
    page(client, "/contracts/G-26/next-edition", status=403)
