"""A refusal's words in the reader's language: the request's locale on a page, English elsewhere.

Services say why they refuse with `_` (extracted into the catalogue like the templates' words);
a command or a job has no request, so it reads the English.
"""

from __future__ import annotations

from datetime import date

from flask import has_request_context

from ..domain.figures import Figures

__all__ = ["_", "day"]


def _(message: str, **params: object) -> str:
    """The message in the request's language; English with no request (Flask-Babel needs one)."""
    if has_request_context():
        # Imported on a page only: a command refuses in English without loading Flask-Babel.
        from flask_babel import gettext

        return str(gettext(message, **params))
    return message % params if params else message


def day(value: date) -> str:
    """A date in a refusal as every page says it ("Sep 22, 2026", "22 sept 2026")."""
    if not has_request_context():
        return Figures("en").day(value)
    from flask_babel import get_locale

    locale = str(get_locale() or "en")
    return Figures(locale).day(value)
