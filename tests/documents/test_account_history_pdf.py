"""The event-history sheet: one page however many editions it lists, in the reader's words."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hotelattrition.documents.account_history import (
    ROWS_MAX,
    account_history_html,
    account_history_pdf,
)
from hotelattrition.domain.editions import PastEdition, suggest_block
from hotelattrition.reports.account_history import AccountEditions, Edition, EditionSeries

ONE = Edition(
    id=1, code="CUN-2026-PRESIDENTS", name="Northwind President's Club 2026",
    account="Northwind Insurance", property_code="CUN", currency="MXN", status="settled",
    arrival=date(2026, 8, 29), departure=date(2026, 9, 3), original_block=289, final_block=266,
    picked_up=199, outside_block=12, resold=4, fnb_minimum=Decimal("1601000.00"),
    fnb_actual=Decimal("1475992.00"), damages=Decimal("2377369.40"), owed=True,
    collected=Decimal("1377369.40"), waived=Decimal("500000.00"), converted=Decimal("500000.00"),
    credit_left=Decimal("500000.00"), peak_night=date(2026, 8, 30), peak_rooms=45,
)  # fmt: skip


def history(editions: int) -> AccountEditions:
    rows = [
        replace(ONE, id=i, code=f"CUN-{2026 - i}", arrival=ONE.arrival - timedelta(weeks=52 * i))
        for i in range(editions)
    ]
    cells = {(n, t): 40 for n in range(1, 6) for t in ("KNG", "STE", "DBL", "TWN")}
    past = [PastEdition(r.code, r.arrival, 5, cells, cells, {30: 150}) for r in rows[:3]]
    codes = tuple(r.code for r in rows)
    series = EditionSeries(
        "Northwind President's Club", codes, codes, suggest_block(past), tuple(past)
    )
    return AccountEditions(rows, [series], 1)


def pages(pdf: bytes, tmp_path: Path) -> tuple[int, str]:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    count = next(line.split()[1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    return int(count), text


def test_the_most_editions_with_a_five_night_suggestion_fit_one_page(tmp_path: Path) -> None:
    count, text = pages(account_history_pdf("Northwind Insurance", history(20), date(2026, 12, 7),
                                            "es_MX"), tmp_path)  # fmt: skip
    assert count == 1
    assert "Historial de eventos: Northwind Insurance" in text
    assert "BLOQUEO SUGERIDO PARA LA PRÓXIMA EDICIÓN DE NORTHWIND PRESIDENT'S CLUB" in text
    assert "12 ediciones anteriores no caben en esta página" in text  # 20 - ROWS_MAX
    assert "PENALIZACIONES" in text and "2,377,369.40" in text  # es_MX groups with commas


def test_the_sheet_in_english_lists_every_edition_under_the_limit() -> None:
    html = account_history_html("Northwind Insurance", history(3), date(2026, 12, 7), "en")
    assert html.count("<tr>") == 1 + 3 + 1 + 4  # header, editions, grid header, room types
    assert "The last 3 editions picked up 100 % to 100 % of their final blocks" in html
    assert "Suggested block for the next Northwind President&#39;s Club" in html  # its series
    assert "left off this page" not in html
    assert ROWS_MAX == 8
