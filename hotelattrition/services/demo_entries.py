"""When the demo's contracts were entered: each inquiry some weeks before its first document.

An import enters a contract on the day it runs, but the demo's history goes back years. Left
so, every demo contract was entered today: signed "before" it was entered, so the retention
report had no days from inquiry to contract, its funnel put every inquiry in this month, and
nothing existed as of a past date. So each contract's entry is set back to its inquiry, 10 to
75 days (drawn per code, the same on any day) before its first block took effect (the day it
was signed, or its first document for one still tentative), and each block revision to the
day it took effect.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from ..models import Contract

SEED = 20270501
INQUIRY_DAYS = (10, 75)  # from the inquiry to the first document, drawn per contract
ENTERED_AT = time(10)  # UTC: the same day in Madrid and in Cancún


def date_entries(contracts: Iterable[Contract]) -> None:
    """Set each demo contract's entry to its inquiry and its revisions to their effective day."""
    for contract in contracts:
        first = min(revision.effective_on for revision in contract.revisions)
        gap = random.Random(f"{SEED}:{contract.code}").randint(*INQUIRY_DAYS)
        contract.created_at = _moment(first - timedelta(days=gap))
        for revision in contract.revisions:
            revision.created_at = _moment(revision.effective_on)


def _moment(day: date) -> datetime:
    return datetime.combine(day, ENTERED_AT, UTC)
