"""Outside-block reconciliation: lists read all or nothing, matched, stored, confirmed."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from hotelattrition.models import AuditEntry, Reconciliation, StoredSettlement
from hotelattrition.models.pickup import latest_room_nights
from hotelattrition.services import ServiceError, attendee_lists
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.invoices import issue_invoice
from hotelattrition.services.reconciliations import (
    InvalidLists,
    Upload,
    confirm_reconciliation,
    confirmed_report,
    reconcile_lists,
)
from tests.invoicing import stay_document
from tests.pickup_sources.xlsx import xlsx

CLAUSE = {"allowance_pct": "20", "tax_pct": "10", "credit_outside_block": True}
REGISTRATION = (
    "Attendee list, Acme sales conference\n"
    "name;arrival;departure;email\n"
    "Ana García;10/03/2027;12/03/2027;\n"
    "Luis Perez;10/03/2027;12/03/2027;\n"
    "Eva Ruiz;09/03/2027;11/03/2027;eva@example.com\n"
    "Pedro Sánchez;10/03/2027;12/03/2027;\n"
)
IN_HOUSE = (
    "Conf. No.,Name,Arrival,Departure,Room Type,Rooms,Status,Block Code\n"
    '1001,"GARCIA, ANA",2027-03-10,2027-03-12,DBL,1,CHECKED OUT,G-100\n'
    '1002,"PÉREZ, LUIS",2027-03-10,2027-03-12,STE,1,CHECKED OUT,\n'
    '1003,"RUIZ, EVA",2027-03-10,2027-03-11,DBL,1,CHECKED OUT,\n'
    '1004,"SANCHEZ, PEDRO",2027-03-10,2027-03-12,DBL,1,CANCELLED,\n'
    '1005,"SMITH, JOHN",2027-03-10,2027-03-12,DBL,1,CHECKED OUT,\n'
)


def lists(registration: str | bytes = REGISTRATION, in_house: str | bytes = IN_HOUSE) -> tuple:
    def up(name: str, data: str | bytes) -> Upload:
        return Upload(name, data.encode() if isinstance(data, str) else data)

    return up("registrations.csv", registration), up("in-house.csv", in_house)


@pytest.fixture
def contract(create_contract: Any) -> Any:
    return create_contract(room_attrition=CLAUSE)


@pytest.fixture
def user(create_user: Any) -> Any:
    return create_user(properties=("MAD",))


def test_the_lists_are_matched_and_kept_as_a_draft(contract: Any, user: Any, database: Any) -> None:
    report = reconcile_lists(contract, *lists(), user)
    assert (report.state, report.registrations, report.guests) == ("draft", 4, 4)
    # Pedro's stay was cancelled; John Smith registered nowhere.
    pairs = [(p.registration_name, p.guest_name, p.score, p.outside_block) for p in report.pairs]
    assert pairs == [
        ("Ana García", "GARCIA, ANA", 100, False),
        ("Luis Perez", "PÉREZ, LUIS", 100, True),
        ("Eva Ruiz", "RUIZ, EVA", 100, True),
    ]
    assert (report.matched, report.outside, report.room_nights) == (3, 2, 3)
    assert report.nights == [
        ["2027-03-10", "DBL", 1], ["2027-03-10", "STE", 1], ["2027-03-11", "STE", 1],
    ]  # fmt: skip
    assert not any(k[0] == "outside_block" and v for k, v in latest_room_nights(contract).items())


def test_confirming_records_outside_block_pickup_and_recomputes(
    contract: Any, user: Any, database: Any
) -> None:
    report = reconcile_lists(contract, *lists(), user)
    picked_up = sa.select(StoredSettlement.picked_up).filter_by(contract_id=contract.id)
    before = database.scalar(picked_up)
    assert confirm_reconciliation(report, user) == 2
    latest = latest_room_nights(contract)
    assert latest["outside_block", date(2027, 3, 10), ""] == 2
    assert latest["outside_block", date(2027, 3, 11), ""] == 1
    assert latest["pickup", date(2027, 3, 10), "DBL"] == 22  # the rest stays as it was
    assert database.scalar(picked_up) == before + 3  # the clause counts attendees outside the block
    assert report.state == "confirmed" and report.as_of == contract.property.today()
    entry = database.scalars(
        sa.select(AuditEntry).filter_by(action="confirm_reconciliation", entity_key="G-100")
    ).one()
    assert entry.changes["room_nights"] == 3 and entry.actor == user.email
    with pytest.raises(ServiceError, match="confirmed already"):
        confirm_reconciliation(report, user)


def test_a_new_upload_replaces_the_draft_not_a_confirmed_report(
    contract: Any, user: Any, database: Any
) -> None:
    confirmed = reconcile_lists(contract, *lists(), user)
    confirm_reconciliation(confirmed, user)
    reconcile_lists(contract, *lists(), user)
    latest = reconcile_lists(contract, *lists(), user)
    assert confirmed_report(contract) is confirmed
    states = database.execute(sa.select(Reconciliation.id, Reconciliation.state)).all()
    assert sorted(states) == [(confirmed.id, "confirmed"), (latest.id, "draft")]


def test_every_problem_is_named_with_its_line_and_nothing_is_written(
    contract: Any, user: Any, database: Any
) -> None:
    registration = (
        "name,arrival,departure,email\n"
        ",2027-03-10,2027-03-12,\n"
        "Ana García,2027-02-10,2027-03-12,\n"
        "Luis Pérez,2027-03-11,2027-03-10,\n"
        f"{'x' * 201},2027-03-10,2027-03-12,not-an-address\n"
        "Eva Ruiz,tomorrow,2027-03-12,\n"
    )
    in_house = (
        "Name,Arrival,Departure,Room Type,Rooms,Block Code\nRUIZ,2027-03-10,2027-03-12,,two,\n"
    )
    with pytest.raises(InvalidLists) as refused:
        reconcile_lists(contract, *lists(registration, in_house), user)
    found = [(kind, p.line, p.column, str(p.message)) for kind, p in refused.value.list_problems]
    assert found == [
        ("registration", 2, "name", "required"),
        (
            "registration",
            3,
            "arrival",
            "2027-02-10 is not within the stay and a week either side (2027-03-03 to 2027-03-19)",
        ),
        ("registration", 4, "departure", "2027-03-10 is not after the arrival, 2027-03-11"),
        ("registration", 5, "name", "at most 200 characters"),
        ("registration", 5, "email", "'not-an-address' is not an e-mail address"),
        (
            "registration",
            6,
            "arrival",
            "'tomorrow' is not a date: write it YYYY-MM-DD or dd/mm/yyyy",
        ),
        ("in_house", 2, "Room Type", "required"),
        ("in_house", 2, "Rooms", "'two' is not a number of rooms from 0 to 99"),
    ]
    assert database.scalar(sa.select(sa.func.count()).select_from(Reconciliation)) == 0


def test_dates_are_bounded_by_the_stay_and_a_week(contract: Any, user: Any) -> None:
    registration = (
        "name,arrival,departure\n"
        "Ana García,2027-02-10,2027-03-12\n"
        "Luis Pérez,2027-03-11,2027-03-10\n"
    )
    with pytest.raises(InvalidLists) as refused:
        reconcile_lists(contract, *lists(registration), user)
    found = [(p.line, p.column, str(p.message)) for _, p in refused.value.list_problems]
    assert found == [
        (2, "arrival", "2027-02-10 is not within the stay and a week either side "
                       "(2027-03-03 to 2027-03-19)"),
        (3, "departure", "2027-03-10 is not after the arrival, 2027-03-11"),
    ]  # fmt: skip


def test_a_list_without_its_columns_names_them(contract: Any, user: Any) -> None:
    with pytest.raises(InvalidLists) as refused:
        reconcile_lists(contract, *lists("who,when\nAna,2027-03-10\n"), user)
    found = [(p.line, p.column) for _, p in refused.value.list_problems]
    assert found == [(1, "name"), (1, "arrival"), (1, "departure")]


def test_an_in_house_list_without_its_block_code_column_is_refused_naming_it(
    contract: Any, user: Any
) -> None:
    # Without the column every matched guest looked outside the block (fixes19, finding 1).
    in_house = "\n".join(
        line.rpartition(",")[0] for line in IN_HOUSE.splitlines()
    )  # the Block Code column dropped
    with pytest.raises(InvalidLists) as refused:
        reconcile_lists(contract, *lists(in_house=in_house), user)
    found = [(p.line, p.column, str(p.message)) for _, p in refused.value.list_problems]
    assert found == [
        (1, "block_code", "missing column: name it block_code / block / group_code / codigo_grupo")
    ]


def test_rows_and_size_are_bounded(
    contract: Any, user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attendee_lists, "MAX_ROWS", 2)
    with pytest.raises(InvalidLists) as refused:
        reconcile_lists(contract, *lists(), user)
    assert [str(p.message) for _, p in refused.value.list_problems] == [
        "more than 2 rows: split the list", "more than 2 rows: split the list",
    ]  # fmt: skip
    monkeypatch.setattr(attendee_lists, "MAX_BYTES", 100)
    with pytest.raises(InvalidLists, match="2 problems"):
        reconcile_lists(contract, *lists(), user)


def test_first_and_last_names_and_a_workbook_are_read(contract: Any, user: Any) -> None:
    registration = xlsx([
        ["Last name", "First name", "Arrival", "Departure"],
        ["Pérez", "Luis", date(2027, 3, 10), date(2027, 3, 12)],
    ])  # fmt: skip
    report = reconcile_lists(contract, *lists(registration), user)
    assert [(p.registration_name, p.guest_name) for p in report.pairs] == [
        ("Pérez, Luis", "PÉREZ, LUIS")
    ]


def test_no_name_or_address_reaches_the_log(
    contract: Any, user: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        confirm_reconciliation(reconcile_lists(contract, *lists(), user), user)
    logged = caplog.text.casefold()
    assert "outside-block lists matched: contract g-100" in logged
    for personal in ("garcia", "garcía", "ruiz", "eva@example.com", "smith"):
        assert personal not in logged


def test_an_invoiced_contract_is_matched_but_not_changed(
    create_property: Any, create_user: Any, database: Any
) -> None:
    create_property("MAD")
    user = create_user(properties=("MAD",))
    contract = import_contract(stay_document("G-500", room_attrition=CLAUSE)).contract
    issue_invoice(contract, "accounting")
    a, d = contract.arrival.isoformat(), contract.departure.isoformat()
    report = reconcile_lists(
        contract,
        Upload("r.csv", f"name,arrival,departure\nLuis Pérez,{a},{d}\n".encode()),
        Upload(
            "h.csv", f"Name,Arrival,Departure,Room Type,Block\nPEREZ LUIS,{a},{d},DBL,\n".encode()
        ),
        user,
    )
    assert report.room_nights == 2
    with pytest.raises(ServiceError, match=r"has invoice .* open: credit it first"):
        confirm_reconciliation(report, user)


def test_a_windows_1252_list_is_read_as_it_was_saved(contract: Any, user: Any) -> None:
    registration = "name;arrival;departure\r\nLuis Pérez;10/03/2027;12/03/2027\r\n"
    report = reconcile_lists(contract, *lists(registration.encode("cp1252")), user)
    assert [p.registration_name for p in report.pairs] == ["Luis Pérez"]
