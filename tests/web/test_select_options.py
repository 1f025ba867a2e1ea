"""A select's options written in Python match WTForms' own widget, escaped, one selected."""

from __future__ import annotations

import re

from flask import Flask
from werkzeug.datastructures import MultiDict

from hotelattrition.web.contracts.filters import ContractFilterForm
from hotelattrition.web.select_options import select_options

PROPERTIES = [("H01", 'Hotel <Uno> & "co"'), ("H02", "Dos")]


def _widget_options(field: object) -> str:
    """The options inside the widget's own <select> (WTForms' rendering, the reference)."""
    html = str(field())  # type: ignore[operator]
    return re.sub(r"^<select[^>]*>|</select>$", "", html)


def test_the_options_are_the_widgets_in_both_languages(app: Flask) -> None:
    for language in ("en", "es"):
        for args in ({}, {"property": "H02"}, {"status": "lost", "when": "past"}):
            with app.test_request_context("/contracts/", headers={"Accept-Language": language}):
                app.preprocess_request()
                form = ContractFilterForm(MultiDict(args), PROPERTIES)
                for field in (form.property, form.status, form.when):
                    assert str(select_options(field)) == _widget_options(field), (args, field)


def test_a_value_with_errors_selects_nothing_and_labels_are_escaped(app: Flask) -> None:
    with app.test_request_context("/contracts/"):
        app.preprocess_request()
        form = ContractFilterForm(MultiDict({"property": "ZZ"}), PROPERTIES)
        html = str(select_options(form.property))
    assert form.property.errors
    assert "selected" not in html
    assert "Hotel &lt;Uno&gt; &amp; &#34;co&#34;" in html
