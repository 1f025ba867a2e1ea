"""Helpers for the invoice tests: contracts whose damages can be invoiced today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.conftest import sample_document


def madrid_today() -> date:
    return datetime.now(UTC).astimezone(ZoneInfo("Europe/Madrid")).date()


def stay_document(code: str = "G-100", days_ago: int = 10, **overrides: Any) -> dict[str, Any]:
    """The sample contract, its two nights `days_ago` days back: attrition is invoiceable."""
    arrival = madrid_today() - timedelta(days=days_ago)
    nights = [arrival, arrival + timedelta(days=1)]
    doc = sample_document(code=code)
    doc |= {
        "signed_on": (arrival - timedelta(days=200)).isoformat(),
        "arrival": arrival.isoformat(),
        "departure": (arrival + timedelta(days=2)).isoformat(),
        "block": [
            {"night": n.isoformat(), "room_type": rt, "rooms": rooms, "rate": rate}
            for n in nights
            for rt, rooms, rate in (("DBL", 30, "150.00"), ("STE", 5, "290.00"))
        ],
        "pickup": [
            {"night": nights[0].isoformat(), "room_type": "DBL", "rooms": 22},
            {"night": nights[0].isoformat(), "room_type": "STE", "rooms": 5},
            {"night": nights[1].isoformat(), "room_type": "DBL", "rooms": 18},
        ],
    }
    return doc | overrides


def cancelled_document(code: str = "C-300", **overrides: Any) -> dict[str, Any]:
    """A contract for next year, cancelled yesterday: its cancellation fee is invoiceable."""
    doc = stay_document(code, days_ago=-300)
    doc["cancellation"] = doc["cancellation"] | {
        "cancelled_on": (madrid_today() - timedelta(days=1)).isoformat(),
        "tax_pct": "10",
    }
    return doc | {"status": "cancelled", "lost_reason": "event_cancelled"} | overrides


GUARDED = ("invoices", "invoice_pdfs", "payments")


def drop_guards(database: Any, engine_name: str, tables: tuple[str, ...] = GUARDED) -> None:
    """What someone with database access would do first: remove the append-only triggers."""
    import sqlalchemy as sa

    for table in tables:
        if engine_name == "postgresql":
            database.execute(sa.text(f"DROP TRIGGER {table}_immutable ON {table}"))
        else:
            for event in ("update", "delete"):
                database.execute(sa.text(f"DROP TRIGGER {table}_no_{event}"))


def convert(contract: Any) -> Any:
    """Convert a contract's damages as the app does: record the decision "convert", which
    carries it out (convert_damages refuses without it); the account credit it opened."""
    from sqlalchemy import select

    from hotelattrition.extensions import db
    from hotelattrition.models import AccountCredit
    from hotelattrition.services.contracts import get_contract
    from hotelattrition.services.settlement_decisions import decide_convert

    found = get_contract(contract) if isinstance(contract, str) else contract
    decide_convert(found, "cli")
    return db.session.scalar(select(AccountCredit).where(AccountCredit.contract_id == found.id))
