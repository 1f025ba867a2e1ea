"""Room-type aliases in the app: per property, for the roles that import pickup; bounded."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import RoomTypeAlias
from hotelattrition.services import room_type_aliases
from tests.conftest import csrf_token, log_in

PAGE = "/pickup/aliases/MAD"


@pytest.fixture
def sales(client: Any, database: Any, create_property: Any, create_user: Any) -> Any:
    """A sales user of MAD signed in; BCN exists too, with an alias of its own."""
    create_property("MAD")
    create_property("BCN")
    room_type_aliases.set_room_type_alias("BCN", "Junior Suite", "JRS")
    create_user("sales@example.com", "sales", ("MAD",))
    create_user("viewer@example.com", "viewer", ("MAD",))
    database.commit()
    log_in(client, "sales@example.com")
    return client


def add(client: Any, alias: str, room_type: str, **headers: str) -> Any:
    token = csrf_token(client, PAGE)
    data = {"csrf_token": token, "alias": alias, "room_type": room_type}
    return client.post(PAGE, data=data, headers=headers)


def listed(page: str) -> list[tuple[str, str]]:
    table = page[page.index('class="data compact aliases"') :]
    return re.findall(r"<td>([^<]+)</td><td><code>([^<]+)</code></td>", table)


def test_add_list_and_remove(sales: Any, database: Any) -> None:
    assert sales.get("/pickup/aliases/").headers["Location"].endswith(PAGE)
    answer = add(sales, "  Deluxe   King ", "KNG")
    assert answer.status_code == 302
    assert "Deluxe King is read as KNG." in sales.get(PAGE).get_data(as_text=True)
    add(sales, "Twin", "TWN")
    page = sales.get(PAGE).get_data(as_text=True)
    assert listed(page) == [("Deluxe King", "KNG"), ("Twin", "TWN")]
    assert "Junior Suite" not in page  # BCN's
    add(sales, "deluxe king", "DLX")  # the same name (without case): changed, not doubled
    page = sales.get(PAGE).get_data(as_text=True)
    assert listed(page) == [("deluxe king", "DLX"), ("Twin", "TWN")]
    twin = database.scalar(select(RoomTypeAlias.id).where(RoomTypeAlias.alias == "Twin"))
    token = csrf_token(sales, PAGE)
    removed = sales.post(f"{PAGE}/{twin}/remove", data={"remove-csrf_token": token})
    assert removed.status_code == 302
    assert listed(sales.get(PAGE).get_data(as_text=True)) == [("deluxe king", "DLX")]


def test_bad_input_is_refused_next_to_its_field_and_kept(sales: Any, database: Any) -> None:
    long = "x" * 101
    answer = add(sales, long, "")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert re.search(r'id="alias-error">Field cannot be longer than 100 characters', page)
    assert 'id="room_type-error">This field is required' in page
    assert f'value="{long}"' in page
    assert database.scalar(select(RoomTypeAlias).where(RoomTypeAlias.alias == long)) is None


def test_at_most_so_many_aliases_per_property(sales: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(room_type_aliases, "ALIASES_MAX", 1)
    add(sales, "Deluxe King", "KNG")
    answer = add(sales, "Twin", "TWN")
    assert answer.status_code == 422
    assert "At most 500 aliases per property: remove one first." in answer.get_data(as_text=True)
    assert add(sales, "DELUXE KING", "KNG").status_code == 302  # changing one is not adding


def test_other_properties_and_roles_and_forged_posts_are_refused(
    sales: Any, client: Any, database: Any
) -> None:
    bcn = database.scalar(select(RoomTypeAlias.id).where(RoomTypeAlias.alias == "Junior Suite"))
    assert sales.get("/pickup/aliases/BCN").status_code == 404
    token = csrf_token(sales, PAGE)
    assert sales.post(f"{PAGE}/{bcn}/remove", data={"remove-csrf_token": token}).status_code == 404
    assert sales.post(PAGE, data={"alias": "Twin", "room_type": "TWN"}).status_code == 400
    assert sales.post(f"{PAGE}/{bcn}/remove").status_code in (302, 400)
    assert database.get(RoomTypeAlias, bcn) is not None
    sales.post("/logout", data={"csrf_token": csrf_token(sales, PAGE)})
    log_in(client, "viewer@example.com")
    assert client.get(PAGE).status_code == 403


def test_the_page_speaks_spanish(sales: Any) -> None:
    add(sales, "Deluxe King", "KNG")
    sales.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    page = sales.get(PAGE).get_data(as_text=True)
    assert "Alias de tipos de habitación" in page and "Añadir un alias" in page
    assert "Quitar" in page
