"""The contracts list's search and filters: a GET form whose values live in the query string."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectChoice, SelectField  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it
from wtforms.validators import Length, Optional

from ...reports.contracts import ContractFilters, Cursor
from ..months import MonthField

# Each status named once with a literal, so the catalogue extraction finds it.
STATUS_LABELS = {
    "tentative": _l("tentative"),
    "definite": _l("definite"),
    "cancelled": _l("cancelled"),
    "settled": _l("settled"),
    "lost": _l("lost"),
}
FIELDS = ("q", "property", "status", "month")


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

    def __init__(self, args: Mapping[str, str], properties: Sequence[tuple[str, str]]) -> None:
        """`properties`: (code, name) of those the user sees."""
        super().__init__(formdata=args)
        self.property.choices = [SelectChoice("", _l("All properties"))] + [
            SelectChoice(code, f"{code} · {name}") for code, name in properties
        ]
        self.validate()

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
            after=Cursor.parse(args.get("after")),
            before=Cursor.parse(args.get("before")),
        )

    def query_args(self) -> dict[str, str]:
        """The valid, non-empty filters as query-string values, for the page links."""
        values = {name: self._valid(name) for name in FIELDS}
        if values["month"]:
            values["month"] = values["month"].strftime("%Y-%m")
        return {name: value for name, value in values.items() if value}
