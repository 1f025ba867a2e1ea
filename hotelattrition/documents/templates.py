"""The documents' Jinja environment: templates/ rendered without Flask or a request.

Invoices and the monthly report render here, in the words of the document's language (the
compiled catalogues, as the pages use) and the figures of its locale (domain.figures), so a PDF
made by a command or a worker reads exactly as one made from a page.
"""

from __future__ import annotations

from functools import cache

from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..domain.figures import Figures
from ..paths import ROOT

LANGUAGES = ("en", "es")
CATALOGUES = ROOT / "hotelattrition" / "translations"


def language_of(locale: str) -> str:
    """The catalogue language of a locale ("es_MX" -> "es"); English for the others."""
    language = locale.replace("-", "_").split("_")[0].lower()
    return language if language in LANGUAGES else "en"


@cache
def catalogue(language: str) -> NullTranslations:
    """The compiled catalogue of a language (English is the source: no catalogue)."""
    return Translations.load(str(CATALOGUES), [language])


@cache
def environment(locale: str) -> Environment:
    """A Jinja environment speaking the locale's language, with the pages' filters."""
    env = Environment(
        loader=FileSystemLoader(ROOT / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(catalogue(language_of(locale)), newstyle=True)  # type: ignore[attr-defined]
    figures = Figures(locale)
    env.filters.update(
        money=figures.money,
        percent=figures.percent,
        number=figures.number,
        signed=figures.signed,
        day=figures.day,
    )
    env.globals.update(fmt=figures, lang=language_of(locale))
    return env
