"""The administrator's users page: add, set role and properties, deactivate, reset a password."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa

from hotelattrition.models import AuditEntry, User
from hotelattrition.models.users import ROLES
from tests.conftest import csrf_token, log_in


@pytest.fixture
def office(create_property: Any, create_user: Any) -> None:
    create_property("MAD")
    create_property("CUN", "MXN", locale="es_MX", country="MX", timezone="America/Cancun")
    create_user("admin@example.com", "admin")
    create_user("sales@example.com", "sales", ("MAD",))


def user(database: Any, email: str) -> User:
    return database.scalar(sa.select(User).where(User.email == email))


def post(client: Any, path: str, page: str, **data: Any) -> Any:
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data})


def temporary(page: str) -> str:
    match = re.search(r'class="temporary-password"><code>([^<]+)</code>', page)
    assert match, page
    return match.group(1)


def test_every_role_is_offered_and_a_new_user_changes_the_password_first(
    client: Any, database: Any, office: None
) -> None:
    log_in(client, "admin@example.com")
    form = client.get("/users/new").get_data(as_text=True)
    assert all(f'value="{role}"' in form for role in ROLES)
    added = post(
        client, "/users/new", "/users/new",
        email="Ana@Hotel.example", name="Ana", role="accounting", properties=["MAD", "CUN"],
    )  # fmt: skip
    assert added.status_code == 200
    password = temporary(added.get_data(as_text=True))
    ana = user(database, "ana@hotel.example")
    assert ana.role == "accounting" and sorted(p.code for p in ana.properties) == ["CUN", "MAD"]
    assert ana.must_change_password
    entry = database.scalar(sa.select(AuditEntry).where(AuditEntry.action == "create_user"))
    assert entry.actor == "admin@example.com" and entry.changes["role"] == "accounting"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/users/")})
    log_in(client, "ana@hotel.example", password)
    forced = client.get("/contracts/")
    assert forced.status_code == 302 and forced.location.endswith("/password")
    assert "temporary password" in client.get("/password").get_data(as_text=True)
    changed = post(
        client, "/password", "/password",
        current_password=password, new_password="my own password 1", confirm="my own password 1",
    )  # fmt: skip
    assert changed.status_code == 302
    assert not ana.must_change_password
    assert client.get("/contracts/").status_code == 200


def test_the_admin_sets_role_and_properties_and_resets_a_password(
    client: Any, database: Any, office: None
) -> None:
    sales = user(database, "sales@example.com")
    log_in(client, "admin@example.com")
    page = f"/users/{sales.id}/edit"
    saved = post(client, page, page, name="Sam", role="viewer", properties=["CUN"])
    assert saved.status_code == 302
    assert (sales.name, sales.role, [p.code for p in sales.properties]) == (
        "Sam",
        "viewer",
        ["CUN"],
    )
    edit = database.scalar(sa.select(AuditEntry).where(AuditEntry.action == "edit_user"))
    assert edit.changes["properties"] == {"before": ["MAD"], "after": ["CUN"]}
    version = sales.session_version
    reset = post(client, f"/users/{sales.id}/reset", page)
    password = temporary(reset.get_data(as_text=True))
    assert sales.must_change_password and sales.session_version > version
    client.post("/logout", data={"csrf_token": csrf_token(client, "/users/")})
    assert log_in(client, "sales@example.com", password).status_code == 302
    assert client.get("/contracts/").location.endswith("/password")


def test_deactivating_stops_sign_in_but_never_for_oneself(
    client: Any, database: Any, office: None
) -> None:
    admin, sales = user(database, "admin@example.com"), user(database, "sales@example.com")
    log_in(client, "admin@example.com")
    post(client, f"/users/{sales.id}/active", "/users/", active="0")
    assert not sales.active
    assert database.scalar(sa.select(AuditEntry).where(AuditEntry.action == "deactivate_user"))
    own = post(client, f"/users/{admin.id}/active", "/users/", active="0")
    assert own.status_code == 302 and admin.active
    page = f"/users/{admin.id}/edit"
    demoted = post(client, page, page, role="sales", properties=["MAD"])
    assert demoted.status_code == 400 and admin.role == "admin"
    assert "cannot change your own role" in demoted.get_data(as_text=True)
    post(client, f"/users/{sales.id}/active", "/users/", active="1")
    assert sales.active


def test_bad_input_is_shown_by_its_field_and_only_admins_may_come(
    client: Any, database: Any, office: None
) -> None:
    log_in(client, "admin@example.com")
    taken = post(client, "/users/new", "/users/new", email="sales@example.com", role="sales")
    assert taken.status_code == 400
    assert 'id="email-error">Another user has this email.' in taken.get_data(as_text=True)
    bad = post(client, "/users/new", "/users/new", email="x" * 255, role="boss", name="y" * 201)
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and 'id="role-error"' in text and 'id="email-error"' in text
    assert 'id="name-error"' in text
    client.post("/logout", data={"csrf_token": csrf_token(client, "/users/")})
    log_in(client, "sales@example.com")
    assert client.get("/users/new").status_code == 403
