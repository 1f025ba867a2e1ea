"""The retention bench's data set is spread as its docstring says (no database, no timing)."""

from __future__ import annotations

from collections import Counter

from bench import __main__ as bench_main
from bench import retention_data as rd


def test_the_accounts_are_spread_as_described() -> None:
    accounts = rd.accounts_of(100_000)
    per_account = Counter(accounts)
    assert len(per_account) == 20_100  # 11,000 repeat accounts and 9,100 one-off ones
    one_off = [a for a in per_account if a > rd.REPEAT_ACCOUNTS]
    assert len(one_off) == 9_100 and all(per_account[a] == 1 for a in one_off)
    repeat = [n for a, n in per_account.items() if a <= rd.REPEAT_ACCOUNTS]
    assert len(repeat) == 11_000 and min(repeat) >= 4
    assert sum(repeat) == 90_900  # 91 % of the contracts


def test_a_churning_series_goes_to_new_accounts_after_its_last_edition() -> None:
    accounts = rd.accounts_of(2_000)  # one hotel: slots 0..1999, series = slot % 667
    series = 3  # churns (3 % 10 == 3); (3 // 10) % 2 == 0: it stays for its first edition only
    first, second, third = accounts[series], accounts[series + 667], accounts[series + 1334]
    assert first <= rd.REPEAT_ACCOUNTS < second and second != third


def test_statuses_decisions_and_the_section_is_registered() -> None:
    statuses = Counter(rd.status_of(i)[0] for i in range(2_000))
    assert set(statuses) == {"settled", "definite", "tentative", "lost", "cancelled"}
    rows = list(rd.decision_rows(2_000))
    assert rows and all(r.split("\t")[1] in ("collect", "waive") for r in rows)
    assert bench_main.SECTIONS["retention"] == "bench.retention"
