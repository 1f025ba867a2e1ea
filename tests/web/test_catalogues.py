"""WTForms' own messages: in the reader's language, their catalogue read once per language."""

from __future__ import annotations

from typing import Any

import pytest
from babel import support
from flask import Flask, has_app_context, render_template_string
from flask_babel import force_locale, refresh
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice, SelectField  # type: ignore[attr-defined]  # types-WTForms 3.2 lacks SelectChoice

from hotelattrition.web import catalogues
from hotelattrition.web.catalogues import _wtforms_catalogue


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
    _wtforms_catalogue.cache_clear()
    errors = []
    for language in ("es", "es", "en"):
        with app.test_request_context("/login", headers={"Accept-Language": language}):
            app.preprocess_request()
            form = Choice(formdata=MultiDict({"choice": "z"}))
            form.validate()
            errors.append(form.choice.errors[0])
    assert errors == ["Opción inválida.", "Opción inválida.", "Not a valid choice."]
    assert loads.count("wtforms") == 2  # Spanish once for two requests, then English once


@pytest.fixture
def found(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """One entry per time the request's translations are looked up."""
    looked: list[object] = []
    real = catalogues.get_translations

    def counted() -> object:
        looked.append(1)
        return real()

    monkeypatch.setattr(catalogues, "get_translations", counted)
    return looked


def test_templates_find_the_translations_once_and_follow_a_forced_language(
    app: Flask, found: list[object]
) -> None:
    words = '{{ _("Contracts") }} {{ _("Search") }} {{ _("Contracts") }}'
    with app.test_request_context("/login", headers={"Accept-Language": "es"}):
        app.preprocess_request()
        assert render_template_string(words) == "Contratos Buscar Contratos"
        assert len(found) == 1  # three words, one look for the request's translations
        with force_locale("en"):
            assert render_template_string(words) == "Contracts Search Contracts"
        assert render_template_string(words) == "Contratos Buscar Contratos"
        refresh()  # a language chosen anew (the user changed theirs) is read anew
        assert render_template_string('{{ _("Contracts") }}') == "Contratos"
    with app.test_request_context("/login", headers={"Accept-Language": "en"}):
        app.preprocess_request()
        assert render_template_string('{{ _("Contracts") }}') == "Contracts"


def test_python_words_find_the_translations_once_and_follow_the_language(
    app: Flask, found: list[object]
) -> None:
    label = catalogues.lazy_gettext("Search")
    with app.test_request_context("/login", headers={"Accept-Language": "es"}):
        app.preprocess_request()
        assert (str(label), catalogues.gettext("Contracts"), str(label)) == (
            "Buscar", "Contratos", "Buscar"
        )  # fmt: skip
        assert len(found) == 1  # three words, one look for the request's translations
        with force_locale("en"):
            assert str(label) == "Search"
        assert catalogues.gettext("Only %(n)s", n=3) == "Only 3"  # values, as Flask-Babel's
    with app.test_request_context("/login", headers={"Accept-Language": "en"}):
        app.preprocess_request()
        assert str(label) == "Search"  # the same lazy word, in the next request's language
    assert not has_app_context()
    assert catalogues.gettext("Search") == "Search"  # no app: the word as it is
