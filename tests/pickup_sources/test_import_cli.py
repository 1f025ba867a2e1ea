"""Every sample end to end through `hotelattrition pickup import`: the pickup worked by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import func, select

from hotelattrition.cli import cli
from hotelattrition.models import PickupImportRecord, RoomNightSnapshot, StoredSettlement
from hotelattrition.services.pickup import latest_room_nights

SAMPLES = Path(__file__).parent / "samples"


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(cli, list(args))


def imported(app: Flask, name: str, *options: str) -> Any:
    result = run(app, "pickup", "import", str(SAMPLES / name), "--as-of", "2026-12-01", *options)
    assert result.exit_code == 0, result.stderr
    return result


def kept(contract: Any, kind: str = "pickup") -> dict[tuple[str, str], int]:
    return {
        (night.isoformat()[5:], room_type): rooms
        for (k, night, room_type), rooms in latest_room_nights(contract).items()
        if k == kind and rooms
    }


def snapshot_count(database: Any) -> int:
    return database.scalar(select(func.count()).select_from(RoomNightSnapshot))


def test_opera_block_api_keeps_oversell_and_the_shoulder_night_and_notes_the_block(
    app: Flask, database: Any, g200: Any
) -> None:
    result = imported(app, "opera_block_api.csv")
    assert result.stdout.splitlines()[1:] == [
        "source opera-block-api, encoding utf-8, dates ISO; 7 rows read, 0 reservations, "
        "35 room nights; 6 nights set, 1 shoulder nights, 1 block differences",
        "block differs: G-200 2027-03-11 KNG: block 12 in the file, 10 in the contract",
    ]
    # DBL on the 12th is 0: a per-night source sets what it names. 11 KNG > 10: oversell kept.
    assert kept(g200) == {
        ("03-10", "KNG"): 8, ("03-10", "DBL"): 5, ("03-11", "KNG"): 11, ("03-11", "DBL"): 3,
        ("03-12", "KNG"): 6,
    }  # fmt: skip
    assert kept(g200, "shoulder") == {("03-09", "KNG"): 2}
    # The settlement counts the stay only: 8+5+11+3+6, not the shoulder night's 2.
    assert database.get(StoredSettlement, g200.id).picked_up == 33


def test_opera5_report(app: Flask, database: Any, g200: Any) -> None:
    result = imported(app, "opera5_group_pickup.txt")
    assert "source opera5-group-pickup, encoding utf-8, dates mdy; 3 rows read" in result.stdout
    assert "block differs: G-200 2027-03-12 KNG: block 8 in the file, 10 in the contract" in (
        result.stdout
    )
    assert sum(kept(g200).values()) == 33


def test_rooming_list_sets_the_groups_other_nights_to_0(
    app: Flask, database: Any, g200: Any
) -> None:
    assert kept(g200) == {("03-10", "DBL"): 3}  # known before
    result = imported(app, "opera_rooming_list.csv")
    assert result.stdout.splitlines()[1] == (
        "source opera-rooming-list, encoding utf-8, dates dmy; 6 rows read, 5 reservations, "
        "9 room nights; 6 nights set, 1 shoulder nights, 0 block differences"
    )
    # DBL on the 10th: no reservation in the list, which is the group's whole list: 0.
    assert kept(g200) == {
        ("03-10", "KNG"): 2, ("03-11", "KNG"): 1, ("03-12", "KNG"): 1,
        ("03-11", "DBL"): 2, ("03-12", "DBL"): 2,
    }  # fmt: skip
    assert kept(g200, "shoulder") == {("03-09", "KNG"): 1}


def test_mews_through_the_propertys_aliases_and_time_zone(
    app: Flask, database: Any, m300: Any
) -> None:
    result = imported(app, "mews_reservations.csv")
    assert "source mews-reservations, encoding utf-8, dates ISO; 6 rows read, 4 reservations" in (
        result.stdout
    )
    assert kept(m300) == {("06-08", "KNG"): 2, ("06-09", "KNG"): 3, ("06-08", "DBL"): 1,
                          ("06-09", "DBL"): 1}  # fmt: skip
    assert kept(m300, "shoulder") == {("06-10", "DBL"): 1}


def test_protel_in_cp1252(app: Flask, database: Any, g200: Any) -> None:
    result = imported(app, "protel_kontingent.csv")
    assert "source protel-kontingent, encoding cp1252, dates dmy; 3 rows read" in result.stdout
    assert result.stdout.count("block differs: ") == 3  # DBL: 4 in protel, 5 in the contract
    assert kept(g200) == {
        ("03-10", "KNG"): 7, ("03-11", "KNG"): 7, ("03-12", "KNG"): 5,
        ("03-10", "DBL"): 4, ("03-11", "DBL"): 4, ("03-12", "DBL"): 4,
    }  # fmt: skip


def test_spanish_resave(app: Flask, database: Any, g200: Any) -> None:
    result = imported(app, "es_ocupacion.csv")
    assert "source es, encoding utf-8 with BOM, dates dmy; 5 rows read" in result.stdout
    assert kept(g200)[("03-12", "KNG")] == 12  # over the block of 10: kept


def test_the_same_file_on_the_same_date_again_writes_nothing(
    app: Flask, database: Any, g200: Any
) -> None:
    imported(app, "opera_rooming_list.csv")
    database.commit()
    snapshots = snapshot_count(database)
    records = database.scalars(select(PickupImportRecord)).all()
    assert len(records) == 1
    record = records[0]
    data = (SAMPLES / "opera_rooming_list.csv").read_bytes()
    assert (record.file_name, record.size, record.source) == (
        "opera_rooming_list.csv",
        len(data),
        "opera-rooming-list",
    )
    assert len(record.sha256) == 64 and record.as_of == date(2026, 12, 1)
    again = imported(app, "opera_rooming_list.csv")
    assert "0 snapshots added, 0 corrected" in again.stdout
    assert snapshot_count(database) == snapshots
    assert database.scalar(select(func.count()).select_from(PickupImportRecord)) == 1


def test_no_guest_name_is_stored(app: Flask, database: Any, g200: Any) -> None:
    imported(app, "opera_rooming_list.csv")
    database.commit()
    bind = database.get_bind()
    for name in ("pickup_import_records", "room_night_snapshots", "audit_entries"):
        table = sa.Table(name, sa.MetaData(), autoload_with=bind)
        text = " ".join(str(row) for row in database.execute(select(table)))
        for guest in ("Lindqvist", "Okafor", "Haddad", "Maja"):
            assert guest not in text, (name, guest)


def test_ambiguous_dates_exit_2_naming_date_order(
    app: Flask, database: Any, g200: Any, m300: Any, tmp_path: Path
) -> None:
    database.commit()  # the contracts stay when the first import rolls back
    path = tmp_path / "pickup.csv"
    # Madrid reads day first, Honolulu month first: the file's own dates cannot tell.
    path.write_text(
        "contract_code,night,room_type,rooms\nG-200,03/11/2027,KNG,1\nM-300,06/08/2027,KNG,1\n"
    )
    result = run(app, "pickup", "import", str(path), "--as-of", "2026-12-01")
    assert result.exit_code == 2
    assert result.stderr == (
        "line 1, night: the dates read both as day/month and as month/day: "
        "say which with --date-order dmy or mdy\n"
    )
    result = run(app, "pickup", "import", str(path), "--as-of", "2026-12-01", "--date-order", "mdy")
    assert result.exit_code == 0, result.stderr
    assert kept(g200)[("03-11", "KNG")] == 1
    assert kept(m300)[("06-08", "KNG")] == 1


def test_room_type_alias_command(app: Flask, database: Any, create_property: Any) -> None:
    create_property("MAD")
    result = run(app, "property", "room-type-alias", "MAD", "Deluxe  King", "KNG")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "property MAD: 'Deluxe King' is read as KNG\n"
    assert run(app, "property", "room-type-alias", "XXX", "a", "KNG").exit_code == 1


def test_auto_recognises_a_mapping_saved_in_the_app(
    app: Flask, database: Any, g200: Any, tmp_path: Path
) -> None:
    from hotelattrition.services.pickup_mappings import Mapping, save_mapping

    save_mapping("MAD", Mapping("FO", {"contract_code": "Grp", "night": "Stay night",
                                       "room_type": "Cat", "rooms": "Booked"}))  # fmt: skip
    path = tmp_path / "fo.csv"
    path.write_text("Grp;Stay night;Cat;Booked\nG-200;2027-03-11;KNG;7\n")
    result = run(app, "pickup", "import", str(path), "--as-of", "2026-12-01")
    assert result.exit_code == 0, result.stderr
    assert "source FO," in result.stdout
    assert kept(g200)[("03-11", "KNG")] == 7
