"""A service's `(pointer, message)` problems shown on a form: each next to its field."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

Problem = tuple[str, str]


def show_problems(
    problems: Iterable[Problem],
    fields: Mapping[str, Any],
    translate: Callable[[str], str] = str,
    fallback: Any = None,
) -> list[str]:
    """Put each problem on the field its pointer names; return those no field owns.

    `fields` maps pointers to fields (a form's `_fields` for plain names); a pointer also
    finds its parent's field ("/block/0/rooms" -> "/block/0"). A field that already says why
    its value is wrong keeps that one message. `fallback` takes the problems no field owns.
    """
    loose = []
    for pointer, message in problems:
        field = fields.get(pointer) or fields.get(pointer.rsplit("/", 1)[0]) or fallback
        if field is None:
            loose.append(f"{pointer}: {translate(message)}" if pointer else translate(message))
        elif not field.errors:
            field.errors = [*field.errors, translate(message)]
    return loose
