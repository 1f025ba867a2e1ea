"""A select's options written out in Python: the list pages' filters (an admin's fifty
properties), where a Jinja loop with its tests per option cost twice as much."""

from __future__ import annotations

from typing import Any

from flask import Flask
from markupsafe import Markup, escape


def select_options(field: Any) -> Markup:
    """`<option>`s of a SelectField as WTForms' widget writes them: the field's value selected
    unless it has errors."""
    chosen = None if field.errors else (field.data or "")
    return Markup(
        "".join(
            f'<option selected value="{escape(c.value)}">{escape(c.label)}</option>'
            if c.value == chosen
            else f'<option value="{escape(c.value)}">{escape(c.label)}</option>'
            for c in field.choices
        )
    )


def register_select_options(app: Flask) -> None:
    app.add_template_global(select_options, "select_options")
