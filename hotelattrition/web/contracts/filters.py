"""The contracts list's search and filters: a GET form whose values live in the query string."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from flask_wtf import FlaskForm
from wtforms import SearchField, SelectChoice, SelectField  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it
from wtforms.validators import Length, Optional

from ...reports.contracts import SORTS, ContractFilters, Cursor
from ..catalogues import lazy_gettext as _l  # shown on every list page: the fast one
from ..months import MonthField

# Each status named once with a literal, so the catalogue extraction finds it.
STATUS_LABELS = {
    "tentative": _l("tentative"),
    "definite": _l("definite"),
    "cancelled": _l("cancelled"),
    "settled": _l("settled"),
    "lost": _l("lost"),
}
PERIOD_LABELS = {
    "upcoming": _l("Upcoming groups"),
    "past": _l("Past groups"),
    "all": _l("All dates"),
}
FIELDS = ("q", "property", "status", "month", "when")


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


class ContractFilterForm(FlaskForm):
    """Shape only: the report limits the rows to the user's properties whatever is asked."""

    class Meta:
        csrf = False  # a GET form changes nothing

    q = SearchField(
        _l("Search"),
        validators=[Optional(), Length(max=100)],
        filters=[_strip],
        render_kw={"placeholder": _l("Code, group or account")},
    )
    # Absent from the query string means the "" choice (any): no "not a valid choice" to make.
    property = SelectField(_l("Property"), default="", validators=[Optional()])
    status = SelectField(
        _l("Status"),
        default="",
        choices=[SelectChoice("", _l("Any status"))]
        + [SelectChoice(value, label) for value, label in STATUS_LABELS.items()],
        validators=[Optional()],
    )
    month = MonthField(_l("Arrival month"), validators=[Optional()])
    # Absent: upcoming groups, unless a search or a month asks for a particular one.
    when = SelectField(
        _l("Arrival"),
        default="",
        choices=[SelectChoice(value, label) for value, label in PERIOD_LABELS.items()],
        validators=[Optional()],
    )

    def __init__(self, args: Mapping[str, str], properties: Sequence[tuple[str, str]]) -> None:
        """`properties`: (code, name) of those the user sees."""
        super().__init__(formdata=args)
        self.property.choices = [SelectChoice("", _l("All properties"))] + [
            SelectChoice(code, f"{code} · {name}") for code, name in properties
        ]
        self.validate()
        # The list opens on upcoming groups; a search or a month looks at every date.
        asked = self._valid("q") or self._valid("month")
        self.default_when = "all" if asked else "upcoming"
        if not self.when.data or self.when.errors:
            self.when.data = self.default_when
        self.sort, self.descending = _sort(args, self.when.data)

    def _valid(self, name: str) -> Any:
        field = self[name]
        return None if field.errors else field.data or None

    def filters(self, args: Mapping[str, str]) -> ContractFilters:
        """The valid filters (a field with an error filters nothing) and the page's cursor."""
        return ContractFilters(
            search=self._valid("q") or "",
            property_code=self._valid("property"),
            status=self._valid("status"),
            month=self._valid("month"),
            after=Cursor.parse(args.get("after"), self.sort),
            before=Cursor.parse(args.get("before"), self.sort),
            period=self.when.data,
            sort=self.sort,
            descending=self.descending,
        )

    def query_args(self) -> dict[str, str]:
        """The valid, non-empty filters and the sort as query-string values, for links."""
        return self.filter_args() | self.sort_args(self.sort, self.descending)

    def filter_args(self) -> dict[str, str]:
        """The valid, non-empty filters alone: what a column header's link keeps."""
        values = {name: self._valid(name) for name in FIELDS}
        if values["when"] == self.default_when:  # the links stay as short as the list's own
            values["when"] = None
        if values["month"]:
            values["month"] = values["month"].strftime("%Y-%m")
        return {name: value for name, value in values.items() if value}

    def sort_args(self, sort: str, descending: bool) -> dict[str, str]:
        """The query-string values of a sort (none for the period's own default)."""
        if (sort, descending) == ("arrival", self.when.data == "past"):
            return {}
        return {"sort": sort, "dir": "desc" if descending else "asc"}

    def header_links(self, base: str) -> dict[str, tuple[str, str | None]]:
        """Each sortable column's (link, aria-sort), built on the list's URL without url_for."""
        links = {}
        for sort in SORTS:
            args, aria = self.header_sort(sort)
            links[sort] = (f"{base}?{urlencode(args)}" if args else base, aria)
        return links

    def header_sort(self, sort: str) -> tuple[dict[str, str], str | None]:
        """A column header's link arguments (its sort, turned round when current) and aria-sort."""
        current = sort == self.sort
        descending = not self.descending if current else False
        aria = ("descending" if self.descending else "ascending") if current else None
        return self.filter_args() | self.sort_args(sort, descending), aria


def _sort(args: Mapping[str, str], period: str) -> tuple[str, bool]:
    """The asked sort and direction; by default arrival, the past the latest first."""
    sort = args.get("sort", "")
    if sort not in SORTS:
        return "arrival", period == "past"
    return sort, args.get("dir") == "desc"
