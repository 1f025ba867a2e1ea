"""The planner's page through its link: no login, read-only, nothing internal, 404 otherwise."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from hotelattrition.models import Contract, GuestLinkView, ReviewDate
from hotelattrition.services.planner import create_planner_link, revoke_planner_link
from tests.conftest import csrf_token, log_in

NOTE = "Internal: the client threatened to move to the Ritz"


@pytest.fixture
def office(create_contract: Any, create_user: Any, database: Any) -> Contract:
    contract = create_contract(name="Acme sales conference")
    contract.cutoff_on = date(2027, 2, 8)
    contract.review_dates.append(
        ReviewDate(review_on=date(2027, 1, 10), max_reduction_pct=Decimal("10"))
    )
    contract.current_block.note = NOTE  # type: ignore[union-attr]
    other = sample_other()
    create_contract(**other)
    create_user("sales@example.com", "sales", ("MAD",))
    create_user("viewer@example.com", "viewer", ("MAD",))
    database.flush()
    return contract


def sample_other() -> dict[str, Any]:
    from tests.conftest import sample_document

    doc = sample_document(code="OTHER-7", name="Zeta pharma congress")
    for row in doc["block"]:
        row["rate"] = "612.34"
    return doc


def link_for(contract: Contract) -> str:
    _, token = create_planner_link("sales@example.com", contract)
    return f"/p/{token}"


def test_the_planner_sees_the_contracts_figures_without_a_login(
    client: Any, office: Contract
) -> None:
    path = link_for(office)
    response = client.get(path, headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Acme sales conference" in page
    assert "Block against pickup, per night" in page
    assert "Pickup pace" in page
    assert "Room nights still needed" in page
    assert "7 room nights as the block stands" in page  # 70 x 10%
    assert "25 room nights are not booked today" in page  # DBL 8 + 12, STE 0 + 5
    assert "What the group would owe if pickup stayed where it is" in page
    assert "If the group cancelled today it would owe" in page
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"  # the token stays here
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "Set-Cookie" not in response.headers  # no session for a guest


def test_the_page_shows_nothing_internal_and_no_way_into_the_app(
    client: Any, office: Contract
) -> None:
    page = client.get(link_for(office)).get_data(as_text=True)
    assert NOTE not in page
    assert "OTHER-7" not in page and "Zeta pharma" not in page and "612" not in page
    assert "sales@example.com" not in page and "@" not in page
    assert "Acme Pharma" not in page  # the account, as the hotel files it
    assert "History" not in page and "planner_link_created" not in page
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert hrefs and all(h.startswith(("/static/", "/p/")) for h in hrefs), hrefs
    assert "/contracts" not in page and "<form" not in page


def test_unknown_revoked_and_expired_links_are_one_plain_404(
    client: Any, office: Contract, database: Any
) -> None:
    live = link_for(office)
    revoked = link_for(office)  # the new link revokes `live`...
    revoke_planner_link("sales@example.com", office)  # ...and then is revoked itself
    expired = link_for(office)
    database.execute(sa.text("update guest_links set expires_at = :past"), {"past": "2020-01-01"})
    unknown = "/p/" + "A" * 43
    bodies = set()
    for path in (live, revoked, expired, unknown, "/p/short"):
        response = client.get(path)
        assert response.status_code == 404, path
        bodies.add(response.get_data(as_text=True))
    assert len(bodies) == 1
    (body,) = bodies
    assert "This link opens nothing" in body and "/contracts" not in body


def test_every_view_is_logged_and_counted_on_the_contract_page(
    client: Any, office: Contract, database: Any
) -> None:
    path = link_for(office)
    client.get(path, headers={"User-Agent": "Phone " * 100})
    client.get(path)
    client.get("/p/" + "B" * 43)
    rows = database.scalars(sa.select(GuestLinkView).order_by(GuestLinkView.id)).all()
    assert [r.link_id is not None for r in rows] == [True, True, False]
    assert rows[0].address == "127.0.0.0/24" and len(rows[0].user_agent) == 200
    log_in(client, "sales@example.com")
    page = client.get(f"/contracts/{office.code}").get_data(as_text=True)
    assert "Viewed 2 times, last on" in page


def test_the_planner_picks_the_language_and_it_is_remembered(client: Any, office: Contract) -> None:
    path = link_for(office)
    spanish = client.get(path, headers={"Accept-Language": "es-ES,es;q=0.9"})
    assert "Noches de habitación que faltan" in spanish.get_data(as_text=True)
    assert '<html lang="es">' in spanish.get_data(as_text=True)
    chosen = client.get(path + "?lang=en", headers={"Accept-Language": "es"})
    assert '<html lang="en">' in chosen.get_data(as_text=True)
    assert "planner_language=en" in chosen.headers["Set-Cookie"]
    again = client.get(path, headers={"Accept-Language": "es"})
    assert '<html lang="en">' in again.get_data(as_text=True)


def test_sales_create_see_the_url_once_and_revoke(client: Any, office: Contract) -> None:
    log_in(client, "sales@example.com")
    show = f"/contracts/{office.code}"
    assert "Create the planner's link" in client.get(show).get_data(as_text=True)
    created = client.post(f"{show}/planner-link", data={"csrf_token": csrf_token(client, show)})
    page = created.get_data(as_text=True)
    match = re.search(r">(http://localhost/p/[A-Za-z0-9_-]{43})</textarea>", page)
    assert created.status_code == 200 and match
    url = match.group(1)
    contract_page = client.get(show).get_data(as_text=True)
    assert url.rsplit("/", 1)[1] not in contract_page  # shown once, not on the contract page
    assert "Planner&#39;s link created" in contract_page  # in the history
    assert client.get(url.removeprefix("http://localhost")).status_code == 200
    client.post(f"{show}/planner-link/revoke", data={"csrf_token": csrf_token(client, show)})
    assert client.get(url.removeprefix("http://localhost")).status_code == 404


def test_a_viewer_cannot_make_a_link(client: Any, office: Contract) -> None:
    log_in(client, "viewer@example.com")
    show = f"/contracts/{office.code}"
    page = client.get(show).get_data(as_text=True)
    assert "The planner's page" in page and "planner-link" not in page
    response = client.post(f"{show}/planner-link", data={"csrf_token": csrf_token(client, show)})
    assert response.status_code == 403


def test_a_network_guessing_links_gets_429(
    app: Flask, client: Any, office: Contract, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = link_for(office)
    monkeypatch.setitem(app.config, "GUEST_LINK_MAX_REFUSED", 5)
    for n in range(5):
        assert client.get(f"/p/{n}" + "C" * 42).status_code == 404
    refused = client.get(path)  # even a good link, from that network, for a while
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "600"
