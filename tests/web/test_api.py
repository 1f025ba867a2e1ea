"""POST /api/v1/settlements: bearer tokens, the spec's errors, 401, 415; the OpenAPI page."""

from __future__ import annotations

import json
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
    assert set(operation["responses"]) == {"200", "400", "401", "415"}
    document = spec["components"]["schemas"]["SettlementDocument"]
    assert document["required"] == ["currency", "arrival", "departure", "block"]
