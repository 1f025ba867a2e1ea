"""A match report as CSV: its pairs with their scores, and its outside-block rooms per night."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..models import Reconciliation

PAIR_HEADER = (
    "registration_line", "registration_name", "in_house_line", "guest_name", "arrival",
    "departure", "room_type", "rooms", "block_code", "score", "matched_by", "outside_block",
)  # fmt: skip
NIGHT_HEADER = ("night", "room_type", "rooms", "in_stay")


def pair_rows(report: Reconciliation) -> Iterator[tuple[object, ...]]:
    """One row per matched attendee, in the registration list's order."""
    for p in report.pairs:
        yield (
            p.registration_line, p.registration_name, p.in_house_line, p.guest_name, p.arrival,
            p.departure, p.room_type, p.rooms, p.block_code, p.score,
            "email" if p.by_email else "name", p.outside_block,
        )  # fmt: skip


def night_rows(report: Reconciliation) -> Iterator[tuple[object, ...]]:
    """Outside-block rooms per night and room type; in_stay: whether the settlement counts it."""
    contract = report.contract
    for night, room_type, rooms in report.nights:
        day = date.fromisoformat(night)
        yield day, room_type, rooms, contract.arrival <= day < contract.departure
