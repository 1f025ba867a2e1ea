"""Contracts for the report tests: a month of groups at MAD, built through the services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from hotelattrition.models import Contract, Property, StoredSettlement
from hotelattrition.services.contracts import import_contract
from tests.conftest import sample_document


def stay_document(
    code: str, arrival: date, nights: int, rooms: int, picked: int, **overrides: Any
) -> dict[str, Any]:
    """A DBL-only stay with `rooms` a night, `picked` of them picked up each night."""
    days = [arrival + timedelta(days=i) for i in range(nights)]
    block = [
        {"night": d.isoformat(), "room_type": "DBL", "rooms": rooms, "rate": "100.00"} for d in days
    ]
    pickup = [{"night": d.isoformat(), "room_type": "DBL", "rooms": picked} for d in days if picked]
    return sample_document(
        code=code,
        name=f"Group {code}",
        arrival=arrival.isoformat(),
        departure=(arrival + timedelta(days=nights)).isoformat(),
        block=block,
        pickup=pickup,
    ) | overrides  # fmt: skip


def stored_total(prop: Property, first: date, end: date) -> Decimal:
    """The sum of the stored settlements of the groups arriving in [first, end) at prop."""
    from hotelattrition.extensions import db

    return db.session.scalar(
        select(func.coalesce(func.sum(StoredSettlement.total), Decimal(0)))
        .join(Contract, Contract.id == StoredSettlement.contract_id)
        .where(Contract.property_id == prop.id, Contract.arrival >= first, Contract.arrival < end)
    )


def march_groups(create_property: Any) -> Property:
    """MAD (EUR) with groups around March 2027, each snapshot dated as a PMS would date it.

    * M-1 arrives 10 March, 2 nights x 30 DBL: 20 a night as of 15 Jan, 24 as of 10 Feb.
    * M-2 arrives 30 March, 3 nights (30, 31 March, 1 April) x 10 DBL, 10 picked up.
    * M-3 arrives 27 February, 3 nights (27, 28 Feb, 1 March) x 20 DBL, 12 picked up.
    * M-4 cancelled on 1 February; arrives 20 March, 2 nights x 40 DBL: a fee, no pickup.
    * B-1 is at BCN in March; A-1 at MAD in April: neither is in the report.
    """
    prop = create_property("MAD")
    create_property("BCN")

    def add(doc: dict[str, Any], as_of: str) -> None:
        import_contract(doc | {"as_of": as_of})

    add(stay_document("M-1", date(2027, 3, 10), 2, 30, 20), "2027-01-15")
    add(stay_document("M-1", date(2027, 3, 10), 2, 30, 24), "2027-02-10")
    add(stay_document("M-2", date(2027, 3, 30), 3, 10, 10), "2027-01-20")
    add(stay_document("M-3", date(2027, 2, 27), 3, 20, 12), "2027-01-05")
    cancelled = sample_document()["cancellation"] | {"cancelled_on": "2027-02-01"}
    add(stay_document("M-4", date(2027, 3, 20), 2, 40, 0, cancellation=cancelled), "2027-02-01")
    add(stay_document("B-1", date(2027, 3, 12), 2, 30, 10, property="BCN"), "2027-01-15")
    add(stay_document("A-1", date(2027, 4, 2), 2, 30, 10), "2027-01-15")
    return prop
