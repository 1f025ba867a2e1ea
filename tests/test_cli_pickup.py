"""`hotelattrition pickup import`: what it prints, its exit codes, nothing written on a bad file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from hotelattrition.cli import cli
from hotelattrition.models import RoomNightSnapshot, StoredSettlement
from hotelattrition.services.invoices import credit_invoice, issue_invoice
from tests.invoicing import madrid_today, stay_document


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(cli, list(args))


def test_pickup_import_prints_what_it_did(
    app: Flask, database: Any, create_contract: Any, tmp_path: Path
) -> None:
    contract = create_contract()
    path = tmp_path / "pickup.csv"
    path.write_text("contract_code;night;room_type;rooms\nG-100;10/03/2027;DBL;30\n")
    result = run(app, "pickup", "import", str(path), "--as-of", "2026-12-01")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "pickup as of 2026-12-01: 1 rows for 1 contracts; 1 snapshots added, 0 corrected, "
        "0 unchanged; 1 settlements recomputed\n"
        # 10/03/2027 is day-first at MAD (es_ES): the property's locale decides.
        "source generic, encoding utf-8, dates dmy; 1 rows read, 0 reservations, "
        "30 room nights; 1 nights set, 0 shoulder nights, 0 block differences\n"
    )
    assert database.get(StoredSettlement, contract.id).picked_up == 30 + 5 + 18
    again = run(app, "pickup", "import", str(path), "--as-of", "2026-12-01")
    assert "0 snapshots added, 0 corrected, 1 unchanged; 0 settlements" in again.stdout


def test_pickup_import_with_problems_exits_2_and_writes_nothing(
    app: Flask, database: Any, create_contract: Any, tmp_path: Path
) -> None:
    create_contract()
    database.commit()  # the contract stays when the import rolls back
    count = database.scalar(select(func.count()).select_from(RoomNightSnapshot))
    path = tmp_path / "pickup.csv"
    path.write_text(
        "contract_code,night,room_type,rooms\n"
        "G-100,2027-03-10,DBL,30\n"
        "G-100,2027-03-10,DBL,-1\n"
        "X-1,2027-03-10,DBL,1\n"
    )
    result = run(app, "pickup", "import", str(path), "--as-of", "2026-12-01")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "line 3, rooms: -1 is negative: rooms must be 0 or more",
        "line 4, contract_code: no contract has the code X-1",
    ]
    assert database.scalar(select(func.count()).select_from(RoomNightSnapshot)) == count


def test_pickup_import_needs_a_valid_date(app: Flask, database: Any, tmp_path: Path) -> None:
    path = tmp_path / "pickup.csv"
    path.write_text("contract_code,night,room_type,rooms\n")
    result = run(app, "pickup", "import", str(path), "--as-of", "01/12/2026")
    assert result.exit_code == 2
    assert "--as-of" in result.stderr


def test_pickup_for_an_invoiced_contract_exits_2_until_it_is_credited(
    app: Flask, database: Any, create_contract: Any, tmp_path: Path
) -> None:
    contract = create_contract(**stay_document("G-100"))
    invoice = issue_invoice(contract)
    database.commit()  # the contract and its invoice stay when the import rolls back
    before = contract.settlement.total
    path = tmp_path / "pickup.csv"
    path.write_text(
        f"contract_code;night;room_type;rooms\nG-100;{contract.arrival.isoformat()};DBL;30\n"
    )

    refused = run(app, "pickup", "import", str(path), "--as-of", madrid_today().isoformat())

    assert refused.exit_code == 2
    assert refused.stderr == (
        f"line 2, contract_code: contract G-100 has invoice {invoice.number} open: "
        "credit it first\n"
    )
    assert database.get(StoredSettlement, contract.id).total == before
    credit_invoice(invoice.number, "pickup corrected")
    database.commit()
    done = run(app, "pickup", "import", str(path), "--as-of", madrid_today().isoformat())
    assert done.exit_code == 0, done.stderr
    database.expire_all()
    assert database.get(StoredSettlement, contract.id).total != before


# Bounded input (issue 12) ------------------------------------------------------------------

HEADER = "contract_code,night,room_type,rooms\n"


def test_as_of_after_tomorrow_at_the_property_or_before_2000_exits_2(
    app: Flask, database: Any, create_contract: Any, tmp_path: Path
) -> None:
    contract = create_contract()
    database.commit()  # the contract stays when a refused import rolls back
    tomorrow = contract.property.today() + timedelta(days=1)
    path = tmp_path / "pickup.csv"
    path.write_text(HEADER + "G-100,2027-03-10,DBL,30\n")
    later = run(app, "pickup", "import", str(path), "--as-of", str(tomorrow + timedelta(days=1)))
    assert later.exit_code == 2
    assert "Invalid value for '--as-of'" in later.stderr
    assert f"is after tomorrow at MAD ({tomorrow}): pickup cannot be dated" in later.stderr
    early = run(app, "pickup", "import", str(path), "--as-of", "1999-12-31")
    assert early.exit_code == 2
    assert "1999-12-31 is before 2000-01-01: check the year" in early.stderr
    assert database.get(StoredSettlement, contract.id).picked_up == 45
    ok = run(app, "pickup", "import", str(path), "--as-of", str(tomorrow))
    assert ok.exit_code == 0, ok.stderr
    assert database.get(StoredSettlement, contract.id).picked_up == 30 + 5 + 18


def test_problems_stop_at_200_then_say_how_many_more(
    app: Flask, database: Any, create_contract: Any, tmp_path: Path
) -> None:
    create_contract()
    path = tmp_path / "pickup.csv"
    path.write_text(HEADER + "G-100,2027-03-10,DBL,-1\n" * 1250)
    result = run(app, "pickup", "import", str(path), "--as-of", "2026-12-01")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 201
    assert lines[199] == "line 201, rooms: -1 is negative: rooms must be 0 or more"
    assert lines[200] == "... and 1,050 more problems"


def test_a_nul_byte_and_a_huge_cell_are_problems_of_their_lines(
    app: Flask, database: Any, create_contract: Any, tmp_path: Path
) -> None:
    create_contract()
    path = tmp_path / "pickup.csv"
    path.write_bytes(
        HEADER.encode()
        + b"G-100,2027-03-10,DBL,3\x000\n"
        + b"G-100,2027-03-11," + b"D" * 200_000 + b",1\n"
        + b"G-100,2027-03-11,DBL,x\n"
    )  # fmt: skip
    result = run(app, "pickup", "import", str(path), "--as-of", "2026-12-01")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "line 2, -: contains a NUL byte",
        "line 3, room_type: the cell is longer than 128 KiB",
        "line 4, rooms: 'x' is not a whole number of rooms",
    ]
