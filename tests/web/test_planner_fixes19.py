"""A reviewer's findings on the planner's link and page (fixes19): a lost group, a waiver, lost
and voided contracts' links, expiry from the current dates, one unrevoked link, a key change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from hotelattrition.extensions import db
from hotelattrition.models import GuestLink
from hotelattrition.services.contract_voids import void_contract
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.guest_links import issue_link, live_link, open_link
from hotelattrition.services.lost_business import record_lost_business
from hotelattrition.services.planner import (
    create_planner_link,
    planner_expiry,
    planner_panel,
    planner_url,
)
from hotelattrition.services.settlement_decisions import decide_waiver
from tests.invoicing import stay_document
from tests.reports.test_lost_business import tentative


def test_a_lost_groups_page_says_it_owes_nothing_and_its_links_close(
    client: Any, database: Any, create_property: Any
) -> None:
    create_property("MAD", "EUR")
    contract = tentative("L-1")
    _, before = create_planner_link("cli", contract)
    record_lost_business(contract, "other_hotel", "Hotel Rival", "cli")
    assert open_link(before, "planner") is None and live_link(contract, "planner") is None
    _, token = create_planner_link("cli", contract)  # a link made afterwards shows the status
    page = client.get(f"/p/{token}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "This group did not go ahead with the hotel: it owes nothing." in page
    assert "would owe" not in page and "If the group cancelled" not in page
    spanish = client.get(f"/p/{token}?lang=es").get_data(as_text=True)
    assert "no debe nada" in spanish


def test_a_waiver_in_force_shows_what_is_owed_after_it(
    client: Any, database: Any, create_property: Any
) -> None:
    create_property("MAD", "EUR", tax_id="B12345678")
    stay = import_contract(stay_document()).contract  # owes 4477.00 after the stay
    decide_waiver(stay, "cli", "relationship", amount="1000.00")
    _, token = create_planner_link("cli", stay)
    page = client.get(f"/p/{token}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The hotel waived €1,000.00 of these damages: the group owes €3,477.00." in page
    spanish = client.get(f"/p/{token}?lang=es").get_data(as_text=True)
    assert "penalizaciones: el grupo debe 3477,00" in spanish.replace("\xa0", " ").replace(
        "3.477", "3477"
    )


def test_a_voided_contracts_links_are_revoked(database: Any, create_contract: Any) -> None:
    contract = create_contract()
    link, _ = create_planner_link("cli", contract)
    void_contract("cli", contract, "entered twice")
    assert link.revoked_at is not None and link.revoked_by == "cli"


def test_the_link_stops_at_the_current_departure_plus_90_days(
    database: Any, create_contract: Any
) -> None:
    contract = create_contract()
    link, token = create_planner_link("cli", contract)
    moved = contract.departure - timedelta(days=30)
    contract.departure = moved
    database.flush()
    end = planner_expiry(contract)
    assert end < link.expires_at.replace(tzinfo=UTC)
    assert open_link(token, "planner", end - timedelta(seconds=1)) is link
    assert open_link(token, "planner", end) is None
    assert live_link(contract, "planner", end) is None
    assert planner_panel(contract).last_day == moved + timedelta(days=90)


def test_a_key_change_leaves_no_live_link_to_show_or_mail(
    app: Flask, database: Any, create_contract: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    contract = create_contract()
    create_planner_link("cli", contract)
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://hotel.example")
    assert planner_url(contract) is not None
    monkeypatch.setitem(app.config, "SECRET_KEY", "a-new-secret-key")
    assert live_link(contract, "planner") is None
    assert planner_url(contract) is None and planner_panel(contract).link is None


def test_one_unrevoked_link_per_contract_and_purpose(database: Any, create_contract: Any) -> None:
    contract = create_contract()
    first, _ = issue_link("cli", contract, "planner", planner_expiry(contract))
    # An expired link never revoked (made before this fix) is revoked with the live one.
    database.execute(
        sa.update(GuestLink).where(GuestLink.id == first.id).values(expires_at=datetime(2020, 1, 1))
    )
    second, _ = issue_link("cli", contract, "planner", planner_expiry(contract))
    database.refresh(first)
    assert first.revoked_at is not None
    unrevoked = database.scalars(
        sa.select(GuestLink.id).where(GuestLink.contract_id == contract.id,
                                      GuestLink.revoked_at.is_(None))
    ).all()  # fmt: skip
    assert unrevoked == [second.id]
    # The database holds it too: a second unrevoked row of the purpose is refused.
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.add(
            GuestLink(contract_id=contract.id, purpose="planner", nonce="n" * 43,
                      created_by="cli", expires_at=datetime(2099, 1, 1, tzinfo=UTC))
        )  # fmt: skip
    survey, _ = issue_link("cli", contract, "survey", planner_expiry(contract))
    assert survey.revoked_at is None  # another purpose is another link
