"""Each PMS shape read from a hand-made sample, with the pickup it must give worked by hand."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hotelattrition.services.pickup_sources import Context, PickupRead, read_pickup
from hotelattrition.services.pickup_sources.cells import count_of
from tests.pickup_sources.xlsx import xlsx

SAMPLES = Path(__file__).parent / "samples"
HONOLULU, MADRID = ZoneInfo("Pacific/Honolulu"), ZoneInfo("Europe/Madrid")


def zone(code: str) -> ZoneInfo:
    return HONOLULU if code == "M-300" else MADRID


def read(name: str | bytes, **kwargs: object) -> PickupRead:
    data = name if isinstance(name, bytes) else (SAMPLES / name).read_bytes()
    context = Context(zone=zone, date_order=kwargs.pop("date_order", None))  # type: ignore[arg-type]
    return read_pickup(data, context, **kwargs)  # type: ignore[arg-type]


def nights(result: PickupRead) -> dict[tuple[str, str, str], int]:
    assert [str(p) for p in result.problems] == []
    return {
        (line.code, line.night.isoformat()[5:], line.room_type): line.rooms for line in result.lines
    }


def test_opera_block_api_takes_the_date_of_the_date_time_and_pickup_rooms() -> None:
    result = read("opera_block_api.csv")
    assert (result.source, result.encoding, result.per_reservation) == (
        "opera-block-api",
        "utf-8",
        False,
    )
    assert nights(result) == {
        ("G-200", "03-09", "KNG"): 2,  # before arrival: the import keeps it as shoulder pickup
        ("G-200", "03-10", "KNG"): 8,
        ("G-200", "03-10", "DBL"): 5,
        ("G-200", "03-11", "KNG"): 11,
        ("G-200", "03-11", "DBL"): 3,
        ("G-200", "03-12", "KNG"): 6,
        ("G-200", "03-12", "DBL"): 0,
    }
    assert result.blocks["G-200", date(2027, 3, 11), "KNG"] == 12  # currentRooms: the block


def test_opera5_group_pickup_keeps_the_pickup_grid_and_never_adds_subtotals() -> None:
    result = read("opera5_group_pickup.txt")
    assert (result.source, result.date_order) == ("opera5-group-pickup", "mdy")
    # Title lines, a page break with the header again, Original/Available grids, a subtotal
    # per block and the grand total all left out: 22 KNG + 11 DBL, not twice or three times.
    assert nights(result) == {
        ("G-200", "03-10", "KNG"): 7,
        ("G-200", "03-10", "DBL"): 4,
        ("G-200", "03-11", "KNG"): 9,
        ("G-200", "03-11", "DBL"): 5,
        ("G-200", "03-12", "KNG"): 6,
        ("G-200", "03-12", "DBL"): 2,
    }
    assert result.room_nights == 33
    assert result.blocks["G-200", date(2027, 3, 12), "KNG"] == 8  # the Current grid


def test_rooming_list_counts_reserved_rooms_over_the_nights_before_departure() -> None:
    result = read("opera_rooming_list.csv")
    assert (result.source, result.per_reservation, result.date_order) == (
        "opera-rooming-list",
        True,
        "dmy",  # 13/03/2027 in the column: day first
    )
    # 70112 KNG x1 10-12; 70113 its sharer, 0 rooms; 70114 DBL x2 11-12; 70115 day use:
    # nothing; 70116 cancelled: nothing; 70117 KNG x1 on 09 (shoulder) and 10.
    assert nights(result) == {
        ("G-200", "03-10", "KNG"): 2,
        ("G-200", "03-11", "KNG"): 1,
        ("G-200", "03-12", "KNG"): 1,
        ("G-200", "03-11", "DBL"): 2,
        ("G-200", "03-12", "DBL"): 2,
        ("G-200", "03-09", "KNG"): 1,
    }
    assert (result.rows, result.reservations, result.room_nights) == (6, 5, 9)


def test_mews_dates_each_instant_in_the_property_time_zone() -> None:
    result = read("mews_reservations.csv")
    assert (result.source, result.per_reservation) == ("mews-reservations", True)
    # 5001 starts 01:00Z on 9 June: 15:00 on 8 June in Honolulu, so its nights are 8 and 9
    # (read in UTC they would be 9 only). Canceled and Optional rows do not count.
    assert nights(result) == {
        ("M-300", "06-08", "Deluxe King"): 2,  # 5001, 5002
        ("M-300", "06-09", "Deluxe King"): 3,  # 5001, 5002, 5006 (17:00 on 9 June there)
        ("M-300", "06-08", "Double"): 1,  # 5003
        ("M-300", "06-09", "Double"): 1,
        ("M-300", "06-10", "Double"): 1,  # after departure: shoulder
    }
    assert (result.rows, result.reservations) == (6, 4)


def test_protel_is_cp1252_and_bis_is_the_last_night() -> None:
    result = read("protel_kontingent.csv")
    assert (result.source, result.encoding, result.delimiter) == (
        "protel-kontingent",
        "cp1252",
        ";",
    )
    assert nights(result) == {
        ("G-200", "03-10", "KNG"): 7,
        ("G-200", "03-11", "KNG"): 7,  # bis 11.03 is a night, not a departure
        ("G-200", "03-12", "KNG"): 5,  # von = bis: one night
        ("G-200", "03-10", "DBL"): 4,
        ("G-200", "03-11", "DBL"): 4,
        ("G-200", "03-12", "DBL"): 4,
    }
    assert result.blocks["G-200", date(2027, 3, 10), "DBL"] == 4  # Zimmer


def test_spanish_resave_has_a_bom_decimal_commas_and_a_row_of_separators() -> None:
    result = read("es_ocupacion.csv")
    assert (result.source, result.encoding, result.date_order) == ("es", "utf-8 with BOM", "dmy")
    assert nights(result) == {
        ("G-200", "03-10", "KNG"): 9,
        ("G-200", "03-11", "KNG"): 10,  # 10,0
        ("G-200", "03-12", "KNG"): 12,  # over the block of 10: kept as it is
        ("G-200", "03-10", "DBL"): 5,
        ("G-200", "03-11", "DBL"): 4,
    }
    assert result.blocks["G-200", date(2027, 3, 11), "DBL"] == 6


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [("1.234", True, 1234), ("12,0", True, 12), ("2,5", True, None), ("1.234", False, None),
     ("7", False, 7), (3.0, False, 3), (2.5, False, None)],
)  # fmt: skip
def test_counts_as_excel_writes_them(
    text: object, decimal_comma: bool, expected: int | None
) -> None:
    assert count_of(text, decimal_comma) == expected


def test_a_workbook_is_read_with_its_dates_as_dates() -> None:
    rows = [
        ["Código grupo", "Fecha", "Tipo de habitación", "Habitaciones", "Bloqueadas"],
        ["G-200", date(2027, 3, 4), "KNG", 9, 10],  # 04/03 as text would be ambiguous
        ["G-200", datetime(2027, 3, 5), "KNG", 8.0, 10],
    ]
    result = read(xlsx(rows))
    assert (result.source, result.encoding) == ("es", "xlsx")
    assert nights(result) == {("G-200", "03-04", "KNG"): 9, ("G-200", "03-05", "KNG"): 8}


def test_a_rooming_list_workbook_expands_like_its_csv() -> None:
    rows = [
        ["Conf. No.", "Name", "Arrival", "Departure", "Nts.", "Room Type", "Rooms", "Status",
         "Block Code", "Sharer"],
        [70112, "Lindqvist, Maja", date(2027, 3, 10), date(2027, 3, 12), 2, "KNG", 1,
         "RESERVED", "G-200", ""],
        [70116, "Brandt, Jonas", date(2027, 3, 10), date(2027, 3, 12), 2, "KNG", 1,
         "CANCELLED", "G-200", ""],
    ]  # fmt: skip
    result = read(xlsx(rows, sheet="Rooming List"))
    assert nights(result) == {("G-200", "03-10", "KNG"): 1, ("G-200", "03-11", "KNG"): 1}


AMBIGUOUS = b"contract_code;night;room_type;rooms\nG-200;04/03/2027;KNG;1\nG-200;05/03/2027;KNG;2\n"


def test_ambiguous_dates_are_refused_naming_date_order() -> None:
    result = read(AMBIGUOUS)
    assert [str(p) for p in result.problems] == [
        "line 1, night: the dates read both as day/month and as month/day: "
        "say which with --date-order dmy or mdy"
    ]
    assert nights(read(AMBIGUOUS, date_order="mdy"))[("G-200", "04-03", "KNG")] == 1
    assert nights(read(AMBIGUOUS, date_order="dmy"))[("G-200", "03-04", "KNG")] == 1


def test_the_locale_decides_what_the_column_does_not() -> None:
    context = Context(locale_order=lambda codes: "mdy" if codes == {"G-200"} else None)
    result = read_pickup(AMBIGUOUS, context)
    assert result.date_order == "mdy"
    assert result.lines[0].night == date(2027, 4, 3)


def test_a_day_over_12_decides_the_whole_column() -> None:
    data = AMBIGUOUS + b"G-200;13/03/2027;KNG;3\n"
    assert read(data).date_order == "dmy"
    refused = read(data, date_order="mdy")  # the option wins: 13/03 is then no date
    assert [str(p) for p in refused.problems] == [
        "line 4, night: '13/03/2027' is not a date read month/day/year"
    ]


def test_a_named_source_is_read_as_that_source_only() -> None:
    result = read("opera_block_api.csv", source="generic")
    assert str(next(iter(result.problems))).startswith("line 1, night: missing column")
    assert nights(read("opera_block_api.csv", source="opera-block-api"))
