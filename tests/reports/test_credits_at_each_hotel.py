"""Credit lists judge "expired" and "expires in" by the day at the hotel that owes the credit.

Kiritimati (UTC+14) and Honolulu (UTC-10) are 24 hours apart: whatever the hour, Kiritimati's
date is Honolulu's plus one. Two credits both expiring on Honolulu's today: Honolulu's is
open (it expires today, 0 days left), Kiritimati's expired yesterday there and is not listed.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from hotelattrition.extensions import db
from hotelattrition.models import AccountCredit, Property
from hotelattrition.reports.credits import open_credits_at, outstanding_by_currency
from hotelattrition.reports.property_days import by_today, todays_by_property
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.credit_ledger import append_entry
from tests.invoicing import stay_document

CLAUSE = {
    "mode": "credit_paid",
    "windows": [{"months": 12, "pct": "100"}],
    "counts_to": "signing",
    "room_nights_pct": None,
    "fnb_pct": None,
    "affiliates": False,
}


def _credit(code: str, prop: Property, expires: Any, amount: str) -> AccountCredit:
    contract = import_contract(stay_document(code) | {"property": prop.code}).contract
    credit = AccountCredit(
        account_id=contract.account_id,
        contract_id=contract.id,
        property_id=prop.id,
        source="invoice",
        mode="credit_paid",
        currency="EUR",
        opened_on=expires - timedelta(days=30),
        expires_on=expires,
        arrival=contract.arrival,
        room_nights=70,
        fnb_minimum=Decimal("9000.00"),
        clause=CLAUSE,
        created_by="test",
    )
    db.session.add(credit)
    db.session.flush()
    append_entry(credit, "earn", Decimal(amount), credit.opened_on, "test", note="TR")
    return credit


def test_each_credit_expires_by_the_day_at_its_own_hotel(database, create_property):
    honolulu = create_property("HNL", "EUR", timezone="Pacific/Honolulu", country="US")
    kiritimati = create_property("KIR", "EUR", timezone="Pacific/Kiritimati", country="KI")
    hnl_today, kir_today = honolulu.today(), kiritimati.today()
    assert kir_today == hnl_today + timedelta(days=1)
    at_hnl = _credit("H-1", honolulu, hnl_today, "700.00")
    _credit("K-1", kiritimati, hnl_today, "300.00")  # expired yesterday, at Kiritimati
    todays = by_today(todays_by_property())
    assert todays == {hnl_today: [honolulu.id], kir_today: [kiritimati.id]}
    (row,) = open_credits_at(todays)
    assert (row.id, row.days_left, row.remaining) == (at_hnl.id, 0, Decimal("700.00"))
    assert [r.id for r in open_credits_at(todays, expiring_within=60)] == [at_hnl.id]
    assert outstanding_by_currency(todays) == {"EUR": Decimal("700.00")}
