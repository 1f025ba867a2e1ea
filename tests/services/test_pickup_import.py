"""Pickup import: the whole file checked first, snapshots as of a date, settlements kept in step."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from hotelattrition.models import AuditEntry, RoomNightSnapshot, StoredSettlement
from hotelattrition.services import ServiceError
from hotelattrition.services.pickup import AsOfOutOfRange, check_as_of, latest_room_nights
from hotelattrition.services.pickup_import import InvalidPickupFile, import_pickup
from hotelattrition.services.pickup_sources import read_pickup

# Two import dates after create_contract's (2026-11-01) and never after today.
DEC1, DEC3 = date(2026, 12, 1), date(2026, 12, 3)


def csv_bytes(*lines: str, bom: bool = False) -> bytes:
    return ("\ufeff" if bom else "").encode() + "\n".join(lines).encode() + b"\n"


def snapshots(database: Any) -> int:
    return database.scalar(select(func.count()).select_from(RoomNightSnapshot))


def pickup_of(contract: Any) -> dict[tuple[date, str], int]:
    return {
        (night, room_type): rooms
        for (kind, night, room_type), rooms in latest_room_nights(contract).items()
        if kind == "pickup" and rooms
    }


def problems_of(data: bytes, **kwargs: Any) -> list[str]:
    with pytest.raises(InvalidPickupFile) as invalid:
        import_pickup(data, DEC1, **kwargs)
    return [str(p) for p in invalid.value.problems]


GOOD = csv_bytes(
    "contract_code,night,room_type,rooms",
    "G-100,2027-03-10,DBL,28",
    "G-100,2027-03-11,DBL,26",
    "G-100,2027-03-11,STE,4",
)


def test_import_records_the_rows_and_recomputes_the_settlement(
    database: Any, create_contract: Any
) -> None:
    contract = create_contract()
    assert contract.settlement.picked_up == 45
    result = import_pickup(GOOD, DEC1)
    assert (result.rows, result.contracts, result.inserted, result.corrected) == (3, 1, 3, 0)
    assert (result.unchanged, result.settlements) == (0, 1)
    # The night the file leaves out (03-10 STE, 5 rooms) stays as it was.
    assert pickup_of(contract) == {
        (date(2027, 3, 10), "DBL"): 28,
        (date(2027, 3, 10), "STE"): 5,
        (date(2027, 3, 11), "DBL"): 26,
        (date(2027, 3, 11), "STE"): 4,
    }
    stored = database.get(StoredSettlement, contract.id)
    assert stored.picked_up == 28 + 5 + 26 + 4
    entry = database.scalars(select(AuditEntry).where(AuditEntry.entity == "pickup")).one()
    assert (entry.actor, entry.entity_key, entry.changes["contracts"]) == (
        "cli",
        "2026-12-01",
        ["G-100"],
    )


def test_aliases_semicolons_bom_day_first_dates_and_extra_columns(
    database: Any, create_contract: Any
) -> None:
    contract = create_contract()
    data = csv_bytes(
        "Hotel;Group Code;Stay-Date;ROOM_TYPE;Picked_Up;Comment",
        "MAD;G-100;10/03/2027;DBL;29;a, b",
        "",
        "MAD;G-100;11/03/2027;STE;2;",
        bom=True,
    )
    result = import_pickup(data, DEC1)
    assert result.rows == 2
    assert pickup_of(contract)[(date(2027, 3, 10), "DBL")] == 29
    assert pickup_of(contract)[(date(2027, 3, 11), "STE")] == 2
    for alias in ("block_code,date,room_type,room_nights", "CONTRACT_CODE,Night,Room Type,Rooms"):
        parsed = read_pickup(csv_bytes(alias, "G-100,2027-03-10,DBL,1"))
        assert not parsed.problems
        assert parsed.lines[0].rooms == 1


def test_every_bad_row_is_reported_by_line_and_column_and_nothing_is_written(
    database: Any, create_contract: Any
) -> None:
    contract = create_contract()
    before, total = snapshots(database), contract.settlement.total
    data = csv_bytes(
        "group_code;stay_date;room_type;rooms",
        "G-100;2027-03-10;DBL;28",  # fine, but the file has problems: not written
        "NOPE-1;2027-03-10;DBL;5",
        "G-100;2027-04-12;KNG;5",  # a month after departure: shoulder, but no KNG at all
        "G-100;2027-03-10;KNG;5",
        "G-100;2027-03-11;DBL;-3",
        "G-100;2027-03-11;DBL;many",
        "G-100;2027-03-10;DBL;27",
        "G-100;31/02/2027;;",
        "G-100;2027-03-11;STE;2.5",
    )
    assert problems_of(data) == [
        "line 3, group_code: no contract has the code NOPE-1",
        "line 4, room_type: contract G-100's block has no KNG rooms on 2027-04-12 "
        "(it has DBL, STE)",
        "line 5, room_type: contract G-100's block has no KNG rooms on 2027-03-10 "
        "(it has DBL, STE)",
        "line 6, rooms: -3 is negative: rooms must be 0 or more",
        "line 7, rooms: 'many' is not a whole number of rooms",
        "line 8, room_type: repeats line 2: the same contract, night and room type",
        "line 9, stay_date: '31/02/2027' is not a date: write it YYYY-MM-DD or dd/mm/yyyy",
        "line 9, room_type: required",
        "line 9, rooms: required",
        "line 10, rooms: '2.5' is not a whole number of rooms",
    ]
    assert snapshots(database) == before
    assert database.get(StoredSettlement, contract.id).total == total


def test_a_contract_at_another_property_reads_as_an_unknown_code_to_its_user(
    database: Any, create_contract: Any, create_user: Any
) -> None:
    """Nothing tells a code at another property from a code nobody uses: no enumeration."""
    create_contract()
    create_contract(code="B-200", property="BCN")
    user = create_user("sales@example.com", "sales", ("MAD",))
    data = csv_bytes("contract_code,night,room_type,rooms", "B-200,2027-03-10,DBL,1")
    elsewhere = problems_of(data, user=user)
    unknown = problems_of(data.replace(b"B-200", b"B-201"), user=user)
    assert elsewhere == ["line 2, contract_code: no contract has the code B-200"]
    assert unknown == [line.replace("B-200", "B-201") for line in elsewhere]
    admin = create_user("admin@example.com", "admin")
    assert import_pickup(data, DEC1, user=admin).inserted == 1


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", ["line 1, -: the file is empty: line 1 must name the columns"]),
        (
            csv_bytes("code,night,room_type,rooms,picked_up"),
            [
                "line 1, contract_code: missing column: name it contract_code / group_code "
                "/ block_code",
                "line 1, rooms: rooms / picked_up mean the same: keep one",
            ],
        ),
        (
            # UTF-8 over the first 64 KiB, which chose the encoding: bad text after it ends it.
            b"contract_code,night,room_type,rooms\n"
            + b"G-100,2027-03-10,DBL,1\n" * 3000
            + b"G-\xe9,x,y,1\n",
            ["line 3002, -: the file is not UTF-8 text: save it as UTF-8 CSV"],
        ),
    ],
)
def test_file_level_problems(database: Any, data: bytes, expected: list[str]) -> None:
    assert problems_of(data) == expected


def test_the_same_file_on_the_same_date_twice_changes_nothing(
    database: Any, create_contract: Any
) -> None:
    contract = create_contract()
    import_pickup(GOOD, DEC1)
    count = snapshots(database)
    computed_at = database.get(StoredSettlement, contract.id).computed_at
    audits = database.scalar(select(func.count()).select_from(AuditEntry))
    again = import_pickup(GOOD, DEC1)
    assert (again.inserted, again.corrected, again.unchanged, again.settlements) == (0, 0, 3, 0)
    assert snapshots(database) == count
    assert database.get(StoredSettlement, contract.id).computed_at == computed_at
    assert database.scalar(select(func.count()).select_from(AuditEntry)) == audits


def test_later_snapshots_supersede_and_history_stays(database: Any, create_contract: Any) -> None:
    contract = create_contract()
    header = "contract_code,night,room_type,rooms"
    import_pickup(csv_bytes(header, "G-100,2027-03-10,DBL,24"), DEC1)
    import_pickup(csv_bytes(header, "G-100,2027-03-10,DBL,30"), DEC3)
    assert pickup_of(contract)[(date(2027, 3, 10), "DBL")] == 30
    assert database.get(StoredSettlement, contract.id).picked_up == 30 + 5 + 18
    # A correction of the earlier date changes that day's row; the later snapshot still rules.
    corrected = import_pickup(csv_bytes(header, "G-100,2027-03-10,DBL,25"), DEC1)
    assert (corrected.inserted, corrected.corrected) == (0, 1)
    assert pickup_of(contract)[(date(2027, 3, 10), "DBL")] == 30
    history = database.execute(
        select(RoomNightSnapshot.as_of, RoomNightSnapshot.rooms)
        .where(
            RoomNightSnapshot.contract_id == contract.id,
            RoomNightSnapshot.night == date(2027, 3, 10),
            RoomNightSnapshot.room_type == "DBL",
        )
        .order_by(RoomNightSnapshot.as_of)
    ).all()
    assert [rooms for _, rooms in history] == [22, 25, 30]
    assert [as_of for as_of, _ in history][1:] == [DEC1, DEC3]


def test_zero_rooms_empties_a_night_and_zero_on_an_empty_night_writes_nothing(
    database: Any, create_contract: Any
) -> None:
    contract = create_contract()
    header = "contract_code,night,room_type,rooms"
    result = import_pickup(
        csv_bytes(header, "G-100,2027-03-10,STE,0", "G-100,2027-03-11,STE,0"), DEC1
    )
    assert (result.inserted, result.unchanged) == (1, 1)
    assert (date(2027, 3, 10), "STE") not in pickup_of(contract)
    assert database.get(StoredSettlement, contract.id).picked_up == 22 + 18


# Bounded input (issue 12) ------------------------------------------------------------------

DAY = timedelta(days=1)
HEADER = "contract_code,night,room_type,rooms"


def refusal(data: bytes, as_of: date, **kwargs: Any) -> str:
    with pytest.raises(ServiceError) as refused:  # AsOfOutOfRange, named for its field
        import_pickup(data, as_of, **kwargs)
    assert refused.value.problems == [("as_of", str(refused.value))]
    return str(refused.value)


def test_as_of_runs_from_2000_to_tomorrow_at_the_property(
    database: Any, create_contract: Any
) -> None:
    contract = create_contract()
    today = contract.property.today()
    before = snapshots(database)
    assert refusal(GOOD, today + 2 * DAY) == (
        f"{(today + 2 * DAY).isoformat()} is after tomorrow at MAD "
        f"({(today + DAY).isoformat()}): pickup cannot be dated in the future"
    )
    assert refusal(GOOD, date(1999, 12, 31)) == "1999-12-31 is before 2000-01-01: check the year"
    assert refusal(csv_bytes(HEADER), date(1999, 12, 31))  # no rows: the year is still wrong
    assert snapshots(database) == before
    assert import_pickup(GOOD, today + DAY).inserted == 3


def test_as_of_is_tomorrow_where_each_contracts_hotel_is(
    database: Any, create_property: Any, create_contract: Any, create_user: Any
) -> None:
    """Kiritimati (UTC+14) is always a day or two ahead of Pago Pago (UTC-11): its tomorrow
    is too late for a Pago Pago contract in the same file, whatever the server's date."""
    east = create_property("KIR", timezone="Pacific/Kiritimati")
    west = create_property("PPG", timezone="Pacific/Pago_Pago")
    create_contract(code="K-1", property="KIR")
    create_contract(code="P-1", property="PPG")
    as_of = east.today() + DAY
    assert as_of > west.today() + DAY
    k_row, p_row = "K-1,2027-03-10,DBL,1", "P-1,2027-03-10,DBL,1"
    assert f"is after tomorrow at PPG ({west.today() + DAY})" in refusal(
        csv_bytes(HEADER, k_row, p_row), as_of
    )
    assert import_pickup(csv_bytes(HEADER, k_row), as_of).inserted == 1
    # A property the user does not work for is never named: its contract is unknown to them.
    user = create_user("kir@example.com", "sales", ("KIR",))
    assert problems_of(csv_bytes(HEADER, p_row), user=user) == [
        "line 2, contract_code: no contract has the code P-1"
    ]
    with pytest.raises(InvalidPickupFile):
        import_pickup(csv_bytes(HEADER, p_row), as_of, user=user)


