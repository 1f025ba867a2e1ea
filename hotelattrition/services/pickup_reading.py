"""What the pickup readers ask of the database (time zones, locales' date order), and the
file's size and SHA-256 taken as it streams past."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import tzinfo
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from sqlalchemy import select

from ..extensions import db
from ..models import Contract, Property
from ..models.bulk_rows import chunks
from .pickup_lines import Source, binary_stream
from .pickup_sources import DMY, MDY, Context

CHUNK = 64 * 1024  # bytes pulled at a time: the file is never held whole


class Hashed:
    """The bytes of a source as chunks, counting and hashing them as they are read."""

    def __init__(self, source: Source):
        self._stream = binary_stream(source)
        self.digest = hashlib.sha256()
        self.size = 0

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self._stream.read(CHUNK):
            self.digest.update(chunk)
            self.size += len(chunk)
            yield chunk

    @property
    def sha256(self) -> str:
        return self.digest.hexdigest()


@cache
def locale_order(locale: str) -> str:
    """dmy or mdy: whether the locale's short date puts the month before the day."""
    pattern = Locale.parse(locale).date_formats["short"].pattern
    return MDY if pattern.find("M") < pattern.find("d") else DMY


def reading_context(date_order: str | None) -> Context:
    """A Context whose look-ups go to the database, each code once."""
    places: dict[str, tuple[str, str] | None] = {}

    def place(code: str) -> tuple[str, str] | None:
        if code not in places:
            row = db.session.execute(
                select(Property.timezone, Property.locale)
                .join(Contract, Contract.property_id == Property.id)
                .where(Contract.code == code)
            ).first()
            places[code] = None if row is None else (row.timezone, row.locale)
        return places[code]

    def zone(code: str) -> tzinfo:
        found = place(code)
        return ZoneInfo(found[0]) if found else ZoneInfo("UTC")

    def orders(codes: set[str]) -> str | None:
        locales: set[str] = set()
        for batch in chunks(sorted(codes)):  # a few queries for any number of codes
            locales.update(
                db.session.scalars(
                    select(Property.locale)
                    .join(Contract, Contract.property_id == Property.id)
                    .where(Contract.code.in_(batch))
                    .distinct()
                )
            )
        found = {locale_order(locale) for locale in locales}
        return found.pop() if len(found) == 1 else None

    return Context(date_order=date_order, zone=zone, locale_order=orders)
