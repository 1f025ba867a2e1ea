"""The bench's COPY rows carry the search keys the app would write for them."""

from __future__ import annotations

from bench import report_data as data
from hotelattrition.domain.folding import search_key


def test_bench_contract_rows_carry_the_app_s_search_key() -> None:
    columns = [c.strip() for c in data.COLUMNS["contracts"].split(",")]
    for line in data.contract_rows(0, 3, [1]):
        row = dict(zip(columns, line.rstrip("\n").split("\t"), strict=True))
        assert row["search_key"] == search_key(row["name"], row["code"])
