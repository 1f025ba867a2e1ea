"""The contract form <-> the settlement document, and the domain's problems back on fields."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from wtforms import Field

from ...domain.codec import valid_amount
from ...models import Property
from ...models.contracts import DISPUTE_WINDOW_DAYS
from ...services.contract_editing import ContractDetails
from ..numbers import number_hint
from ..problems import show_problems
from .forms import ContractForm

FORM_WORDING = {"must be >= 0": "must not be negative"}

SECTIONS = ("room_attrition", "fnb", "meeting_room", "cancellation", "rebooking")
MAX_NIGHTS = 60  # a longer grid is a typing mistake in the dates, not a group stay


def stay_nights(arrival: date | None, departure: date | None) -> list[date]:
    if not arrival or not departure or departure <= arrival:
        return []
    count = min((departure - arrival).days, MAX_NIGHTS)
    return [arrival + timedelta(days=i) for i in range(count)]


# Document -> form data ------------------------------------------------------------------------


def form_data(
    doc: dict[str, Any],
    details: dict[str, Any] | None = None,
    absent: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The form's initial data for a contract document (an export, or defaults).

    `absent` fills the sections the contract does not have, so turning one on starts from
    the property's rates.
    """
    absent = absent or {}
    nights = stay_nights(_day(doc.get("arrival")), _day(doc.get("departure")))
    rows: dict[str, dict[str, dict[str, Any]]] = {}
    for b in doc.get("block", []):
        rows.setdefault(b["room_type"], {})[b["night"]] = {
            "rooms": str(b["rooms"]),
            "rate": b["rate"],
        }
    block = [
        {
            "room_type": room_type,
            "cells": [{"night": n.isoformat(), **cells.get(n.isoformat(), {})} for n in nights],
        }
        for room_type, cells in rows.items()
    ] or [{"room_type": "", "cells": [{"night": n.isoformat()} for n in nights]}]
    details = details or {}
    data: dict[str, Any] = {
        **{k: doc.get(k) for k in ("code", "property", "account", "name", "status")},
        "lost_reason": doc.get("lost_reason", ""),
        "lost_to": doc.get("lost_to", ""),
        **{k: _day(doc.get(k)) for k in ("signed_on", "arrival", "departure")},
        "cutoff_on": _day(details.get("cutoff_on")),
        "dispute_window_days": str(doc.get("dispute_window_days", DISPUTE_WINDOW_DAYS)),
        "review_dates": [
            {"review_on": _day(d), "max_reduction_pct": p}
            for d, p in details.get("review_dates", [])
        ],
        "block": block,
        "services": doc.get("services") or [absent.get("services", {})],
    }
    for section in SECTIONS:
        values = doc.get(section, absent.get(section))
        data[section] = {"enabled": section in doc, **_section_data(section, values)}
    return data


def _section_data(section: str, values: dict[str, Any] | None) -> dict[str, Any]:
    values = dict(values or {})
    if section == "room_attrition" and "rate" in values:
        rate = values.pop("rate")
        values |= (
            {"rate_basis": rate, "fixed_rate": ""}
            if rate in ("average", "lowest", "highest")
            else {"rate_basis": "fixed", "fixed_rate": rate}
        )
    if section == "rebooking" and "windows" in values:
        values["windows"] = [{**w, "months": str(w["months"])} for w in values["windows"]]
    if section == "cancellation" and "cancelled_on" in values:
        values["cancelled_on"] = _day(values["cancelled_on"])
    return values


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def new_contract_defaults(prop: Property) -> dict[str, Any]:
    """A new contract's terms, with the property's default rates per section."""
    pct = lambda v: format(v.normalize(), "f")  # noqa: E731
    return {
        "property": prop.code,
        "status": "tentative",
        "currency": prop.currency,
        "block": [],
        "room_attrition": {
            "allowance_pct": "20",
            "basis": "cumulative",
            "rate": "average",
            "minimum_rounding": "exact",
            "damages_pct": "100",
            "credit_resold": True,
            "credit_outside_block": False,
            "tax_pct": pct(prop.room_tax_pct),
        },
        "cancellation": {
            "schedule": [
                {"min_days": d, "pct": p}
                for d, p in ((180, "25"), (90, "50"), (30, "75"), (0, "100"))
            ],
            "rooms_damages_pct": "100",
            "fnb_damages_pct": "100",
            "include_meeting_room": True,
            "include_services": True,
            "services_damages_pct": "100",
            "credit_resold": True,
            "tax_pct": pct(prop.cancellation_tax_pct),
        },
    }


