"""WTForms' own messages: in the reader's language, their catalogue read once per language."""

from __future__ import annotations

from typing import Any

import pytest
from babel import support
from flask import Flask
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice, SelectField  # type: ignore[attr-defined]  # types-WTForms 3.2 lacks SelectChoice

from hotelattrition.web.form_messages import _catalogue


class Choice(FlaskForm):
    class Meta:
        csrf = False

    choice = SelectField(choices=[SelectChoice("a", "A")])


def test_messages_are_translated_and_the_catalogue_read_once(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[Any] = []
    real = support.Translations.load

    def counted(*args: Any, **kwargs: Any) -> Any:
        loads.append(kwargs.get("domain"))
        return real(*args, **kwargs)

    monkeypatch.setattr(support.Translations, "load", counted)
    _catalogue.cache_clear()
    errors = []
    for language in ("es", "es", "en"):
        with app.test_request_context("/login", headers={"Accept-Language": language}):
            app.preprocess_request()
            form = Choice(formdata=MultiDict({"choice": "z"}))
            form.validate()
            errors.append(form.choice.errors[0])
    assert errors == ["Opción inválida.", "Opción inválida.", "Not a valid choice."]
    assert loads.count("wtforms") == 2  # Spanish once for two requests, then English once
