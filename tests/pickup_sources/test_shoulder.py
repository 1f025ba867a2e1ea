"""Shoulder nights: kept apart from the stay, shown with the contract, never settled or lost."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from hotelattrition.reports.contract_page import contract_overview
from hotelattrition.services.pickup import latest_room_nights, record_room_nights
from hotelattrition.services.pickup_import import import_pickup
from tests.conftest import log_in

SAMPLES = Path(__file__).parent / "samples"
DEC1 = date(2026, 12, 1)


def test_recording_the_stays_pickup_keeps_the_shoulder_nights(database: Any, g200: Any) -> None:
    import_pickup((SAMPLES / "opera_block_api.csv").read_bytes(), DEC1)
    # The pickup form and contract documents send the stay's keys only.
    record_room_nights(g200, date(2026, 12, 2), {("pickup", date(2027, 3, 10), "KNG"): 9})
    assert latest_room_nights(g200)[("shoulder", date(2027, 3, 9), "KNG")] == 2


def test_the_contract_page_and_pickup_history_show_the_shoulder_nights(
    client: Any, database: Any, g200: Any, create_user: Any
) -> None:
    import_pickup((SAMPLES / "opera_block_api.csv").read_bytes(), DEC1)
    create_user("sales@example.com", "sales", ("MAD",))
    database.commit()
    log_in(client, "sales@example.com")
    page = client.get("/contracts/G-200").get_data(as_text=True)
    assert "Shoulder nights" in page
    shoulder = page[page.index('class="data compact shoulder"') :]
    assert 'KNG</td><td class="num">2</td>' in shoulder[: shoulder.index("</table>")]
    history = client.get("/contracts/G-200/pickup").get_data(as_text=True)
    row = history[history.index("<tbody>", history.index("Snapshots so far")) :]
    assert '<td class="num">33</td><td class="num">2</td>' in row[: row.index("</tr>")]


def test_the_contract_overview_lists_several_shoulder_nights_in_night_order(
    database: Any, g200: Any
) -> None:
    # Two or more shoulder nights are sorted: ShoulderNight must be orderable (it was not).
    record_room_nights(
        g200,
        DEC1,
        {("shoulder", date(2027, 3, 9), "KNG"): 2, ("shoulder", date(2027, 3, 8), "DBL"): 1},
    )
    shoulder = contract_overview(g200, DEC1).shoulder
    assert [(s.night, s.room_type, s.rooms) for s in shoulder] == [
        (date(2027, 3, 8), "DBL", 1),
        (date(2027, 3, 9), "KNG", 2),
    ]
