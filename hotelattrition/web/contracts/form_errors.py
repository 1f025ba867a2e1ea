"""The summary of a form's errors shown above it: each field's message, linking to the field."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from wtforms import FieldList, FormField

from ..formatting import day_text


@dataclass(frozen=True)
class FieldError:
    field_id: str  # the input's id: the summary links to #field_id
    label: str
    message: str


def error_summary(form: Any, labels: dict[str, str] | None = None) -> list[FieldError]:
    """Every field with an error, in the form's order, with its first message.

    `labels` names fields whose own label says too little (a grid cell: "DBL rooms on ...").
    """
    return list(_walk(form, labels or {}))


def _walk(form: Any, labels: dict[str, str]) -> Iterator[FieldError]:
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                yield from _walk_one(entry, labels)
        else:
            yield from _walk_one(field, labels)


def _walk_one(field: Any, labels: dict[str, str]) -> Iterator[FieldError]:
    if isinstance(field, FormField):
        yield from _walk(field.form, labels)
    elif isinstance(field, FieldList):
        for entry in field.entries:
            yield from _walk_one(entry, labels)
    elif field.errors and field.type not in ("CSRFTokenField", "HiddenField"):
        label = labels.get(field.id) or field.label.text or field.name
        yield FieldError(field.id, str(label), str(field.errors[0]))


def grid_cell_labels(form: Any) -> dict[str, str]:
    """A label for each box of the block grid, naming its room type and night."""
    labels = {}
    for row in form.block:
        room_type = (row.form.room_type.data or "").strip() or _("new room type")
        for cell in row.form.cells:
            words = {"type": room_type, "night": day_text(cell.form.night.data)}
            labels[cell.form.rooms.id] = _("%(type)s rooms on %(night)s", **words)
            labels[cell.form.rate.id] = _("%(type)s rate on %(night)s", **words)
        labels[row.form.fill_rooms.id] = _("%(type)s rooms every night", type=room_type)
        labels[row.form.fill_rate.id] = _("%(type)s rate every night", type=room_type)
    return labels
