"""The pickup and block-revision grids <-> snapshot keys and room counts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from ...domain.codec import valid_amount
from ...models import Contract
from ...models.pickup import RevenueKey, RoomKey, latest_revenue, latest_room_nights
from .forms import BlockRevisionForm, PickupForm


def pickup_form_data(contract: Contract, today: date, block: bool = False) -> dict[str, Any]:
    """Initial grid: latest pickup per cell (or, for a block revision, the current block)."""
    nights = contract.nights
    booked: dict[str, dict[date, int]] = defaultdict(dict)
    for n in contract.current_block.nights if contract.current_block else []:
        booked[n.room_type][n.night] = n.rooms
    latest = latest_room_nights(contract)
    value = (
        (lambda rt, n: booked[rt].get(n))
        if block
        else (lambda rt, n: latest.get(("pickup", n, rt), 0))
    )
    rows = [
        {
            "room_type": rt,
            "cells": [
                {"night": n.isoformat(), "rooms": "" if value(rt, n) is None else str(value(rt, n))}
                for n in nights
            ],
        }
        for rt in sorted(booked)
    ]
    if block:
        return {"rows": rows}
    revenue = latest_revenue(contract)
    return {
        "as_of": today,
        "rows": rows,
        "outside_block": [
            {"night": n.isoformat(), "rooms": str(latest.get(("outside_block", n, ""), 0))}
            for n in nights
        ],
        "resold": [
            {"night": n.isoformat(), "rooms": str(latest.get(("resold", n, ""), 0))} for n in nights
        ],
        "fnb_actual": _money(revenue.get(("fnb", ""))) if contract.fnb else "",
        "services": [
            {"name": s.name, "actual": _money(revenue.get(("service", s.name)))}
            for s in contract.services
        ],
    }


def _money(value: Decimal | None) -> str:
    return format(value.normalize(), "f") if value else "0"


def _count(field: Any, problems: list) -> int:
    text = (field.data or "").strip() or "0"
    if not text.isdigit():
        field.errors = [*field.errors, _("must be a whole number >= 0")]
        problems.append(field)
        return 0
    return int(text)


def actuals_from_form(
    form: PickupForm,
) -> tuple[dict[RoomKey, int], dict[RevenueKey, Decimal], list]:
    """Snapshot keys and values from the pickup grid; fields in error get their message."""
    problems: list = []
    rooms: dict[RoomKey, int] = {}
    for row in form.rows:
        room_type = row.form.room_type.data or ""
        for cell in row.form.cells:
            night = date.fromisoformat(cell.form.night.data or "")  # the grid's hidden field
            rooms["pickup", night, room_type] = _count(cell.form.rooms, problems)
    for kind in ("outside_block", "resold"):
        for entry in getattr(form, kind):
            night = date.fromisoformat(entry.form.night.data or "")
            rooms[kind, night, ""] = _count(entry.form.rooms, problems)
    revenue: dict[RevenueKey, Decimal] = {}
    fields = [(("fnb", ""), form.fnb_actual)] if form.fnb_actual.data not in (None, "") else []
    fields += [(("service", s.form.name.data or ""), s.form.actual) for s in form.services]
    for key, field in fields:
        amount = valid_amount((field.data or "").strip() or "0")
        if amount is None:
            field.errors = [*field.errors, _("must be an amount >= 0, at most 4 decimal places")]
            problems.append(field)
        else:
            revenue[key] = amount
    return rooms, revenue, problems


def revision_rooms(form: BlockRevisionForm) -> tuple[dict[tuple[date, str], int], list]:
    """New room counts per (night, room type) from a block-revision grid."""
    problems: list = []
    rooms: dict[tuple[date, str], int] = {}
    for row in form.rows:
        for cell in row.form.cells:
            if (cell.form.rooms.data or "").strip() == "":
                continue  # no block row that night
            night = date.fromisoformat(cell.form.night.data or "")
            rooms[night, row.form.room_type.data or ""] = _count(cell.form.rooms, problems)
    return rooms, [("", "fix the cells marked") for _ in problems[:1]]
