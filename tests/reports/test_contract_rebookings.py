"""The stored rebooking days (models/contract_rebookings.py) follow every change to the
contracts they are read from, and the retention report reads them.

Acme stays at MAD arriving 2026-03-10 (G-26, entered 2025-09-01). Its later contracts:
* G-27 at MAD, arriving 2027-03-10, entered 2026-10-01: rebooked that day;
* G-27B at BCN, arriving 2027-02-10, entered 2026-08-01: rebooked on 2026-08-01, earlier
  than G-27, for every property; not for MAD alone (that report joins MAD's contracts).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import Account, Contract, ContractRebooking
from hotelattrition.models.contract_rebookings import refresh_rebookings
from hotelattrition.reports.retention import periods_for
from hotelattrition.reports.retention_report import retention_report
from hotelattrition.reports.retention_sql import _rebookings_joined, rebookings
from hotelattrition.services.contract_voids import void_contract
from hotelattrition.services.lost_business import record_lost_business


def _contract(create_contract: Any, code: str, arrival: str, entered: str, **more: Any) -> Any:
    """A two-night stay arriving on `arrival`, entered (created) on `entered`."""
    first = date.fromisoformat(arrival)
    nights = [first, first + timedelta(days=1)]
    doc: dict[str, Any] = {
        "code": code, "arrival": arrival, "departure": (first + timedelta(days=2)).isoformat(),
        "signed_on": entered,
        "block": [{"night": n.isoformat(), "room_type": "DBL", "rooms": 30, "rate": "150.00"}
                  for n in nights],
        "pickup": [{"night": n.isoformat(), "room_type": "DBL", "rooms": 20} for n in nights],
    } | more  # fmt: skip
    if doc["signed_on"] is None:
        del doc["signed_on"]
    contract = create_contract(**doc)
    contract.created_at = datetime.fromisoformat(entered).replace(tzinfo=UTC)
    return contract


def _day(database: Any, contract: Any) -> date | None:
    database.flush()
    return database.scalar(
        select(ContractRebooking.rebooked_on).where(ContractRebooking.contract_id == contract.id)
    )


@pytest.fixture
def stays(database: Any, create_contract: Any, create_user: Any) -> dict[str, Any]:
    g26 = _contract(create_contract, "G-26", "2026-03-10", "2025-09-01")
    database.flush()
    return {"G26": g26, "admin": create_user("admin@example.com", "admin")}


def test_a_later_contract_entered_rebooks_the_stay(
    database: Any, create_contract: Any, stays: dict[str, Any]
) -> None:
    g26 = stays["G26"]
    assert _day(database, g26) is None
    g27 = _contract(create_contract, "G-27", "2027-03-10", "2026-10-01")
    assert _day(database, g26) == date(2026, 10, 1)
    assert _day(database, g27) is None  # nothing arrives after G-27
    # Another hotel's contract, entered earlier, rebooks it first.
    _contract(create_contract, "G-27B", "2027-02-10", "2026-08-01", property="BCN")
    assert _day(database, g26) == date(2026, 8, 1)


def test_lost_voided_moved_and_deleted_contracts_no_longer_rebook(
    database: Any, create_contract: Any, stays: dict[str, Any]
) -> None:
    g26 = stays["G26"]
    g27 = _contract(create_contract, "G-27", "2027-03-10", "2026-10-01")
    bcn = _contract(create_contract, "G-27B", "2027-02-10", "2026-08-01", property="BCN")
    assert _day(database, g26) == date(2026, 8, 1)
    void_contract("test", bcn, "typed twice")
    assert _day(database, g26) == date(2026, 10, 1)
    g27.status = "cancelled"
    assert _day(database, g26) is None
    g27.status = "definite"
    assert _day(database, g26) == date(2026, 10, 1)
    g27.arrival = date(2026, 1, 10)  # now before G-26: G-27 is rebooked by G-26 instead
    assert _day(database, g26) is None
    assert _day(database, g27) == date(2025, 9, 1)
    g27.arrival = date(2027, 3, 10)
    other = Account(name="Other Group")
    database.add(other)
    database.flush()
    g27.account_id = other.id  # moved to another account: Acme's stay is not rebooked
    assert _day(database, g26) is None
    g27.account_id = g26.account_id
    assert _day(database, g26) == date(2026, 10, 1)
    database.delete(g27)
    assert _day(database, g26) is None


def test_a_lost_tentative_group_does_not_rebook(
    database: Any, create_contract: Any, stays: dict[str, Any]
) -> None:
    g27 = _contract(create_contract, "G-27", "2027-03-10", "2026-10-01", status="tentative",
                    signed_on=None)  # fmt: skip
    assert _day(database, stays["G26"]) == date(2026, 10, 1)
    record_lost_business(g27, "rate_too_high", "Hotel Rival", "test")
    assert _day(database, stays["G26"]) is None


def test_the_report_sees_the_rebooking_as_of_the_day_it_was_entered(
    database: Any, create_contract: Any, stays: dict[str, Any]
) -> None:
    def rebooked(as_of: date, prop: Any = None) -> tuple[int, int]:
        a = retention_report(stays["admin"], prop, "year", 2026, as_of).accounts[-1]
        return a.held, a.rebooked_12

    _contract(create_contract, "G-27B", "2027-02-10", "2026-08-01", property="BCN")
    database.flush()
    mad = stays["G26"].property
    # The stay departed 2026-03-12; BCN's contract was entered 2026-08-01.
    assert rebooked(date(2026, 7, 31)) == (1, 0)
    assert rebooked(date(2026, 8, 1)) == (1, 1)
    assert rebooked(date(2026, 8, 1), mad) == (1, 0)  # at MAD alone: not rebooked there
    _contract(create_contract, "G-27", "2027-03-10", "2026-10-01")
    database.flush()
    assert rebooked(date(2026, 10, 1), mad) == (1, 1)


def test_the_stored_days_answer_as_the_join_to_the_later_contracts(
    database: Any, create_contract: Any, stays: dict[str, Any]
) -> None:
    """Over a few accounts and properties, as of three dates."""
    _contract(create_contract, "G-27", "2027-03-10", "2026-10-01")
    _contract(create_contract, "G-27B", "2027-02-10", "2026-08-01", property="BCN")
    _contract(create_contract, "G-25", "2025-06-10", "2025-01-15", property="BCN")
    _contract(create_contract, "H-26", "2026-05-10", "2025-12-01", account="Beta Corp")
    _contract(create_contract, "H-27", "2027-05-10", "2026-12-20", account="Beta Corp",
              property="SVQ")  # fmt: skip
    database.flush()
    every = tuple(database.scalars(select(Contract.property_id).distinct()))
    stays_ = select(Contract.id, Contract.account_id, Contract.arrival).subquery("stays")
    # G-25 on 2025-09-01 (G-26), G-26 on 2026-08-01 (G-27B), G-27B on 2026-10-01 (G-27),
    # H-26 on 2026-12-20 (H-27); G-27 and H-27 never.
    for as_of, found in ((date(2026, 8, 1), 2), (date(2026, 12, 31), 4), (date(2027, 6, 30), 4)):
        joined = _rebookings_joined(stays_, as_of, every)
        stored = rebookings(stays_, as_of, None)
        expected = set(database.execute(select(joined.c.id, joined.c.again_on)).all())
        assert set(database.execute(select(stored.c.id, stored.c.again_on)).all()) == expected
        assert len(expected) == found


def test_refresh_rewrites_what_a_set_based_write_left(
    database: Any, create_contract: Any, stays: dict[str, Any]
) -> None:
    g27 = _contract(create_contract, "G-27", "2027-03-10", "2026-10-01")
    database.flush()
    database.execute(ContractRebooking.__table__.delete())  # as COPY leaves it: nothing
    assert _day(database, stays["G26"]) is None
    refresh_rebookings(database.connection(), [g27.account_id])
    assert _day(database, stays["G26"]) == date(2026, 10, 1)


def test_the_report_among_some_properties_joins_the_later_contracts(
    database: Any, create_contract: Any, stays: dict[str, Any], create_user: Any
) -> None:
    _contract(create_contract, "G-27B", "2027-02-10", "2026-08-01", property="BCN")
    database.flush()
    both = create_user("both@example.com", "sales", ("MAD", "BCN"))
    figures = retention_report(both, None, "year", 2026, date(2026, 8, 1)).accounts
    assert [(a.held, a.rebooked_12) for a in figures][-1] == (1, 1)
    assert len(figures) == len(periods_for("year", 2026))
