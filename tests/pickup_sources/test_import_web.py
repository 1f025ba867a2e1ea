"""The samples through the web form: a preview first (how the file reads), the import on confirm,
and a column mapping saved per property for a header no source knows."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from hotelattrition.models import PickupSourceMapping, RoomNightSnapshot
from hotelattrition.services.pickup import latest_room_nights
from tests.conftest import csrf_token, log_in
from tests.pickup_sources.xlsx import xlsx
from tests.web.test_pickup import confirm_form, hidden_fields, preview

SAMPLES = Path(__file__).parent / "samples"


def stay_pickup(contract: Any) -> int:
    return sum(r for (k, _, _), r in latest_room_nights(contract).items() if k == "pickup")


def snapshots(database: Any) -> int:
    return database.scalar(select(func.count()).select_from(RoomNightSnapshot))


def fact(page: str, name: str) -> str:
    return re.search(rf'<dd class="{name}">(?:<code>)?([^<]*)<', page)[1]  # type: ignore[index]


@pytest.fixture
def signed_in(client: Any, create_user: Any, g200: Any, m300: Any, database: Any) -> Any:
    create_user("admin@example.com", "admin")
    database.commit()
    log_in(client, "admin@example.com")
    return client


@pytest.mark.parametrize(
    ("sample", "source", "encoding", "separator", "order", "picked_up"),
    [
        # The stay's pickup worked by hand (G-200 and M-300; shoulder nights not in it).
        ("opera_block_api.csv", "opera-block-api", "utf-8", ",", "written year first", 33 + 3),
        ("opera5_group_pickup.txt", "opera5-group-pickup", "utf-8", ",", "month first", 33 + 3),
        ("opera_rooming_list.csv", "opera-rooming-list", "utf-8", ",", "day first", 8 + 3),
        ("mews_reservations.csv", "mews-reservations", "utf-8", ",", "written year first", 3 + 7),
        ("protel_kontingent.csv", "protel-kontingent", "cp1252", ";", "day first", 31 + 3),
        ("es_ocupacion.csv", "es", "utf-8 with BOM", ";", "day first", 40 + 3),
    ],
)
def test_each_sample_previews_then_imports_on_confirm(
    signed_in: Any, database: Any, g200: Any, m300: Any, sample: str, source: str,
    encoding: str, separator: str, order: str, picked_up: int,
) -> None:  # fmt: skip
    before = snapshots(database)
    page = preview(signed_in, (SAMPLES / sample).read_bytes(), name=sample)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert fact(text, "source") == source
    assert fact(text, "encoding") == encoding
    assert fact(text, "separator") == separator
    assert fact(text, "date-order") == order
    assert 'class="data compact first-rows"' in text
    assert snapshots(database) == before  # nothing written by the preview
    done = signed_in.post("/pickup/import/confirm", data=confirm_form(text))
    assert done.status_code == 302
    assert "snapshots written" in signed_in.get(done.location).get_data(as_text=True)
    assert stay_pickup(g200) + stay_pickup(m300) == picked_up


def test_the_preview_shows_rows_totals_and_block_differences(
    signed_in: Any, database: Any, g200: Any
) -> None:
    text = preview(signed_in, (SAMPLES / "opera_block_api.csv").read_bytes()).get_data(as_text=True)
    first = text[text.index("first-rows") :]
    assert '<td class="num">2</td><td>G-200</td><td>Mar 9, 2027</td><td>KNG</td>' in first
    totals = text[text.index('class="data compact totals"') :]
    assert '<td>G-200</td><td class="num">35</td>' in totals  # 33 in the stay, 2 shoulder
    assert "G-200 Mar 11, 2027 KNG: block 12 in the file, 10 in the contract" in text
    signed_in.post("/pickup/import/confirm", data=confirm_form(text))
    assert stay_pickup(g200) == 33


def test_a_spanish_user_reads_the_block_differences_in_spanish(
    signed_in: Any, database: Any, g200: Any
) -> None:
    # The notes were English f-strings on the Spanish page; they are stored in English still.
    token = csrf_token(signed_in, "/contracts/")
    signed_in.post("/language", data={"csrf_token": token, "language": "es", "next": "/"})
    text = preview(signed_in, (SAMPLES / "opera_block_api.csv").read_bytes()).get_data(as_text=True)
    assert "G-200 11 mar 2027 KNG: bloqueo de 12 en el archivo, 10 en el contrato" in text
    assert "in the file" not in text


def test_a_workbook_through_the_form(signed_in: Any, database: Any, g200: Any) -> None:
    rows = [
        ["Código grupo", "Fecha", "Tipo de habitación", "Habitaciones", "Bloqueadas"],
        ["G-200", date(2027, 3, 10), "KNG", 6, 10],
        ["G-200", date(2027, 3, 11), "KNG", 7, 10],
    ]
    text = preview(signed_in, xlsx(rows), name="ocupacion.xlsx").get_data(as_text=True)
    assert (fact(text, "source"), fact(text, "encoding")) == ("es", "xlsx")
    signed_in.post("/pickup/import/confirm", data=confirm_form(text))
    assert stay_pickup(g200) == 3 + 6 + 7  # the DBL known before, and the two KNG nights


def test_a_token_from_another_session_is_refused(signed_in: Any, client: Any) -> None:
    text = preview(signed_in, (SAMPLES / "generic.csv").read_bytes()).get_data(as_text=True)
    fields = confirm_form(text) | {"confirm-token": "not-this-one"}
    assert signed_in.post("/pickup/import/confirm", data=fields).status_code == 400


UNKNOWN = "Grp;Stay night;Cat;Booked;Remark\nG-200;2027-03-10;KNG;4;x\nG-200;2027-03-11;KNG;5;y\n"


def test_an_unknown_header_gets_a_mapping_saved_for_next_time(
    signed_in: Any, database: Any, g200: Any
) -> None:
    response = preview(signed_in, UNKNOWN, name="export.csv")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Which column is which?" in text
    assert '<option value="Stay night">Stay night</option>' in text
    fields = hidden_fields(text, "/pickup/import/mapping") | {
        "map-name": "Front office export",
        "map-property": "MAD",
        "map-contract_code": "Grp",
        "map-night": "Stay night",
        "map-room_type": "Cat",
        "map-rooms": "Booked",
    }
    saved = signed_in.post("/pickup/import/mapping", data=fields)
    assert saved.status_code == 200
    text = saved.get_data(as_text=True)
    assert fact(text, "source") == "Front office export"
    assert database.scalar(select(func.count()).select_from(PickupSourceMapping)) == 1
    signed_in.post("/pickup/import/confirm", data=confirm_form(text))
    assert stay_pickup(g200) == 3 + 4 + 5
    again = preview(signed_in, UNKNOWN.replace(";4;", ";6;"), name="export.csv")
    assert fact(again.get_data(as_text=True), "source") == "Front office export"


def test_a_mapping_without_a_night_is_refused_next_to_the_field(
    signed_in: Any, database: Any, g200: Any
) -> None:
    text = preview(signed_in, UNKNOWN).get_data(as_text=True)
    fields = hidden_fields(text, "/pickup/import/mapping") | {
        "map-name": "X", "map-property": "MAD", "map-contract_code": "Grp", "map-room_type": "Cat",
    }  # fmt: skip
    refused = signed_in.post("/pickup/import/mapping", data=fields)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "choose the night, or the arrival and the departure" in page
    assert '<option selected value="Grp">Grp</option>' in page  # what was chosen stays
    assert database.scalar(select(func.count()).select_from(PickupSourceMapping)) == 0


BAD = "contract_code,night,room_type,rooms\nNOPE-1,2027-03-10,KNG,5\nG-200,31/02/2027,KNG,-3\n"


def test_import_problems_read_in_the_pages_language_each_with_its_line(
    signed_in: Any, database: Any
) -> None:
    before = snapshots(database)
    english = preview(signed_in, BAD).get_data(as_text=True)
    signed_in.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    spanish = preview(signed_in, BAD).get_data(as_text=True)
    rows = r'<tr><td class="num">(\d+)</td><td><code>([^<]*)</code></td><td>([^<]*)</td></tr>'
    assert re.findall(rows, english) == [
        ("2", "contract_code", "no contract has the code NOPE-1"),
        ("3", "night", "&#39;31/02/2027&#39; is not a date: write it YYYY-MM-DD or dd/mm/yyyy"),
        ("3", "rooms", "-3 is negative: rooms must be 0 or more"),
    ]
    assert re.findall(rows, spanish) == [
        ("2", "contract_code", "ningún contrato tiene el código NOPE-1"),
        ("3", "night", "&#39;31/02/2027&#39; no es una fecha: escríbala AAAA-MM-DD o dd/mm/aaaa"),
        ("3", "rooms", "-3 es negativo: las habitaciones deben ser 0 o más"),
    ]
    assert snapshots(database) == before
