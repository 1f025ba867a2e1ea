"""An account's editions (with its affiliates'): block, pickup, wash, F&B and damages, in SQL,
grouped into series, each series with its suggested next block.

The editions' figures are read in account_history_editions, the suggestions in
account_history_suggested, and an upcoming edition's pace for the contract page in
account_history_pace; their names are imported from here by the pages and the documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..domain.editions import Suggestion
from ..models import User
from ..models.accounts import affiliated_account_ids
from .account_history_editions import EDITIONS_MAX, HELD, Edition, editions_of
from .account_history_pace import UPCOMING, SeriesPace, series_pace
from .account_history_suggested import (
    SUGGESTED_FROM,
    EditionSeries,
    edition_series,
    grouped,
    past_editions,
    to_read,
)

__all__ = [
    "EDITIONS_MAX", "HELD", "SUGGESTED_FROM", "UPCOMING", "AccountEditions", "Edition",
    "EditionSeries", "SeriesPace", "account_editions", "past_editions", "series_pace",
]  # fmt: skip


@dataclass(frozen=True)
class AccountEditions:
    editions: list[Edition]  # most recent first
    series: list[EditionSeries]  # the series with the latest edition first
    accounts: int  # the account and its affiliates read

    @property
    def suggested(self) -> list[EditionSeries]:
        """The series with a suggestion, the latest first: one card each on the account page."""
        return [s for s in self.series if s.suggestion]

    @property
    def suggestion(self) -> Suggestion | None:
        """The latest series' suggestion (the history sheet has room for one)."""
        return next((s.suggestion for s in self.suggested), None)

    def series_of(self, code: str) -> EditionSeries | None:
        return next((s for s in self.series if code in s.codes), None)


def account_editions(
    user: User,
    account_id: int,
    pace_days: tuple[int, ...] = (),
    family: list[int] | None = None,
    todays: Mapping[int, date] | None = None,
) -> AccountEditions:
    """The editions of the account and its affiliates the user sees, grouped into series, and
    each series' next block; the suggestions' editions' pace is read at PACE_DAYS and
    `pace_days`. When the caller has them: `family`, affiliated_account_ids(account_id);
    `todays`, today at (at least) each hotel the user sees, by id."""
    ids = affiliated_account_ids(account_id) if family is None else family
    editions = editions_of(user, ids, todays)
    series = grouped(editions)
    read = [e for _series, held in series for e in to_read(held)]
    past = {p.code: p for p in past_editions(read, pace_days)}
    return AccountEditions(
        editions, [edition_series(s, held, past) for s, held in series], len(ids)
    )
