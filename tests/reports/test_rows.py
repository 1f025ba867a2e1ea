"""A result row becomes a record by its columns' names, whatever their order in the select."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import pytest
from sqlalchemy import select

from hotelattrition.extensions import db
from hotelattrition.models import Account
from hotelattrition.models.rows import record, records


@dataclass(frozen=True)
class Named:
    id: int
    name: str


class NamedRow(NamedTuple):
    id: int
    name: str


def test_records_read_columns_by_name(database: Any) -> None:
    db.session.add(Account(name="Acme"))
    db.session.flush()
    rows = records(Named, db.session.execute(select(Account.name, Account.id)))
    assert [row.name for row in rows] == ["Acme"]
    assert isinstance(rows[0].id, int)


def test_a_column_no_field_names_is_refused(database: Any) -> None:
    db.session.add(Account(name="Acme"))
    db.session.flush()
    row = db.session.execute(select(Account.id, Account.name.label("title"))).one()
    with pytest.raises(TypeError):
        record(Named, row)
    only_id = db.session.execute(select(Account.id)).one()
    assert record(Named, only_id, name="Acme") == Named(row.id, "Acme")  # the rest by keyword


def test_named_tuple_records_read_columns_by_name_in_either_order(database: Any) -> None:
    # A named tuple whose fields are the labels in order is built from the row as it stands;
    # any other order still goes by name.
    db.session.add(Account(name="Acme"))
    db.session.flush()
    in_order = records(NamedRow, db.session.execute(select(Account.id, Account.name)))
    reversed_ = records(NamedRow, db.session.execute(select(Account.name, Account.id)))
    assert in_order == reversed_ == [NamedRow(in_order[0].id, "Acme")]
    assert type(in_order[0]) is NamedRow and isinstance(reversed_[0].id, int)
