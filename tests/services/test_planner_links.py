"""The planner's link: a derived token never stored, expiry in the hotel's zone, revoke, bounds."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from hotelattrition.models import AuditEntry, GuestLink
from hotelattrition.services import ServiceError
from hotelattrition.services.contract_voids import void_contract
from hotelattrition.services.guest_links import (
    aware,
    client_network,
    open_link,
    record_view,
    too_many,
)
from hotelattrition.services.planner import (
    create_planner_link,
    planner_expiry,
    planner_panel,
    planner_url,
    revoke_planner_link,
)


def every_stored_text(database: Any) -> str:
    """Every column of every guest link and audit entry, as text: what a leak would hold."""
    rows = database.execute(sa.select(GuestLink.__table__)).all()
    rows += database.execute(sa.select(AuditEntry.__table__)).all()
    return " ".join(str(value) for row in rows for value in row)


def test_the_token_is_never_stored_only_its_hash(database: Any, create_contract: Any) -> None:
    contract = create_contract()
    link, token = create_planner_link("sales@example.com", contract)
    database.flush()
    assert len(token) == 43
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in every_stored_text(database)
    assert link.nonce not in token  # derived through the key, not the nonce itself
    assert open_link(token, "planner") is link


def test_two_links_have_unrelated_tokens(database: Any, create_contract: Any) -> None:
    first = create_contract(code="G-1")
    second = create_contract(code="G-2")
    _, one = create_planner_link("sales@example.com", first)
    _, two = create_planner_link("sales@example.com", second)
    assert one != two
    assert open_link(one, "planner").contract_id == first.id  # type: ignore[union-attr]
    assert open_link(two, "planner").contract_id == second.id  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("zone", "expected_utc"),
    [
        # Departure 12 March 2027 + 90 days = 10 June; the link works through that day.
        ("Europe/Madrid", datetime(2027, 6, 10, 22, 0, tzinfo=UTC)),  # CEST, UTC+2
        ("America/Cancun", datetime(2027, 6, 11, 5, 0, tzinfo=UTC)),  # UTC-5 all year
    ],
)
def test_the_link_expires_after_departure_plus_90_days_in_the_hotels_zone(
    database: Any, create_property: Any, create_contract: Any, zone: str, expected_utc: datetime
) -> None:
    create_property("HTL", timezone=zone)
    contract = create_contract(property="HTL")
    assert planner_expiry(contract) == expected_utc
    link, token = create_planner_link("sales@example.com", contract)
    database.flush()
    database.expire_all()  # as stored: SQLite keeps no zone, so the row must hold UTC
    assert aware(link.expires_at) == expected_utc
    just_before = expected_utc - timedelta(seconds=1)
    assert open_link(token, "planner", now=just_before) is link
    assert open_link(token, "planner", now=expected_utc) is None
    assert planner_panel(contract).last_day == (contract.departure + timedelta(days=90))


def test_revoking_stops_the_link_and_is_audited(database: Any, create_contract: Any) -> None:
    contract = create_contract()
    link, token = create_planner_link("sales@example.com", contract)
    revoked = revoke_planner_link("manager@example.com", contract)
    database.flush()
    assert revoked is link and link.revoked_by == "manager@example.com"
    assert open_link(token, "planner") is None
    assert planner_url(contract) is None
    with pytest.raises(ServiceError):
        revoke_planner_link("manager@example.com", contract)
    actions = database.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.entity_key == contract.code)
    ).all()
    assert {"planner_link_created", "planner_link_revoked"} <= set(actions)


def test_a_voided_contracts_link_opens_nothing(database: Any, create_contract: Any) -> None:
    contract = create_contract()
    _, token = create_planner_link("sales@example.com", contract)
    void_contract("sales@example.com", contract, "entered twice")
    assert open_link(token, "planner") is None


def test_a_new_link_revokes_the_old_one(database: Any, create_contract: Any) -> None:
    contract = create_contract()
    old, old_token = create_planner_link("sales@example.com", contract)
    new, new_token = create_planner_link("sales@example.com", contract)
    database.flush()
    assert old.revoked_at is not None and new.revoked_at is None
    assert open_link(old_token, "planner") is None
    assert open_link(new_token, "planner") is new


def test_the_url_is_printed_again_from_the_row_and_the_key(
    app: Flask, database: Any, create_contract: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://attrition.hotel.example/")
    contract = create_contract()
    assert planner_url(contract) is None
    _, token = create_planner_link("sales@example.com", contract)
    assert planner_url(contract) == f"https://attrition.hotel.example/p/{token}"


def test_outside_a_request_the_url_needs_public_url(
    app: Flask, database: Any, create_contract: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PUBLIC_URL", "")
    contract = create_contract()
    create_planner_link("sales@example.com", contract)
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        planner_url(contract)


def test_a_rotated_secret_key_turns_every_link_off(
    app: Flask, database: Any, create_contract: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    contract = create_contract()
    link, token = create_planner_link("sales@example.com", contract)
    assert open_link(token, "planner") is link
    monkeypatch.setitem(app.config, "SECRET_KEY", "a-new-secret-key")
    assert open_link(token, "planner") is None  # the stored hash alone opens nothing


def test_a_malformed_or_other_purpose_token_opens_nothing(
    database: Any, create_contract: Any
) -> None:
    _, token = create_planner_link("sales@example.com", create_contract())
    assert open_link(token, "survey") is None
    assert open_link(token + "x", "planner") is None
    assert open_link(token[:-1] + "!", "planner") is None
    assert open_link("", "planner") is None


def test_the_address_is_kept_as_its_network() -> None:
    assert client_network("203.0.113.77") == "203.0.113.0/24"
    assert client_network("2001:db8:1234:5678::1") == "2001:db8:1234::/48"
    assert client_network(None) == "unknown"
    assert client_network("not an address") == "unknown"


def test_a_network_guessing_tokens_is_stopped_and_others_are_not(
    app: Flask, database: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "GUEST_LINK_MAX_REFUSED", 3)
    now = datetime.now(UTC)
    for _ in range(2):
        record_view(None, "198.51.100.0/24", "curl", now)
    database.flush()
    assert not too_many("198.51.100.0/24", now)
    record_view(None, "198.51.100.0/24", "curl", now)
    database.flush()
    assert too_many("198.51.100.0/24", now)
    assert not too_many("192.0.2.0/24", now)
    later = now + timedelta(seconds=app.config["GUEST_LINK_WINDOW_SECONDS"] + 1)
    assert not too_many("198.51.100.0/24", later)


def test_views_are_counted_per_contract(database: Any, create_contract: Any) -> None:
    contract = create_contract()
    other = create_contract(code="G-2")
    link, _ = create_planner_link("sales@example.com", contract)
    other_link, _ = create_planner_link("sales@example.com", other)
    at = datetime(2027, 1, 5, 23, 30, tzinfo=UTC)  # 6 January in Madrid
    record_view(link, "203.0.113.0/24", "x" * 1000, at)
    record_view(link, "203.0.113.0/24", "Mozilla", at - timedelta(days=1))
    record_view(other_link, "203.0.113.0/24", "Mozilla", at)
    record_view(None, "203.0.113.0/24", "Mozilla", at)
    database.flush()
    panel = planner_panel(contract)
    assert (panel.views, panel.last_view_on) == (2, datetime(2027, 1, 6).date())
    lengths = database.scalars(sa.text("select length(user_agent) from guest_link_views")).all()
    assert max(lengths) == 200
