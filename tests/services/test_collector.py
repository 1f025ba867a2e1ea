"""The cyclic collector is paused for bulk work, and restored after, even on a failure."""

from __future__ import annotations

import gc
from datetime import date
from typing import Any

import pytest

from hotelattrition.services.collector import collector_paused
from hotelattrition.services.pickup_import import InvalidPickupFile, import_pickup


@pytest.fixture(autouse=True)
def collector_on() -> Any:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_inside_and_back_on_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failure_inside_restores_the_collector() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("bulk work failed")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_a_pickup_import_runs_without_the_collector(database: Any, create_contract: Any) -> None:
    create_contract()
    seen: set[bool] = set()
    data = b"contract_code,night,room_type,rooms\nG-100,2027-03-10,DBL,28\n"
    import_pickup(data, date(2026, 12, 1), progress=lambda *_: seen.add(gc.isenabled()))
    assert seen == {False}
    assert gc.isenabled()


def test_a_refused_pickup_file_restores_the_collector(database: Any, create_contract: Any) -> None:
    create_contract()
    with pytest.raises(InvalidPickupFile):
        import_pickup(
            b"contract_code,night,room_type,rooms\nNOPE,2027-03-10,DBL,28\n", date(2026, 12, 1)
        )
    assert gc.isenabled()
