"""The PMS bench's rooming list: its COPY baseline is exactly the per-night rows the file gives."""

from __future__ import annotations

from bench import pms
from hotelattrition.services.pickup_sources import read_pickup


def test_the_copy_baseline_is_what_the_rooming_list_reads_as() -> None:
    payload, rows = pms.rooming_list(300, 2_000)
    read = read_pickup(payload)
    assert not read.problems
    assert read.source == "opera-rooming-list"
    assert read.reservations == 300 - len(range(0, 300, 17))  # every 17th is cancelled
    assert sorted((ln.code, ln.night, ln.room_type, ln.rooms) for ln in read.lines) == sorted(
        (code, night, room_type, rooms) for _, code, night, room_type, rooms in rows
    )
