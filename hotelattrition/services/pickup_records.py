"""The record of each pickup file imported, and the shoulder nights a rooming list empties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from ..extensions import db
from ..models import PickupImportRecord, User
from .pickup_lines import Said
from .pickup_snapshots import Key, keys_in_effect
from .pickup_sources import PickupLine


@dataclass(frozen=True)
class PickupImport:
    """What an import did."""

    as_of: date
    rows: int  # pickup keys set (nights and room types of the stay)
    contracts: int  # contracts named in the file
    inserted: int  # snapshot rows added
    corrected: int  # snapshot rows dated as_of whose rooms changed
    unchanged: int  # rows equal to the value in effect on as_of
    settlements: int  # stored settlements recomputed
    source: str = "generic"
    encoding: str = "utf-8"
    delimiter: str = ","
    date_order: str | None = None
    rows_read: int = 0  # data rows of the file
    reservations: int = 0  # reservations counted (per-reservation sources)
    room_nights: int = 0  # room nights the file counts
    shoulder: int = 0  # shoulder nights (and room types) kept
    notes: tuple[Said, ...] = ()  # nights whose block in the file differs from the contract's
    first_lines: tuple[PickupLine, ...] = ()  # the first rows as read, for a preview
    totals: tuple[tuple[str, int], ...] = ()  # room nights per contract code in the file

    @property
    def changed(self) -> int:
        return self.inserted + self.corrected


def shoulder_zeros(shoulder: dict[Key, int], contract_ids: set[int], as_of: date) -> dict[Key, int]:
    """The shoulder values of a per-reservation file, with 0 for each shoulder night of its
    groups recorded before and not in the file (the list is the group's whole pickup)."""
    ids = contract_ids | {key[0] for key in shoulder}
    return {key: 0 for key in keys_in_effect(ids, as_of, "shoulder")} | shoulder


def record_import(
    result: PickupImport,
    file_name: str,
    size: int,
    sha256: str,
    user: User | None,
    changed: int,
    now: datetime | None = None,
) -> PickupImportRecord | None:
    """Keep what the file was and who imported it when: counts, never names.

    The same file on the same date a second time changes nothing and is not recorded again.
    """
    if not changed and db.session.scalar(
        select(PickupImportRecord.id).where(
            PickupImportRecord.sha256 == sha256, PickupImportRecord.as_of == result.as_of
        )
    ):
        return None
    record = PickupImportRecord(
        file_name=file_name[:255],
        size=size,
        sha256=sha256,
        source=result.source,
        encoding=result.encoding,
        as_of=result.as_of,
        user_id=user.id if user is not None else None,
        imported_at=now or datetime.now(UTC),
        rows=result.rows_read,
        room_nights=result.room_nights,
        changed=changed,
        notes="\n".join(map(str, result.notes)),  # stored in English
    )
    db.session.add(record)
    return record
