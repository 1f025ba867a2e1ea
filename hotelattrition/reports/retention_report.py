"""The retention report as one value: its choices, every section's figures, and the CSV."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cached_property
from typing import Any, Literal

from ..models import Property, User
from .contracts import visible_properties
from .csv_export import csv_text, money_cell
from .retention import (
    AccountFigures,
    LostFigures,
    MoneyFigures,
    Period,
    Scope,
    period_of,
    periods_for,
    retention_figures,
)
from .retention_accounts import AccountValue, GroupFigures, GroupMoney, compare
from .retention_care import ChurnReason, Recovered, churned_by_reason, recovered
from .retention_pipeline import FunnelFigures, StepReason, funnel, step_reasons
from .retention_sql import planned_for_values
from .retention_tallied import Tallied, tallied, tallied_scope
from .retention_value import customer_value
from .surveys import NpsRow, nps_by_period


@dataclass(frozen=True)
class RetentionReport:
    by: str
    year: int
    as_of: date
    property_code: str | None  # None: every property the user sees
    periods: list[Period]
    accounts: list[AccountFigures]
    money: list[MoneyFigures]
    lost: list[LostFigures]
    funnel: list[FunnelFigures]
    reasons: list[StepReason]
    groups: list[GroupFigures]
    group_money: list[GroupMoney]
    value: list[AccountValue]
    churn_reasons: list[ChurnReason]
    recovered: list[Recovered]
    nps: list[NpsRow]  # per property and period, answers dated up to as_of

    @property
    def funnel_total(self) -> FunnelFigures:
        """The funnel over every period shown (the chart's)."""
        span = Period(self.by, self.periods[0].key, self.periods[0].start, self.periods[-1].end)
        names = [f.name for f in fields(FunnelFigures) if f.name != "period"]
        return FunnelFigures(span, *(sum(getattr(f, n) for f in self.funnel) for n in names))

    def reasons_of(self, key: int, step: str) -> list[StepReason]:
        return self._reasons_by_step.get((key, step), [])

    def period(self, key: int) -> Period:
        """The period shown with that key."""
        return self._periods_by_key[key]

    # Looked up once a row by the page's tables (12 months of reasons and lost groups): a
    # filter over the list each time cost more than the rest of the row.
    @cached_property
    def _periods_by_key(self) -> dict[int, Period]:
        return {p.key: p for p in self.periods}

    @cached_property
    def _reasons_by_step(self) -> dict[tuple[int, str], list[StepReason]]:
        found: dict[tuple[int, str], list[StepReason]] = {}
        for r in self.reasons:
            found.setdefault((r.key, r.step), []).append(r)
        return found


def scope_for(user: User, prop: Property | None) -> Scope:
    """The property ids the report covers: the one chosen, else every one the user sees."""
    if prop is not None:
        return (prop.id,)
    if user.sees_all_properties:
        return None
    return tuple(p.id for p in visible_properties(user))


def retention_report(
    user: User, prop: Property | None, by: str, year: int, as_of: date
) -> RetentionReport:
    """Every section for the user's scope, the periods of `year` by `by`, as of the date."""
    scope = scope_for(user, prop)
    planned_for_values()
    periods = periods_for(by, year)
    whole_year = period_of("year", year)
    counts = _counts(periods, as_of, scope, whole_year)
    figures = retention_figures(periods, as_of, scope, counts.counted)
    return RetentionReport(
        by, year, as_of, prop.code if prop else None, periods, figures.accounts, figures.money,
        figures.lost, counts.funnel, counts.reasons,
        counts.groups, counts.group_money, customer_value(whole_year, as_of, scope),
        counts.churn_reasons, recovered(whole_year, as_of, scope),
        _nps(by, periods, as_of, scope),
    )  # fmt: skip


def _counts(periods: list[Period], as_of: date, scope: Scope, year: Period) -> Tallied:
    """The stored sums' sections for every property or one; computed for a few properties."""
    kept = tallied_scope(scope)
    if kept is not None:
        return tallied(periods, as_of, kept, year.key)
    groups, group_money = compare(year, as_of, scope)
    return Tallied(
        None, funnel(periods, as_of, scope), step_reasons(periods, as_of, scope),
        churned_by_reason(periods, as_of, scope), groups, group_money,
    )  # fmt: skip


def _nps(by: str, periods: list[Period], as_of: date, scope: Scope) -> list[NpsRow]:
    """The post-event survey's NPS per property and period of the report."""
    last_day = min(as_of, periods[-1].end - timedelta(days=1))
    period: Literal["year", "month"] = "month" if by == "month" else "year"
    return nps_by_period(
        "property", period, property_ids=scope, start=periods[0].start, as_of=last_day
    )


CSV_HEADER = ("section", "period", "figure", "currency", "value")


def retention_csv(report: RetentionReport) -> str:
    """One line per figure: section, period (YYYY or YYYY-MM), figure, currency, value."""
    return csv_text(CSV_HEADER, _csv_rows(report))


def _label(p: Period) -> str:
    return f"{p.start:%Y}" if p.by == "year" else f"{p.start:%Y-%m}"


def _csv_rows(report: RetentionReport) -> Any:
    labels = {p.key: _label(p) for p in report.periods}
    for a in report.accounts:
        for name in ("active_before", "active", "retained", "churned", "new", "held",
                     "rebooked_12", "rebooked_24", "open_12", "open_24"):  # fmt: skip
            yield ("accounts", labels[a.period.key], name, None, getattr(a, name))
        for name in ("retention_pct", "rebook_12_pct", "rebook_24_pct"):
            yield ("accounts", labels[a.period.key], name, None, getattr(a, name))
    for m in report.money:
        for name in ("churned_revenue", "assessed", "collected", "waived", "converted"):
            yield ("money", labels[m.key], name, m.currency,
                   money_cell(getattr(m, name), m.currency))  # fmt: skip
    for lost in report.lost:
        figure = f"{lost.status}:{lost.reason or ''}"
        yield ("lost", labels[lost.key], f"{figure}:groups", None, lost.groups)
        yield ("lost", labels[lost.key], f"{figure}:room_nights", None, lost.room_nights)
        yield ("lost", labels[lost.key], f"{figure}:revenue", lost.currency,
               money_cell(lost.revenue, lost.currency))  # fmt: skip
    for f in report.funnel:
        for name in ("inquiries", "signed", "lost", "undecided", "held", "cancelled", "ahead",
                     "rebooked", "not_rebooked", "open"):  # fmt: skip
            yield ("funnel", labels[f.period.key], name, None, getattr(f, name))
    for r in report.reasons:
        yield ("funnel", labels[r.key], f"left_before_{r.step}:{r.reason or ''}", None, r.groups)
    year = str(report.year)
    for g in report.groups:
        yield ("groups", year, f"{g.group}:accounts", None, g.accounts)
        yield ("groups", year, f"{g.group}:editions_per_account", None, g.editions_per_account)
        yield ("groups", year, f"{g.group}:days_to_contract", None, g.days_to_contract)
        yield ("groups", year, f"{g.group}:complaints_per_edition", None,
               g.complaints_per_edition)  # fmt: skip
    for gm in report.group_money:
        yield ("groups", year, f"{gm.group}:collected", gm.currency,
               money_cell(gm.collected, gm.currency))  # fmt: skip
        yield ("groups", year, f"{gm.group}:waived", gm.currency,
               money_cell(gm.waived, gm.currency))  # fmt: skip
    for c in report.churn_reasons:
        yield ("churned_by_reason", labels[c.key], c.reason or "", None, c.accounts)
    for rec in report.recovered:
        yield ("recovered", year, "accounts", rec.currency, rec.accounts)
        yield ("recovered", year, "contracts", rec.currency, rec.contracts)
        yield ("recovered", year, "revenue", rec.currency, money_cell(rec.revenue, rec.currency))
    for n in report.nps:
        label = f"{n.year}" if n.month is None or report.by == "year" else f"{n.year}-{n.month:02d}"
        yield ("nps", label, f"{n.name}:answers", None, n.count.answers)
        yield ("nps", label, f"{n.name}:nps", None, n.count.nps)
    for v in report.value:
        for name in ("revenue", "waived", "credits"):
            yield ("value", year, f"{v.name}:{name}", v.currency,
                   money_cell(getattr(v, name), v.currency))  # fmt: skip