def section_defaults(prop: Property) -> dict[str, dict[str, Any]]:
    """Values shown in a section the contract does not have, should the user turn it on."""
    pct = lambda v: format(v.normalize(), "f")  # noqa: E731
    return {
        "fnb": {
            "allowance_pct": "0",
            "damages_pct": "100",
            "tax_on_service_charge": True,
            "service_charge_pct": pct(prop.fnb_service_charge_pct),
            "tax_pct": pct(prop.fnb_tax_pct),
        },
        "meeting_room": {
            "tax_pct": pct(prop.meeting_room_tax_pct),
            "scale": [
                {"min_pickup_pct": "90", "charge_pct": "0"},
                {"min_pickup_pct": "75", "charge_pct": "50"},
                {"min_pickup_pct": "0", "charge_pct": "100"},
            ],
        },
        "services": {
            "tax_pct": pct(prop.services_tax_pct),
            "damages_pct": "100",
            "allowance_pct": "0",
        },
        # The clause most often seen: 100% within 12 months, 50% within 24.
        "rebooking": {
            "mode": "credit_paid",
            "windows": [{"months": "12", "pct": "100"}, {"months": "24", "pct": "50"}],
            "counts_to": "signing",
            "affiliates": False,
        },
    }


# Form -> document -----------------------------------------------------------------------------