def test_the_hour_decides_which_hotel_is_a_day_ahead(database: Any, create_property: Any) -> None:
    """At 10:30 UTC it is already 7 December in Kiritimati and still 5 December in Pago Pago."""
    east = create_property("KIR", timezone="Pacific/Kiritimati")
    west = create_property("PPG", timezone="Pacific/Pago_Pago")
    now = datetime(2026, 12, 6, 10, 30, tzinfo=UTC)
    check_as_of(date(2026, 12, 8), [east], now)
    check_as_of(date(2026, 12, 6), [west], now)
    with pytest.raises(AsOfOutOfRange) as refused:
        check_as_of(date(2026, 12, 7), [east, west], now)
    assert (refused.value.code, refused.value.latest) == ("PPG", date(2026, 12, 6))
    with pytest.raises(AsOfOutOfRange):
        check_as_of(date(2026, 12, 9), [east], now)


def test_problems_listed_stop_at_200_and_the_rest_are_counted(
    database: Any, create_contract: Any
) -> None:
    create_contract()
    # Odd lines are bad on their own (csv), even lines name no contract (checking).
    rows = ["G-100,2027-03-10,DBL,-1" if n % 2 else "X-1,2027-03-10,DBL,1" for n in range(1250)]
    with pytest.raises(InvalidPickupFile) as invalid:
        import_pickup(csv_bytes(HEADER, *rows), DEC1)
    assert [p.line for p in invalid.value.problems] == list(range(2, 202))
    assert invalid.value.more == 1050


