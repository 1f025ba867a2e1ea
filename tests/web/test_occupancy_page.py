"""The hotel's occupancy page: a month of nights, bounded, saved in one POST, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from hotelattrition.models import AuditEntry, PropertyOccupancy
from hotelattrition.services.occupancy import record_occupancy
from tests.conftest import log_in
from tests.web.html_forms import form_values

PATH = "/properties/MAD/occupancy?month=2027-02"


@pytest.fixture
def accounting(client: Any, create_property: Any, create_user: Any) -> Any:
    create_property("MAD", "EUR")
    create_property("BCN", "EUR")
    create_user("acc@example.com", "accounting", ("MAD",))
    log_in(client, "acc@example.com")
    return client


def page_values(client: Any, path: str = PATH) -> dict[str, str]:
    return form_values(client.get(path).get_data(as_text=True), "occupancy-form")


def rows(database: Any) -> dict[date, tuple[int, int]]:
    database.expire_all()
    found = database.scalars(sa.select(PropertyOccupancy))
    return {r.night: (r.sold, r.available) for r in found}


def test_a_month_is_saved_in_one_post_and_audited(accounting: Any, database: Any) -> None:
    record_occupancy("MAD", date(2027, 2, 3), 50, 100)
    record_occupancy("MAD", date(2027, 2, 4), 60, 100)
    database.flush()
    values = page_values(accounting)
    nights = sorted(k for k in values if k.endswith("-night"))
    assert len(nights) == 28  # February 2027
    assert (values["nights-2-sold"], values["nights-2-available"]) == ("50", "100")
    values |= {
        "nights-0-sold": "180", "nights-0-available": "200",  # new
        "nights-2-sold": "55",  # corrected
        "nights-3-sold": "", "nights-3-available": "",  # taken out
    }  # fmt: skip
    saved = accounting.post(PATH, data=values)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert rows(database) == {date(2027, 2, 1): (180, 200), date(2027, 2, 3): (55, 100)}
    [entry] = database.scalars(sa.select(AuditEntry).where(AuditEntry.action == "record_occupancy"))
    assert (entry.actor, entry.entity, entry.entity_key) == ("acc@example.com", "property", "MAD")
    assert entry.changes == {
        "2027-02-01": {"before": None, "after": {"sold": 180, "available": 200}},
        "2027-02-03": {"before": {"sold": 50, "available": 100},
                       "after": {"sold": 55, "available": 100}},
        "2027-02-04": {"before": {"sold": 60, "available": 100}, "after": None},
    }  # fmt: skip
    page = accounting.get(saved.location).get_data(as_text=True)
    assert "Occupancy saved: 3 nights changed." in page
    assert page_values(accounting)["nights-0-sold"] == "180"


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"nights-5-sold": "100001", "nights-5-available": "200"}, "nights-5-sold",
         "Rooms sold: between 0 and 100000."),
        ({"nights-5-sold": "10", "nights-5-available": "0"}, "nights-5-available",
         "Rooms available: between 1 and 100000."),
        ({"nights-5-sold": "10"}, "nights-5-available", "Type the rooms available too"),
        ({"nights-5-sold": "ten", "nights-5-available": "20"}, "nights-5-sold",
         "must be a whole number"),
    ],
)  # fmt: skip
def test_a_bad_night_is_refused_next_to_its_box_keeping_everything_typed(
    accounting: Any, database: Any, typed: dict[str, str], field: str, message: str
) -> None:
    values = page_values(accounting) | {"nights-1-sold": "90", "nights-1-available": "100"}
    response = accounting.post(PATH, data=values | typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error">{message}' in page
    kept = form_values(page, "occupancy-form")
    assert kept["nights-1-sold"] == "90" and all(kept[k] == v for k, v in typed.items())
    assert rows(database) == {}  # nothing saved, not even the good night
    spanish = accounting.post(PATH, data=values | typed, headers={"Accept-Language": "es"})
    assert f'id="{field}-error">' in spanish.get_data(as_text=True)


def test_the_month_is_bounded_and_another_months_form_saves_nothing(
    accounting: Any, database: Any
) -> None:
    far = accounting.get("/properties/MAD/occupancy?month=2200-01").get_data(as_text=True)
    assert "Choose a month from 2000-01 to 2100-12." in far
    values = page_values(accounting) | {"nights-0-sold": "1", "nights-0-available": "2"}
    wrong = accounting.post("/properties/MAD/occupancy?month=2027-03", data=values)
    assert wrong.status_code == 400
    assert "The form was for another month" in wrong.get_data(as_text=True)
    assert rows(database) == {}
    too_many = values | {f"nights-{i}-night": f"2027-02-{i % 28 + 1:02d}" for i in range(28, 40)}
    assert accounting.post(PATH, data=too_many).status_code == 400
    assert rows(database) == {}


def test_a_property_the_user_does_not_see_is_not_found(accounting: Any) -> None:
    assert accounting.get("/properties/BCN/occupancy").status_code == 404
    links = accounting.get("/invoices/").get_data(as_text=True)
    assert 'href="/properties/MAD/occupancy"' in links
    assert 'href="/properties/BCN/occupancy"' not in links
