"""Template filters: money, percentages and dates in the reader's locale (domain.figures)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Protocol

from flask import Flask, g, has_app_context
from flask_babel import get_locale, gettext

from ..domain.figures import Figures


def _here() -> Figures:
    """The request's Figures, kept beside Flask-Babel's own locale (on its context): a page's
    hundreds of |money and |number found the locale anew each time (16 us a call through
    Flask's proxies). Kept with the locale it was made for: `force_locale()` and `refresh()`
    change that locale, and the next call makes new Figures."""
    context = g.get("_flask_babel") if has_app_context() else None
    locale = getattr(context, "babel_locale", None)
    kept = getattr(context, "hotel_figures", None)
    if locale is not None and kept is not None and kept[0] is locale:
        return kept[1]
    figures = Figures(str(get_locale()))
    context = g.get("_flask_babel") if has_app_context() else None  # made by get_locale()
    if context is not None:
        context.hotel_figures = (context.babel_locale, figures)
    return figures


def day_text(value: date | str | None, style: str = "medium") -> str:
    """A date as pages say it; a form's hidden night (ISO text) too, and bad text as it is."""
    if not isinstance(value, str):
        return _here().day(value, style)
    try:
        return _here().day(date.fromisoformat(value), style)
    except ValueError:
        return value


def moment_text(value: datetime | None) -> str:
    """An instant as pages say it, in UTC: its day as `day_text` does, then the time."""
    if value is None:
        return "—"
    from babel.dates import format_time

    aware = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    time = format_time(aware, "short", tzinfo=UTC, locale=str(get_locale()))
    return f"{day_text(aware.date())} {time} UTC"


class Words(Protocol):
    """A message id and its values (services.pickup_lines.Said), translated on the page."""

    @property
    def text(self) -> str: ...

    @property
    def params(self) -> Mapping[str, object]: ...


def said(words: Words) -> str:
    """The words in the reader's language, their dates as the page writes dates."""
    values = {k: day_text(v) if isinstance(v, date) else v for k, v in words.params.items()}
    return str(gettext(words.text, **values))


def register_formatting(app: Flask) -> None:
    """The filters (|money, |percent, |number, |signed, |day, |said) and `fmt` (Figures)."""
    app.add_template_filter(lambda amount, currency: _here().money(amount, currency), "money")
    app.add_template_filter(lambda value: _here().percent(value), "percent")
    app.add_template_filter(lambda value: _here().number(value), "number")
    app.add_template_filter(lambda value: _here().signed(value), "signed")
    app.add_template_filter(day_text, "day")
    app.add_template_filter(said, "said")
    app.add_template_filter(moment_text, "moment")
    app.context_processor(lambda: {"fmt": _here()})
