"""The message catalogues a request reads, found fast: a page says fifty words or more.

* Templates: Flask-Babel's `_()` finds the request's translations anew on every word (a dozen
  lookups through Flask's context proxies, 20-60 us, more than the rest of a list's row). Here
  the first word of a request keeps them where Flask-Babel itself keeps a request's
  translations (`babel_translations` on its context), which its `refresh()` and `force_locale()`
  clear whenever the language may change; every later word is one lookup.
* Python's words (a form's labels and choices, a list's status words): Flask-Babel's gettext
  finds the translations anew on each call too (15 us); `gettext` and `lazy_gettext` here go
  through the request's, found once (2 us).
* WTForms' own messages ("Not a valid choice."): Flask-WTF reads WTForms' catalogue from disk
  on the first such message of every request (0.4 ms). Here each language's catalogue is read
  once a process, and Flask-WTF finds it where it keeps its own (`request.wtforms_translations`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import flask_babel
from babel import support
from flask import Flask, g, has_app_context, request
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
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


def gettext(message: str, **values: Any) -> str:
    """Flask-Babel's gettext, through the request's translations found once."""
    if not has_app_context():  # no translations to find: Flask-Babel answers as it does
        return str(flask_babel.gettext(message, **values))
    text = request_translations().ugettext(message)
    return text % values if values else text


def lazy_gettext(message: str, **values: Any) -> LazyString:
    """Flask-Babel's lazy_gettext, translated by `gettext` here each time it is shown."""
    return LazyString(gettext, message, **values)


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
