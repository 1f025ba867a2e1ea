"""The API with a rebooking clause: the same settlement, its problems by pointer, its schema."""

from __future__ import annotations

import json
from typing import Any

from tests.web.test_api import EXAMPLE, post, token  # noqa: F401  (token is a fixture)

CLAUSE = {"mode": "credit_paid", "windows": [{"months": 12, "pct": "100"}]}


def test_a_clause_leaves_the_settlement_as_it_was(client: Any, token: str) -> None:  # noqa: F811
    doc = json.loads(EXAMPLE.read_text())["input"]
    without = post(client, doc, token).get_json()
    answer = post(client, doc | {"rebooking": CLAUSE}, token)
    assert answer.status_code == 200 and answer.get_json() == without


def test_a_bad_clause_is_400_by_pointer(client: Any, token: str) -> None:  # noqa: F811
    doc = json.loads(EXAMPLE.read_text())["input"]
    bad = {"mode": "credit_paid", "windows": [{"months": 0, "pct": "100"}], "counts_to": "x"}
    answer = post(client, doc | {"rebooking": bad}, token)
    assert answer.status_code == 400
    assert answer.get_json()["errors"] == [
        {"pointer": "/rebooking/windows/0/months", "message": "must be between 1 and 120"},
        {"pointer": "/rebooking/counts_to", "message": "must be one of signing, arrival"},
    ]


def test_openapi_describes_the_clause(client: Any) -> None:
    schema = client.get("/api/v1/openapi.json").get_json()
    found = json.dumps(schema)
    assert '"waive_on_rebook"' in found and '"counts_to"' in found
