"""The bounds every way in shares: stay length, dates, and text lengths the database can hold."""

from __future__ import annotations

from datetime import date

# A longer stay is a typing mistake in the dates, and settling it would build millions of nights.
MAX_STAY_NIGHTS = 366
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2100, 12, 31)

# Text lengths: the columns' String(n) and the form's Length(max=n) both read these.
CODE_MAX = 40  # contract code
PROPERTY_CODE_MAX = 20
ACCOUNT_NAME_MAX = 200
CONTRACT_NAME_MAX = 200
ROOM_TYPE_MAX = 20
SERVICE_NAME_MAX = 200


def date_problem(day: date) -> str | None:
    """Say why a date is outside the years the app handles, or None when it is inside."""
    if FIRST_DATE <= day <= LAST_DATE:
        return None
    return f"must be from {FIRST_DATE} to {LAST_DATE}"


def length_problem(text: str, limit: int) -> str | None:
    """Say why a text is too long for its column, or None when it fits."""
    return f"at most {limit} characters" if len(text) > limit else None
