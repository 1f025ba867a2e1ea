"""One account's part in the retention report, as dated changes to its figures.

Every figure of the report's account, funnel and reason sections is a count of an account's
contracts or of the account itself in a period, as of a date D. Each count starts (and some
stop) on a day that the contracts' own dates fix: the day a contract was entered, departed,
or its first later booking was entered; 12 or 24 months after a departure. So an account's
part is a set of events, "figure F of period P in scope S changes by N on day X", and a figure
as of D is the sum of the events dated on or before D, over every account. The report adds
up a few thousand stored sums instead of reading 100,000 contracts (models/retention_tallies.py
keeps them); this module is the one place that says which events an account makes.

The definitions are the report's (reports/retention.py and retention_pipeline.py say them in
SQL, which the tests hold these events against):
* a contract counts as of D when entered (its UTC day) by D and never voided;
* **active**: any status but lost or cancelled; a period's accounts are those active in its
  window (the year; by month, the trailing 12 months), compared with the window before;
* **new** in P: its first active arrival (among contracts entered by D) is in P;
* **held**: definite or settled, departed by D; **rebooked within N months**: the first later
  active contract of the account (arriving after it, in the same scope) was entered by D and
  before N months after the departure;
* the funnel counts contracts by the period they were entered in.

Scopes: 0 stands for every property; a property id for that hotel alone (a rebooking counts
there only at that hotel). A period key is the year, or year x 12 + month - 1 by month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from .contract_statuses import LOST_STATUSES, SIGNED_STATUSES
from .rebooking import add_months
from .retention_groups import group_changes
from .retention_inputs import AccountBook, Stay
from .retention_losses import churn_changes, damages_changes, lost_changes, reason_label

EVERY_PROPERTY = 0
BY = ("year", "month")

# (scope, by, key, figure, label, day) -> by how much the figure changes that day
Events = dict[tuple[int, str, int, str, str, date], int]


def key_of(day: date, by: str) -> int:
    return day.year if by == "year" else day.year * 12 + day.month - 1


def window_of(by: str) -> int:
    """Periods in the window compared: a year with the year before; by month, the trailing
    12 months with the 12 before them (an annual group is not churned every month)."""
    return 1 if by == "year" else 12


# (scope, by, key, since, until, start, end): churned in period `key` as of D when
# since <= D < until; its revenue is that of the contracts arriving in [start, end).
ChurnSpan = tuple[int, str, int, date, date | None, date, date]


def scopes_of(book: AccountBook) -> dict[int, list[Stay]]:
    """The account's contracts per scope: every property's (0), then each hotel's."""
    scopes: dict[int, list[Stay]] = {EVERY_PROPERTY: list(book.stays)}
    for stay in book.stays:
        scopes.setdefault(stay.property_id, []).append(stay)
    return scopes


def account_events(book: AccountBook) -> Events:
    """Every event of one account's contracts, in every scope they touch."""
    events: Events = {}
    found: dict[tuple[int, ...], Events] = {}  # one hotel's scope sees what every one's does
    for scope, theirs in scopes_of(book).items():
        ids = tuple(s.id for s in theirs)
        if ids not in found:
            found[ids] = _scope_events(theirs, book)
        for k, n in found[ids].items():
            events[(scope, *k[1:])] = n
    for k, n in churned_revenue_events(book).items():
        events[k] = events.get(k, 0) + n
    return events


# Rows of zero or less, counted: the report shows a period and currency whose churned accounts'
# revenue sums to nothing (0.00) as its SQL does, when they have rows in force. With none of
# these in force, every row is positive, and a sum of zero means no row at all.
CHURNED_NIL = "churned_nil_rows"


def churned_revenue_events(book: AccountBook) -> Events:
    """What the account adds to "churned revenue" ("churned_revenue", labelled with the
    currency): while it counts as churned in a period (a span), the realised revenue of its
    active contracts arriving in the window before, each from the later of the day its row of
    the series took effect and the day the contract was entered."""
    events: Events = defaultdict(int)
    scopes = scopes_of(book)
    for scope, by, key, since, until, start, end in churn_spans(book):
        for stay in scopes[scope]:
            if not stay.active or not start <= stay.arrival < end:
                continue
            for row in stay.earned:
                first = max(since, stay.entered, row.effective_on)
                last = _earlier(until, row.ends_on)
                if last is not None and last <= first:
                    continue
                figures = [("churned_revenue", row.amount)]
                if row.amount <= 0:
                    figures.append((CHURNED_NIL, 1))
                for figure, n in figures:
                    events[(scope, by, key, figure, stay.currency, first)] += n
                    if last is not None:
                        events[(scope, by, key, figure, stay.currency, last)] -= n
    return {k: n for k, n in events.items() if n}


def _earlier(one: date | None, other: date | None) -> date | None:
    """The earlier of two ends (None: never)."""
    if one is None or other is None:
        return other if one is None else one
    return min(one, other)


def _scope_events(stays: Sequence[Stay], book: AccountBook) -> Events:
    """The events of the contracts of one scope (scope 0 in the keys; the caller sets it)."""
    events: Events = defaultdict(int)
    again = rebooked_days(stays)
    for by in BY:
        _accounts(events, stays, by)
        for stay in stays:
            _stay(events, stay, again.get(stay.id), by)
            arrived = key_of(stay.arrival, by)
            for change in (*damages_changes(stay, arrived), *lost_changes(stay, arrived)):
                _changed(events, by, change)
        if book.lost_on is not None:
            lost = key_of(book.lost_on, by)
            for change in churn_changes(book.lost_on, book.lost_reason, stays, lost):
                _changed(events, by, change)
    for change in group_changes(stays):  # a whole year's, whatever the report's periods
        _changed(events, "year", change)
    return {k: n for k, n in events.items() if n}


