"""POST /api/v1/settlements: bearer tokens, the spec's errors, 401, 415; the OpenAPI page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from hotelattrition.services.users import create_token, deactivate_user, revoke_token

EXAMPLE = (
    Path(__file__).parent.parent / "domain" / "examples" / "04-fnb-service-charge-and-tax.json"
)


@pytest.fixture
def token(create_user: Any, database: Any) -> str:
    create_user("api@example.com", "viewer")
    _, text = create_token("api@example.com", "integration")
    database.commit()
    return text


def post(client: Any, body: Any, token: str | None, **kwargs: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if "data" not in kwargs:
        kwargs["json"] = body
    return client.post("/api/v1/settlements", headers=headers, **kwargs)


def test_settles_a_document(client: Any, token: str) -> None:
    example = json.loads(EXAMPLE.read_text())
    response = post(client, example["input"], token)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["total"], body["tax"]) == (
        example["expected"]["total"],
        example["expected"]["tax"],
    )
    assert [ln["kind"] for ln in body["lines"]] == ["fnb_attrition", "fnb_service_charge", "tax"]


def test_descriptions_follow_the_language(client: Any, token: str) -> None:
    example = json.loads(EXAMPLE.read_text())["input"]
    spanish = post(client, example, token, query_string={"language": "es"}).get_json()
    assert "Mínimo de alimentos y bebidas" in spanish["lines"][0]["description"]


def test_invalid_document_is_400_with_every_problem(client: Any, token: str) -> None:
    doc = json.loads(EXAMPLE.read_text())["input"]
    doc["block"][0]["rate"] = "-1"
    doc["fnb"]["alowance_pct"] = "1"
    response = post(client, doc, token)
    assert response.status_code == 400
    assert response.get_json() == {
        "errors": [
            {"pointer": "/block/0/rate", "message": "must be >= 0"},
            {"pointer": "/fnb/alowance_pct", "message": "unknown key"},
        ]
    }


def test_malformed_json_is_400_not_valid_json(client: Any, token: str) -> None:
    response = post(client, None, token, data="{oops", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {"errors": [{"pointer": "/", "message": "not valid JSON"}]}


def test_non_json_body_is_415(client: Any, token: str) -> None:
    response = post(client, None, token, data="currency=EUR", content_type="text/plain")
    assert response.status_code == 415


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc", "Bearer "])
def test_no_valid_token_is_401(client: Any, token: str, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.post("/api/v1/settlements", json={}, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_and_deactivated_user_are_401(
    client: Any, token: str, database: Any, create_user: Any
) -> None:
    example = json.loads(EXAMPLE.read_text())["input"]
    assert post(client, example, token).status_code == 200
    revoke_token("integration")
    database.commit()
    assert post(client, example, token).status_code == 401

    create_user("other@example.com", "sales")
    _, second = create_token("other@example.com")
    database.commit()
    assert post(client, example, second).status_code == 200
    deactivate_user("other@example.com")
    database.commit()
    assert post(client, example, second).status_code == 401


def test_session_cookie_does_not_open_the_api(client: Any, create_user: Any) -> None:
    from tests.conftest import log_in

    create_user()
    log_in(client, "sales@example.com")
    assert client.post("/api/v1/settlements", json={}).status_code == 401


def test_openapi_describes_the_endpoint(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/settlements"]["post"]
    assert set(operation["responses"]) == {"200", "400", "401", "405", "415"}
    document = spec["components"]["schemas"]["SettlementDocument"]
    assert document["required"] == ["currency", "arrival", "departure", "block"]


CENTURIES = {
    "currency": "EUR",
    "arrival": "0001-01-01",
    "departure": "9999-12-31",
    "block": [{"night": "2027-01-01", "room_type": "DBL", "rooms": 1, "rate": "1"}],
    "room_attrition": {"basis": "per_night"},
}


def test_a_stay_of_centuries_is_400_naming_departure(client: Any, token: str) -> None:
    # Settled, this 0001..9999 per-night document took 21 s and 2.3 GB: refused before any night.
    response = post(client, CENTURIES, token)
    assert response.status_code == 400
    assert response.get_json()["errors"] == [
        {"pointer": "/arrival", "message": "must be from 2000-01-01 to 2100-12-31"},
        {"pointer": "/departure", "message": "must be from 2000-01-01 to 2100-12-31"},
        {"pointer": "/departure", "message": "the stay may be at most 366 nights"},
    ]


def test_a_stay_of_367_nights_is_400_and_366_settles(client: Any, token: str) -> None:
    doc = CENTURIES | {"arrival": "2027-01-01", "departure": "2028-01-03"}
    response = post(client, doc, token)
    assert response.status_code == 400
    assert response.get_json()["errors"] == [
        {"pointer": "/departure", "message": "the stay may be at most 366 nights"}
    ]
    assert post(client, doc | {"departure": "2028-01-02"}, token).status_code == 200


def test_a_repeated_key_is_400_at_its_pointer(client: Any, token: str) -> None:
    text = EXAMPLE.read_text()
    doc = json.dumps(json.loads(text)["input"]).replace(
        '"allowance_pct": ', '"allowance_pct": "99", "allowance_pct": ', 1
    )
    response = post(client, None, token, data=doc, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["errors"] == [
        {"pointer": "/room_attrition/allowance_pct", "message": "duplicate key"}
    ]


@pytest.mark.parametrize("code", ["XXX", "XTS", "XAU", "XDR"])
def test_a_currency_that_is_no_money_is_400(client: Any, token: str, code: str) -> None:
    doc = json.loads(EXAMPLE.read_text())["input"] | {"currency": code}
    response = post(client, doc, token)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["pointer"] == "/currency"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow_not_a_login_redirect(
    client: Any, token: str, method: str
) -> None:
    for headers in ({}, {"Authorization": f"Bearer {token}"}):
        response = client.open("/api/v1/settlements", method=method, headers=headers)
        assert response.status_code == 405
        assert "Location" not in response.headers
        assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"POST", "OPTIONS"}
        assert response.get_json()["errors"][0]["pointer"] == "/"


def test_a_wrong_method_elsewhere_still_asks_to_log_in(client: Any) -> None:
    assert client.put("/contracts/").status_code == 302


def test_openapi_states_the_rules_it_enforces(client: Any, token: str) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    document = spec["components"]["schemas"]["SettlementDocument"]
    props = document["properties"]
    currency = props["currency"]
    assert currency["pattern"] == "^[A-Z]{3}$"
    assert {"XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XDR", "XSU", "XUA"} <= set(
        currency["not"]["enum"]
    )
    assert "EUR" not in currency["not"]["enum"] and "refused" in currency["description"]
    assert props["departure"]["x-maxStayNights"] == 366
    assert "after arrival" in props["departure"]["description"]
    assert "366 nights" in props["departure"]["description"]
    assert "2000-01-01" in props["arrival"]["description"]
    assert "2100-12-31" in props["arrival"]["description"]
    assert "duplicate key" in document["description"]
    block_row = props["block"]["items"]["properties"]
    assert block_row["room_type"]["maxLength"] == 20
    assert props["services"]["items"]["properties"]["name"]["maxLength"] == 200
    allow = spec["paths"]["/api/v1/settlements"]["post"]["responses"]["405"]["headers"]["Allow"]
    assert allow["description"] == "POST"

    # ...and the rules hold: every code it lists is refused, the date pattern bounds the years.
    example = json.loads(EXAMPLE.read_text())["input"]
    for code in currency["not"]["enum"]:
        assert post(client, example | {"currency": code}, token).status_code == 400
    pattern = re.compile(props["arrival"]["pattern"])
    assert [bool(pattern.match(d)) for d in ("1999-12-31", "2000-01-01", "2100-12-31",
                                           "2101-01-01")] == [False, True, True, False]  # fmt: skip
    for day in ("1999-12-31", "2101-01-01"):
        assert post(client, example | {"arrival": day}, token).status_code == 400