class FormDocument:
    """The document a submitted form describes, and which field each JSON pointer came from."""

    def __init__(self, form: ContractForm, currency: str):
        self.form = form
        self.fields: dict[str, Field] = {}
        self.document = self._document(currency)

    def _put(self, target: dict[str, Any], key: str, field: Field, pointer: str) -> None:
        """Copy a field's text into the document when the user typed something."""
        if field.data not in (None, ""):
            target[key] = field.data
        self.fields[f"{pointer}/{key}"] = field

    def _document(self, currency: str) -> dict[str, Any]:
        f = self.form
        doc: dict[str, Any] = {
            "code": (f.code.data or "").strip(),
            "property": f.property.data,
            "account": (f.account.data or "").strip(),
            "name": (f.name.data or "").strip(),
            "status": f.status.data,
            "currency": currency,
        }
        for key in ("lost_reason", "lost_to"):
            if value := (getattr(f, key).data or "").strip():
                doc[key] = value
            self.fields[f"/{key}"] = getattr(f, key)
        for key in ("signed_on", "arrival", "departure"):
            if getattr(f, key).data:
                doc[key] = getattr(f, key).data.isoformat()
            self.fields[f"/{key}"] = getattr(f, key)
        # Whole days go as a number; anything else as typed, for the service to refuse.
        days = (f.dispute_window_days.data or "").strip()
        doc["dispute_window_days"] = int(days) if days.isdigit() else days
        self.fields["/dispute_window_days"] = f.dispute_window_days
        doc["block"] = self._block()
        for section in SECTIONS:
            sub = getattr(f, section)
            if sub.enabled.data:
                doc[section] = self._section(section, sub)
        services = [
            s
            for s in f.services
            if any((s.form[k].data or "").strip() for k in ("name", "minimum"))
        ]
        if services:
            doc["services"] = []
            for i, s in enumerate(services):
                entry: dict[str, Any] = {"name": (s.form.name.data or "").strip()}
                self.fields[f"/services/{i}/name"] = s.form.name
                for key in ("minimum", "allowance_pct", "damages_pct", "tax_pct"):
                    self._put(entry, key, s.form[key], f"/services/{i}")
                doc["services"].append(entry)
        return doc

    def _block(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for row in self.form.block:
            for cell in row.form.cells:
                c = cell.form
                if not (typed := c.rooms.data or ""):
                    continue  # no rooms typed: the block has no such row that night
                k = len(rows)
                # A negative count goes as a number: the codec then says it must not be.
                text = typed.strip()
                rooms: Any = int(text) if text.lstrip("-").isdigit() else typed
                rows.append(
                    {
                        "night": c.night.data,
                        "room_type": (row.form.room_type.data or "").strip(),
                        "rooms": rooms,
                        **({"rate": c.rate.data} if c.rate.data else {}),
                    }
                )
                self.fields |= {
                    f"/block/{k}/rooms": c.rooms,
                    f"/block/{k}/rate": c.rate,
                    f"/block/{k}/room_type": row.form.room_type,
                    f"/block/{k}": row.form.room_type,
                }
        return rows

    def _section(self, section: str, sub: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        form = sub.form
        pointer = f"/{section}"
        for name, field in form._fields.items():
            if name in ("enabled", "scale", "schedule", "windows", "rate_basis", "fixed_rate"):
                continue
            if name == "cancelled_on":
                if field.data:
                    out[name] = field.data.isoformat()
                self.fields[f"{pointer}/{name}"] = field
            elif field.type == "BooleanField" or field.type == "SelectField":
                out[name] = field.data
            else:
                self._put(out, name, field, pointer)
        if section == "room_attrition":
            basis = form.rate_basis.data
            out["rate"] = form.fixed_rate.data if basis == "fixed" else basis
            self.fields[f"{pointer}/rate"] = (
                form.fixed_rate if basis == "fixed" else form.rate_basis
            )
        for rows_name, keys in (
            ("scale", ("min_pickup_pct", "charge_pct")),
            ("schedule", ("min_days", "pct")),
            ("windows", ("months", "pct")),
        ):
            if rows_name in form._fields:
                out[rows_name] = self._rows(form[rows_name], keys, f"{pointer}/{rows_name}")
        return out

    def _rows(self, rows: Any, keys: tuple[str, ...], pointer: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for row in rows:
            if not any((row.form[k].data or "").strip() for k in keys):
                continue
            entry: dict[str, Any] = {}
            for key in keys:
                value = row.form[key].data
                whole = key in ("min_days", "months") and value.isdigit()
                entry[key] = int(value) if whole else value
                self.fields[f"{pointer}/{len(out)}/{key}"] = row.form[key]
            out.append(entry)
        return out

    def place(self, problems: list[tuple[str, str]], translate: Any) -> list[str]:
        """Show each problem next to its field; return the ones no field owns."""
        # A form speaks to a person: "-5 rooms" must not be negative, not "must be >= 0".
        worded = [(p, FORM_WORDING.get(m, m)) for p, m in problems]
        return show_problems(worded, self.fields, lambda m: for_people(m, translate))


def for_people(message: str, translate: Any) -> str:
    """A document problem in a form's words: the codec speaks of JSON ("a decimal string")."""
    if message == "must be a decimal string":
        return number_hint()
    if message == "must be a whole number":
        return number_hint(whole=True)
    return str(translate(message))


def contract_details(form: ContractForm) -> tuple[ContractDetails, list[str]]:
    """Cut-off and review dates from the form; problems go next to their fields."""
    reviews, bad = [], False
    for entry in form.review_dates:
        r = entry.form
        if not r.review_on.data and not (r.max_reduction_pct.data or "").strip():
            continue
        pct = valid_amount(r.max_reduction_pct.data or "")
        if r.max_reduction_pct.errors:
            bad = True  # typed so that it could not be read: the field says how to type it
        elif pct is None or pct > 100:
            r.max_reduction_pct.errors = [_("must be a percentage from 0 to 100")]
            bad = True
        elif r.review_on.data is None:
            if not r.review_on.errors:  # a date typed wrong already says so: one message
                r.review_on.errors = [_("required")]
            bad = True
        else:
            reviews.append((r.review_on.data, pct))
    return ContractDetails(form.cutoff_on.data, tuple(reviews)), (["review"] if bad else [])


def resize_grid(form: ContractForm) -> None:
    """Give every block row one cell per night of the stay, keeping what was typed by night."""
    nights = [n.isoformat() for n in stay_nights(form.arrival.data, form.departure.data)]
    for row in form.block:
        if [c.form.night.data for c in row.form.cells] == nights:
            continue  # already right: keep the cells, and any errors they carry
        typed = {c.form.night.data: (c.form.rooms.data, c.form.rate.data) for c in row.form.cells}
        row.form.cells.entries, row.form.cells.last_index = [], -1
        for night in nights:
            rooms, rate = typed.get(night, ("", ""))
            row.form.cells.append_entry({"night": night, "rooms": rooms, "rate": rate})


def fill_row(form: ContractForm, index: int) -> None:
    """Copy a row's "every night" rooms and rate into each of its cells."""
    row = form.block.entries[index].form
    for cell in row.cells:
        if (row.fill_rooms.data or "") != "":
            cell.form.rooms.data = row.fill_rooms.data
        if (row.fill_rate.data or "") != "":
            cell.form.rate.data = row.fill_rate.data


def grid_totals(form: ContractForm) -> tuple[list[int], int]:
    """Rooms per night and overall, of the cells that hold whole numbers."""
    per_night: list[int] = []
    for row in form.block:
        for i, cell in enumerate(row.form.cells):
            value = cell.form.rooms.data or ""
            if len(per_night) <= i:
                per_night.append(0)
            per_night[i] += int(value) if value.isdigit() else 0
    return per_night, sum(per_night)


def decimal_or_zero(text: str | None) -> Decimal:
    return valid_amount(text or "") or Decimal(0)
