"""Affiliated accounts: a parent, its affiliates, and each of them seen from the others."""

from __future__ import annotations

from typing import Any

from hotelattrition.extensions import db
from hotelattrition.models.accounts import Account, affiliated_account_ids


def accounts(*names: str) -> list[Account]:
    rows = [Account(name=name) for name in names]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def test_a_parent_its_affiliates_and_siblings_are_one_family(database: Any) -> None:
    federation, north, south, stranger = accounts("Federation", "North", "South", "Stranger")
    north.parent_id = south.parent_id = federation.id
    db.session.flush()
    family = sorted([federation.id, north.id, south.id])
    assert affiliated_account_ids(federation.id) == family
    assert affiliated_account_ids(north.id) == family
    assert affiliated_account_ids(stranger.id) == [stranger.id]
    assert affiliated_account_ids(10**9) == []
