"""An account's damages per currency on its page: read from its listed contracts when every one
is listed (no statement of their own), from SQL when the list stops at its limit; the same
figures either way."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hotelattrition.reports import accounts
from hotelattrition.reports.accounts import CurrencyTotal, account_history
from tests.listing import add_account, add_contract, statements


def test_totals_by_hand_and_as_sql_counts_them(
    database: Any, create_property: Any, create_user: Any
) -> None:
    mad = create_property("MAD")
    cun = create_property("CUN", "MXN", locale="es_MX", country="MX", timezone="America/Cancun")
    admin = create_user("admin@example.com", "admin")
    acme = add_account(database, "Acme")
    past, future = date.today() - timedelta(days=100), date.today() + timedelta(days=100)
    add_contract(database, mad, acme, "M-1", past, damages="1000.50")  # over: owed
    add_contract(database, mad, acme, "M-2", future, damages="300")  # to come: projected
    add_contract(database, mad, acme, "M-3", future, status="cancelled", damages="250")  # owed
    add_contract(database, mad, acme, "M-4", future, status="tentative", damages="40")
    add_contract(database, mad, acme, "M-5", past, status="lost", damages="999")  # never owes
    add_contract(database, mad, acme, "M-6", past)  # no settlement stored: nothing
    add_contract(database, cun, acme, "C-1", past, damages="20000")
    add_contract(database, cun, acme, "C-2", future, status="tentative", damages="700")
    database.flush()
    todays = {mad.id: mad.today(), cun.id: cun.today()}
    # EUR: six contracts; owed 1,000.50 + 250; projected 300 (M-4 is tentative, left out);
    # one tentative. MXN: two; owed 20,000; projected nothing (C-2 tentative); one tentative.
    without = [
        CurrencyTotal("EUR", 6, Decimal("1250.50"), Decimal("300"), 1),
        CurrencyTotal("MXN", 2, Decimal("20000"), Decimal("0"), 1),
    ]
    # With the tentative ones: 40 more projected in EUR, 700 in MXN.
    including = [
        CurrencyTotal("EUR", 6, Decimal("1250.50"), Decimal("340"), 1),
        CurrencyTotal("MXN", 2, Decimal("20000"), Decimal("700"), 1),
    ]
    for tentative, expected in ((False, without), (True, including)):
        with statements() as sent:
            history = account_history(admin, acme.id, tentative)
        assert history is not None and history.complete
        assert history.totals == expected
        assert accounts._totals(admin, acme.id, todays, tentative) == expected
        assert not any("GROUP BY properties.currency" in s for s in sent)


def test_past_the_listed_limit_the_totals_count_every_contract(
    database: Any, create_property: Any, create_user: Any, monkeypatch: Any
) -> None:
    mad = create_property("MAD")
    admin = create_user("admin@example.com", "admin")
    acme = add_account(database, "Acme")
    for i in range(4):
        add_contract(database, mad, acme, f"M-{i}", date(2020, 1, 1) + timedelta(days=i),
                     damages="100")  # fmt: skip
    database.flush()
    monkeypatch.setattr(accounts, "HISTORY_LIMIT", 3)  # the page lists three: one left off
    history = account_history(admin, acme.id)
    assert history is not None and not history.complete
    assert len(history.past) == 3
    assert history.totals == [CurrencyTotal("EUR", 4, Decimal("400"), Decimal("0"), 0)]
