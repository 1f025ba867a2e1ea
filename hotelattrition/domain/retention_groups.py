"""Who leaves and who stays, as dated changes: per year, an account active the year before is
**churned** (not active in the year) or **retained** (active in both), and brings its group
its editions, the days from inquiry to contract, its complaints and its damages collected and
waived, all as of the report's date (reports/retention_accounts.py says it in SQL).

An account's group and figures change only on the days its contracts were entered, its
complaints recorded and its decisions came into force: evaluated on those days, the
differences are the events, yielded as (key, figure, label, day, change) for by year."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from .retention_inputs import Stay
from .retention_losses import Change, decided, steps


def group_changes(stays: Sequence[Stay]) -> Iterator[Change]:
    """The account's part in each year's churned or retained group, in one scope."""
    years = {s.arrival.year + 1 for s in stays if s.active}
    for year in sorted(years):
        entered = min(s.entered for s in stays if s.active and s.arrival.year == year - 1)
        days = [
            *(s.entered for s in stays if s.arrival.year < year + 1),
            *(day for s in stays if s.arrival.year < year + 1 for day in s.complaints),
            *(d.in_force_on for s in stays if s.arrival.year < year + 1 for d in s.decisions),
        ]  # fmt: skip
        for figure, day, n in steps(entered, days, _in_year, (year, stays)):
            name, _, label = figure.partition("/")
            yield year, name, label, day, n


def _in_year(on: date, of: tuple[int, Sequence[Stay]]) -> dict[str, int]:
    """The account's figures in its group of `year` as of the day ({} if in neither)."""
    year, stays = of
    known = [s for s in stays if s.entered <= on and s.arrival.year <= year]
    if not any(s.active and s.arrival.year == year - 1 for s in known):
        return {}
    group = "retained" if any(s.active and s.arrival.year == year for s in known) else "churned"
    editions = [s for s in known if s.active]
    signed = [s for s in editions if s.signed_on is not None and s.signed_on >= s.entered]
    out = {
        f"group_accounts/{group}": 1,
        f"group_editions/{group}": len(editions),
        f"group_signed/{group}": len(signed),
        f"group_days/{group}": sum((s.signed_on - s.entered).days for s in signed if s.signed_on),
        f"group_complaints/{group}": sum(sum(1 for c in s.complaints if c <= on) for s in editions),
    }
    for stay in known:
        for currency in sorted({d.currency for d in stay.decisions}):
            sums = decided(on, tuple(d for d in stay.decisions if d.currency == currency))
            if sums:
                label = f"{group}|{currency}"
                out[f"group_decided/{label}"] = out.get(f"group_decided/{label}", 0) + 1
                for name in ("collected", "waived"):
                    key = f"group_{name}/{label}"
                    out[key] = out.get(key, 0) + sums[name]
    return out
