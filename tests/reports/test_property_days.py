"""Today at each property: one rule (Property.today), read one way, and one branch per today."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from hotelattrition.models import Contract
from hotelattrition.reports.owed import is_owed
from hotelattrition.reports.property_days import by_today, todays_by_property, todays_in
from hotelattrition.services.contracts import import_contract
from tests.invoicing import stay_document
from tests.listing import statements


def test_todays_by_property_is_each_propertys_today(database: Any, create_property: Any) -> None:
    made = [
        create_property("MAD"),
        create_property("BCN"),
        create_property("CUN", "MXN", timezone="America/Cancun", country="MX", locale="es_MX"),
    ]
    assert todays_by_property() == {p.id: p.today() for p in made}
    assert todays_by_property([made[2].id]) == {made[2].id: made[2].today()}
    assert todays_in(["America/Cancun"]) == {"America/Cancun": made[2].today()}
    with statements() as ran:  # none asked for (a page with no disputes): nothing to read
        assert todays_by_property([]) == {}
    assert ran == []


def test_is_owed_asks_once_per_distinct_today_not_once_per_property(
    database: Any, create_property: Any
) -> None:
    madrid = create_property("MAD")
    import_contract(stay_document("G-1", days_ago=10))  # the stay is over: owed
    import_contract(stay_document("G-2", days_ago=-20))  # ahead: a projection
    today = madrid.today()
    todays = {madrid.id: today, 1001: today, 1002: today, 1003: today + timedelta(days=1)}
    assert by_today(todays) == {today: [madrid.id, 1001, 1002], today + timedelta(days=1): [1003]}
    predicate = is_owed(todays)
    sql = str(predicate.compile(compile_kwargs={"literal_binds": True}))
    assert sql.count("contracts.departure <") == 2  # two todays, four properties
    owed = dict(
        database.execute(sa.select(Contract.code, predicate).outerjoin(Contract.settlement)).all()
    )
    assert owed == {"G-1": True, "G-2": False}


def test_is_owed_is_built_once_for_the_same_todays_and_anew_for_others(
    database: Any, create_property: Any
) -> None:
    madrid = create_property("MAD")
    import_contract(stay_document("G-2", days_ago=-20))  # ahead: a projection until it is over
    today = madrid.today()
    assert is_owed({madrid.id: today}) is is_owed({madrid.id: today})  # one expression, reused

    def owed(on: date) -> bool:
        stmt = (
            sa.select(is_owed({madrid.id: on})).select_from(Contract).outerjoin(Contract.settlement)
        )
        return bool(database.execute(stmt).scalar_one())

    assert not owed(today)
    assert owed(today + timedelta(days=30))  # a later today: the stay is over
    assert not owed(today)