def rebooked_days(stays: Sequence[Stay]) -> dict[int, date]:
    """Per stay, the day the first later active contract among `stays` was entered."""
    active = sorted((s for s in stays if s.active), key=lambda s: s.arrival)
    days: dict[int, date] = {}
    for stay in stays:
        later = [s.entered for s in active if s.arrival > stay.arrival and s.id != stay.id]
        if later:
            days[stay.id] = min(later)
    return days


def _add(events: Events, by: str, key: int, figure: str, on: date, n: int = 1,
         label: str = "") -> None:  # fmt: skip
    events[(EVERY_PROPERTY, by, key, figure, label, on)] += n


def _changed(events: Events, by: str, change: tuple[int, str, str, date, int]) -> None:
    key, figure, label, on, n = change
    _add(events, by, key, figure, on, n, label)


def _span(events: Events, by: str, key: int, figure: str, start: date, end: date | None) -> None:
    """A count of one from `start` until the day before `end` (None: for good)."""
    if end is not None and end <= start:
        return
    _add(events, by, key, figure, start)
    if end is not None:
        _add(events, by, key, figure, end, -1)


def churn_spans(book: AccountBook) -> list[ChurnSpan]:
    """When the account counts as churned in each period, in each scope: active in the window
    before (from its first entry there) and not yet in the period's own."""
    spans: list[ChurnSpan] = []
    for scope, theirs in scopes_of(book).items():
        for by in BY:
            first_entered = _first_entered(theirs, by)
            w = window_of(by)
            now = _windows(first_entered, w, 0)
            for key, since in _windows(first_entered, w, w).items():
                until = now.get(key)
                if until is None or until > since:
                    start, end = period_start(key - 2 * w + 1, by), period_start(key - w + 1, by)
                    spans.append((scope, by, key, since, until, start, end))
    return spans


def period_start(key: int, by: str) -> date:
    """The first day of the period `key`."""
    if by == "year":
        return date(key, 1, 1)
    year, month = divmod(key, 12)
    return date(year, month + 1, 1)


def _first_entered(stays: Sequence[Stay], by: str) -> dict[int, date]:
    """Per period of arrival, the first day an active contract arriving in it was entered."""
    first: dict[int, date] = {}
    for stay in stays:
        if stay.active:
            key = key_of(stay.arrival, by)
            if key not in first or stay.entered < first[key]:
                first[key] = stay.entered
    return first


def _accounts(events: Events, stays: Sequence[Stay], by: str) -> None:
    """active, before, retained and new per period: the account's own counts of one."""
    first_entered = _first_entered(stays, by)
    if not first_entered:
        return
    w = window_of(by)
    now = _windows(first_entered, w, 0)
    before = _windows(first_entered, w, w)
    for key, on in now.items():
        _add(events, by, key, "active", on)
    for key, on in before.items():
        _add(events, by, key, "before", on)
        if key in now:
            _add(events, by, key, "retained", max(on, now[key]))
    earliest: date | None = None  # the first entry of an arrival before the period
    for key in sorted(first_entered):
        on = first_entered[key]
        _span(events, by, key, "new", on, earliest)
        earliest = on if earliest is None else min(earliest, on)


def _windows(first_entered: dict[int, date], w: int, back: int) -> dict[int, date]:
    """Per period P, the first entry of an arrival in the window of `w` periods ending `back`
    periods before P: from that day the account is active there."""
    found: dict[int, date] = {}
    for key, on in first_entered.items():
        for shown in range(key + back, key + back + w):
            if shown not in found or on < found[shown]:
                found[shown] = on
    return found


def _stay(events: Events, stay: Stay, again_on: date | None, by: str) -> None:
    """The held and rebooking counts by departure, and the funnel by entry, of one stay."""
    gone, entered = key_of(stay.departure, by), key_of(stay.entered, by)
    _add(events, by, entered, "inquiries", stay.entered)
    if stay.status in LOST_STATUSES:
        _add(events, by, entered, "reasons", stay.entered,
             label=reason_label(stay.status, stay.lost_reason))  # fmt: skip
    status_figure = {"lost": "lost", "tentative": "undecided", "cancelled": "cancelled"}
    if stay.status in SIGNED_STATUSES:
        _add(events, by, entered, "signed", stay.entered)
    if stay.status in status_figure:
        _add(events, by, entered, status_figure[stay.status], stay.entered)
    if not stay.held:
        return
    held_on = stay.held_on
    _span(events, by, entered, "ahead", stay.entered, stay.departure)
    _add(events, by, entered, "held", held_on)
    _add(events, by, gone, "stays_held", held_on)
    for months in (12, 24):
        over = add_months(stay.departure, months)
        _span(events, by, gone, f"open_{months}", held_on, over)
        if again_on is not None and again_on < over:
            _add(events, by, gone, f"rebooked_{months}", max(held_on, again_on))
    over = add_months(stay.departure, 12)
    if again_on is not None and again_on < over:  # rebooked in time
        _add(events, by, entered, "rebooked", max(held_on, again_on))
        _span(events, by, entered, "open", held_on, again_on)
    else:
        _add(events, by, entered, "not_rebooked", max(held_on, over))
        _span(events, by, entered, "open", held_on, over)


def difference(old: Events, new: Events) -> Events:
    """new - old, leaving out what did not change."""
    out: Events = dict(new)
    for k, n in old.items():
        out[k] = out.get(k, 0) - n
    return {k: n for k, n in out.items() if n}


def summed(events: Iterable[Events]) -> Events:
    total: Events = defaultdict(int)
    for one in events:
        for k, n in one.items():
            total[k] += n
    return {k: n for k, n in total.items() if n}