def lines_then_more(*lines: bytes, pulled: list[int]) -> Iterator[bytes]:
    """The lines, then 100,000 good rows; `pulled` counts the chunks handed out."""
    for line in lines:
        pulled.append(1)
        yield line
    for _ in range(100_000):
        pulled.append(1)
        yield b"G-100,2027-03-10,DBL,1\n"


def test_the_file_is_read_as_a_stream(database: Any, create_contract: Any) -> None:
    contract = create_contract()
    # Bad text after the first 64 KiB (UTF-8: they chose the encoding) ends the reading: a
    # parser reading it all first pulls 103,002 chunks.
    pulled: list[int] = []
    good = [b"G-100,2027-03-10,DBL,1\n"] * 3000
    header = b"contract_code,night,room_type,rooms\n"
    source = lines_then_more(header, *good, b"G-\xe9\n", pulled=pulled)
    assert problems_of(source) == ["line 3002, -: the file is not UTF-8 text: save it as UTF-8 CSV"]
    assert len(pulled) < 10_000
    chunks = (line.encode() + b"\n" for line in (HEADER, "G-100,2027-03-10,DBL,29"))
    assert import_pickup(chunks, DEC1).inserted == 1
    assert pickup_of(contract)[(date(2027, 3, 10), "DBL")] == 29


