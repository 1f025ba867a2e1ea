"""Three editions of an account, worked by hand: the history, suggestion and copy tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hotelattrition.models import Account
from hotelattrition.services.contracts import import_contract
from tests.conftest import sample_document


def block(year: int, dbl: int, ste: int) -> list[dict[str, Any]]:
    return [
        {"night": f"{year}-03-{day}", "room_type": t, "rooms": rooms, "rate": rate}
        for day in (10, 11)
        for t, rooms, rate in (("DBL", dbl, "150.00"), ("STE", ste, "290.00"))
    ]


def pickup(year: int, rows: dict[tuple[int, str], int]) -> list[dict[str, Any]]:
    return [
        {"night": f"{year}-03-{day}", "room_type": t, "rooms": rooms}
        for (day, t), rooms in sorted(rows.items())
    ]


def edition(code: str, year: int, account: str, as_of: str, **changes: Any) -> None:
    doc = sample_document(
        code=code, account=account, name=f"Acme Congress {year}", signed_on=f"{year - 1}-09-01",
        arrival=f"{year}-03-10", departure=f"{year}-03-12", block=block(year, 30, 5),
        pickup=[],
    ) | {"as_of": as_of} | changes  # fmt: skip
    import_contract({k: v for k, v in doc.items() if v is not None})


def three_editions(database: Any, create_property: Any, create_user: Any) -> dict[str, Any]:
    """Acme Pharma (and its affiliate Acme Iberia): G-25, G-26 settled, G-27 tentative."""
    create_property("MAD")
    # 2025, at the affiliate: block 70 as signed and at the end; 38 picked up 30 days before
    # arrival, 60 in the end (27 + 26 DBL, 4 + 3 STE).
    early = pickup(2025, {(10, "DBL"): 20, (11, "DBL"): 18})
    edition("G-25", 2025, "Acme Iberia", "2025-02-08", pickup=early)
    final = pickup(2025, {(10, "DBL"): 27, (11, "DBL"): 26, (10, "STE"): 4, (11, "STE"): 3})
    edition("G-25", 2025, "Acme Iberia", "2025-03-14", status="settled", pickup=final)
    # 2026: signed at 70, reduced to 60 (DBL 25 a night) on 2026-01-20 with 30 picked up;
    # in the end 56 (24 + 23 DBL, 5 + 4 STE), 2 a night outside the block, 3 resold, F&B 7,000.
    edition("G-26", 2026, "Acme Pharma", "2025-11-01")
    edition("G-26", 2026, "Acme Pharma", "2026-01-20", block=block(2026, 25, 5),
            pickup=pickup(2026, {(10, "DBL"): 15, (11, "DBL"): 15}))  # fmt: skip
    final = pickup(2026, {(10, "DBL"): 24, (11, "DBL"): 23, (10, "STE"): 5, (11, "STE"): 4})
    outside = [{"night": f"2026-03-{day}", "rooms": 2} for day in (10, 11)]
    resold = [{"night": "2026-03-11", "rooms": 3}]
    edition("G-26", 2026, "Acme Pharma", "2026-03-14", status="settled", block=block(2026, 25, 5),
            pickup=final, outside_block=outside, resold=resold)  # fmt: skip
    # 2027 is still tentative (not signed): listed, but no edition the suggestion reads.
    edition("G-27", 2099, "Acme Pharma", "2026-11-01", signed_on=None, status="tentative")
    parent = database.scalar(select(Account).where(Account.name == "Acme Pharma"))
    child = database.scalar(select(Account).where(Account.name == "Acme Iberia"))
    child.parent_id = parent.id
    database.flush()
    return {"admin": create_user("admin@example.com", "admin"), "acme": parent, "child": child}


def kick_off(code: str, year: int, picked_up: int, status: str = "settled") -> None:
    """Acme's other event: a one-night sales kick-off in January, 20 KNG, held every year."""
    night = f"{year}-01-20"
    doc = sample_document(
        code=code, account="Acme Pharma", name=f"Acme Sales Kick-off {year}",
        signed_on=f"{year - 1}-10-01", arrival=night, departure=f"{year}-01-21",
        block=[{"night": night, "room_type": "KNG", "rooms": 20, "rate": "180.00"}],
        pickup=[{"night": night, "room_type": "KNG", "rooms": picked_up}],
        status=status, as_of=f"{year}-01-23",
    )  # fmt: skip
    import_contract(doc)
