"""Recorded reasons in the reader's words for the pages' globals: each list read once a
request, however many rows it labels (an account's complaints each name a department)."""

from __future__ import annotations

from flask import g
from flask_babel import get_locale

from ..services.reasons import reason_labels


def reason_words(kind: str, code: str) -> str:
    """The reason in words (services.reasons.reason_label's); a code no longer listed as itself."""
    locale = str(get_locale())
    lists: dict[tuple[str, str], dict[str, str]] = g.setdefault("reason_lists", {})
    if (kind, locale) not in lists:
        lists[kind, locale] = reason_labels(kind, locale)
    return lists[kind, locale].get(code, code)