def test_a_cell_over_128_kib_is_a_problem_of_its_line(database: Any, create_contract: Any) -> None:
    create_contract()
    data = csv_bytes(
        "contract_code;night;room_type;rooms;comment",
        "G-100;2027-03-10;DBL;28;",
        "G-100;2027-03-10;" + "D" * (128 * 1024 + 1) + ";1;",
        "G-100;2027-03-11;DBL;x;",
        'G-100;2027-03-11;STE;1;"' + "x;" * (64 * 1024 + 1) + '"',
    )
    assert problems_of(data) == [
        "line 3, room_type: the cell is longer than 128 KiB",
        "line 4, rooms: 'x' is not a whole number of rooms",
        "line 5, comment: the cell is longer than 128 KiB",
    ]
    at_the_limit = csv_bytes(HEADER + ",comment", "G-100,2027-03-10,DBL,28," + "x" * 128 * 1024)
    assert import_pickup(at_the_limit, DEC1).inserted == 1


def test_a_problem_quotes_at_most_40_characters_of_its_cell(database: Any) -> None:
    data = csv_bytes(HEADER, "G-100,2027-03-10,DBL," + "1" * 100_000)
    assert problems_of(data) == [f"line 2, rooms: '{'1' * 40}…' is not a whole number of rooms"]


def test_a_nul_byte_is_a_problem_of_its_line(database: Any, create_contract: Any) -> None:
    create_contract()
    data = csv_bytes(
        HEADER, "G-100,2027-03-11,DBL,28", "G-1\x0000,2027-03-10,DBL,1", "G-100,x,DBL,1"
    )
    assert problems_of(data) == [
        "line 3, -: contains a NUL byte",  # and nothing else: the rest of it reads as G-100
        "line 4, night: 'x' is not a date: write it YYYY-MM-DD or dd/mm/yyyy",
    ]


def test_a_shoulder_night_far_from_the_stay_is_kept_and_noted_never_refused(
    database: Any, create_contract: Any
) -> None:
    contract = create_contract()  # stays 2027-03-10 to 03-11
    data = csv_bytes(
        "contract_code,night,room_type,rooms",
        "G-100,2027-03-09,DBL,3",  # the night before: shoulder, no note
        "G-100,2027-05-10,DBL,2",  # two months after: shoulder all the same, and a note
        "G-100,2027-05-11,DBL,1",  # noted once a contract
    )
    result = import_pickup(data, DEC1)
    nights = latest_room_nights(contract)
    assert nights[("shoulder", date(2027, 3, 9), "DBL")] == 3
    assert nights[("shoulder", date(2027, 5, 10), "DBL")] == 2
    assert nights[("shoulder", date(2027, 5, 11), "DBL")] == 1
    assert result.shoulder == 3
    assert tuple(map(str, result.notes)) == (
        "line 3: 2027-05-10 is more than 14 nights from contract G-100's stay "
        "(2027-03-10 to 2027-03-11): kept as shoulder pickup",
    )
    assert contract.settlement.picked_up == 45  # the stay's pickup, as before
