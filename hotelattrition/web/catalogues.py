"""The message catalogues a request reads, found fast: a page says fifty words or more.

* Templates: Flask-Babel's `_()` finds the request's translations anew on every word (a dozen
  lookups through Flask's context proxies, 20-60 us, more than the rest of a list's row). Here
  the first word of a request keeps them where Flask-Babel itself keeps a request's
  translations (`babel_translations` on its context), which its `refresh()` and `force_locale()`
  clear whenever the language may change; every later word is one lookup.
* WTForms' own messages ("Not a valid choice."): Flask-WTF reads WTForms' catalogue from disk
  on the first such message of every request (0.4 ms). Here each language's catalogue is read
  once a process, and Flask-WTF finds it where it keeps its own (`request.wtforms_translations`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from babel import support
from flask import Flask, g, request
from flask_babel import get_locale, get_translations
from wtforms.i18n import messages_path


def request_translations() -> Any:
    """The request's translations, found once: Flask-Babel's own slot, cleared on a change."""
    context = g.get("_flask_babel")
    found = getattr(context, "babel_translations", None)
    if found is None:
        found = get_translations()
        context = g.get("_flask_babel")  # made by get_translations() when it was missing
        if context is not None:
            context.babel_translations = found
    return found


@cache
def _wtforms_catalogue(language: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [language], domain="wtforms")


class _FormMessages:
    """WTForms' messages in the language of the request that asks (Flask-WTF's interface)."""

    def ugettext(self, string: str) -> str:
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


FORM_MESSAGES = _FormMessages()


def register_catalogues(app: Flask) -> None:
    """Templates translate through request_translations(); forms find WTForms' catalogue."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # jinja2.ext.i18n's
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )

    @app.before_request
    def _form_messages() -> None:
        request.wtforms_translations = FORM_MESSAGES  # type: ignore[attr-defined]  # Flask-WTF's
