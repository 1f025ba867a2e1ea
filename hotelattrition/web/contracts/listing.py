"""The contracts list's rows as the page writes them: figures and words in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from flask_babel import get_locale

from ...domain.figures import Figures
from ...reports.contracts import ContractRow
from ..catalogues import gettext as _
from .filters import STATUS_LABELS


class ListedContract(NamedTuple):
    """One row of the list, each cell's text ready (a tuple: a page writes fifty)."""

    code: str
    name: str
    account_id: int
    account: str
    property_code: str
    arrival: str
    status: str  # the key, for the badge's class
    status_label: str
    pickup: str
    damages: str
    damages_state: str  # "owed", "projected", or "" where there are no damages
    damages_word: str  # the state in words, "" with it


def listed_contracts(rows: Iterable[ContractRow]) -> list[ListedContract]:
    """The rows' cells as the page shows them, formatted here in one pass.

    In the template each date, percentage and amount was a call through Jinja and each
    damages cell a macro: twice the time of the rest of the row.
    """
    figures = Figures(str(get_locale()))
    day, percent, money = figures.day, figures.percent, figures.money
    words = {True: ("owed", _("owed")), False: ("projected", _("projected"))}
    labels: dict[str, str] = {}  # each status translated once a page, not once a row
    listed = []
    for row in rows:
        (code, name, account_id, account, property_code, currency, arrival, _departure, status,
         pickup_pct, damages, _settled, owed) = row  # fmt: skip
        label = labels.get(status)
        if label is None:
            label = labels[status] = str(STATUS_LABELS.get(status, status))
        state, word = words[owed] if damages else ("", "")
        listed.append(
            ListedContract(code, name, account_id, account, property_code, day(arrival), status,
                           label, percent(pickup_pct), money(damages, currency), state, word)
        )  # fmt: skip
    return listed
