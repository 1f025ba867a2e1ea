"""Two contracts the samples name: G-200 at Madrid and M-300 at Honolulu."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

ROOMS = {"KNG": (10, "189.00"), "DBL": (5, "149.00")}


def stay(code: str, property_code: str, currency: str, arrival: date, nights: int) -> dict:
    days = [arrival + timedelta(days=n) for n in range(nights)]
    return {
        "code": code,
        "property": property_code,
        "currency": currency,
        "signed_on": "2026-09-01",
        "arrival": arrival.isoformat(),
        "departure": (arrival + timedelta(days=nights)).isoformat(),
        "block": [
            {"night": d.isoformat(), "room_type": t, "rooms": rooms, "rate": rate}
            for d in days
            for t, (rooms, rate) in ROOMS.items()
        ],
        # Known before the imports: DBL on the first night, which a rooming list empties.
        "pickup": [{"night": days[0].isoformat(), "room_type": "DBL", "rooms": 3}],
    }


@pytest.fixture
def g200(create_contract: Any) -> Any:
    """Madrid (es_ES, Europe/Madrid): 10, 11 and 12 March 2027, KNG 10 and DBL 5 a night."""
    return create_contract(**stay("G-200", "MAD", "EUR", date(2027, 3, 10), 3))


@pytest.fixture
def m300(create_contract: Any, create_property: Any) -> Any:
    """Honolulu (en_US, Pacific/Honolulu): 8 and 9 June 2027; Mews names its room types."""
    from hotelattrition.services.room_type_aliases import set_room_type_alias

    create_property("HNL", "USD", locale="en_US", country="US", timezone="Pacific/Honolulu")
    set_room_type_alias("HNL", "Deluxe King", "KNG")
    set_room_type_alias("HNL", "double", "DBL")  # aliases match without case
    return create_contract(**stay("M-300", "HNL", "USD", date(2027, 6, 8), 2))
