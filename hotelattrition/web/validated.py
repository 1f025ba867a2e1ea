"""A validated form's required data: never None, though WTForms types every field's as optional."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def required(data: T | None) -> T:
    """The data of a field a validator requires (InputRequired, DataRequired), once validated."""
    if data is None:  # the view read a field before validating it: a bug, never the user's
        raise ValueError("a required field's data was read before validation")
    return data
