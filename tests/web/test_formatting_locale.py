"""The page filters (|money, |number) keep the request's Figures and follow its language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask import Flask, render_template_string
from flask_babel import force_locale, refresh

from hotelattrition.web import formatting


def test_the_filters_find_the_locale_once_and_follow_a_forced_language(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = formatting.Figures

    def counted(locale: str) -> object:
        made.append(locale)
        return real(locale)

    monkeypatch.setattr(formatting, "Figures", counted)
    page = "{{ a|money('EUR') }} | {{ n|number }} | {{ a|money('EUR') }}"
    values = {"a": Decimal("1234.5"), "n": Decimal("137.6")}
    with app.test_request_context("/login", headers={"Accept-Language": "es"}):
        app.preprocess_request()
        assert render_template_string(page, **values) == "1.234,50\xa0€ | 137,6 | 1.234,50\xa0€"
        assert made == ["es"]  # three figures, one Figures for the request
        with force_locale("en"):
            assert render_template_string(page, **values) == "€1,234.50 | 137.6 | €1,234.50"
        assert render_template_string(page, **values) == "1.234,50\xa0€ | 137,6 | 1.234,50\xa0€"
        refresh()
        assert render_template_string("{{ n|number }}", **values) == "137,6"
    assert made == ["es", "en", "es", "es"]
    with app.test_request_context("/login", headers={"Accept-Language": "en"}):
        app.preprocess_request()
        assert render_template_string("{{ n|number }}", **values) == "137.6"
