"""Import pickup from a property-management system's CSV export, as a snapshot dated as_of.

The whole file is checked before anything is written: every problem comes back with its line
(the header is line 1) and column, and a file with any problem changes nothing. Then:

* Each row sets the picked-up rooms of one contract, night and room type *as of* the import
  date. A row whose value equals the value in effect on that date (the latest snapshot dated
  on or before it) writes nothing, so importing the same file with the same date twice changes
  nothing. A different value adds a snapshot row dated as_of, or corrects the row already
  dated as_of. Earlier rows stay: they are the history that pace is read from; later-dated
  rows keep superseding.
* Keys the file leaves out stay as they are, for the contracts in the file and for every
  other contract: an export may cover some contracts, nights or room types only. To empty a
  night, send its row with 0 rooms. (This differs from a contract document import, where the
  document is the whole of the contract's pickup and a missing key counts as 0.) A
  per-reservation file (a rooming list) is the whole list of each group it names: that
  group's nights with no reservation in it are set to 0 (pickup_matching).
* Nights before arrival or after departure, however far, are shoulder pickup (never
  refused; one far from the stay is also noted), snapshots of kind "shoulder" that the
  settlement does not read; room types match by code or through the property's aliases; a
  block in the file that differs from the contract's is a note, not a problem. Each import
  is recorded (file name, size, SHA-256, who, when); the same file on the same date again
  writes nothing (pickup_records).
* The as-of date runs from 2000-01-01 to tomorrow at every property of the file's
  contracts (check_as_of): a date in the future would outrank every later import for good.
  It is one value for the whole file, so it is refused as a whole (AsOfOutOfRange, naming
  the property whose tomorrow comes first), not once per row.
* The stored settlement of every contract whose pickup changed is recomputed with
  store_settlements, set-based, in the same transaction. Nothing is committed here: the
  edge commits.

Writes are set-based (pickup_snapshots): one COPY on PostgreSQL (psycopg), an executemany
INSERT elsewhere, and one executemany UPDATE for same-day corrections.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Contract, Property, User
from ..models.contracts import not_voided
from ..models.id_sets import among
from ..models.planning import without_jit
from .audit import record_change
from .collector import collector_paused
from .contract_locks import open_invoices
from .pickup import check_as_of
from .pickup_lines import MAX_PROBLEMS, Problem, Source
from .pickup_matching import Matched, Stay, aliases_of, current_blocks, match_lines
from .pickup_reading import Hashed, reading_context
from .pickup_records import PickupImport, record_import, shoulder_zeros
from .pickup_snapshots import chunks, correct_snapshots, insert_snapshots, snapshot_changes
from .pickup_sources import PickupLine, PickupRead, read_pickup
from .pickup_sources.columns import ColumnSource
from .settlements import store_settlements

log = logging.getLogger(__name__)

SETTLE_BATCH = 2_000  # contracts read, settled and written per round
PREVIEW_ROWS = 10  # rows of the file shown as read before an import is confirmed
# Progress callback: phase ("checking", "writing", "settling"), done, total.
Progress = Callable[[str, int, int], None]


class InvalidPickupFile(ValueError):
    """A pickup file with problems; nothing was written.

    `problems` are the first MAX_PROBLEMS by line; `more` counts the others.
    """

    def __init__(
        self, problems: list[Problem], total: int | None = None, header: list[str] | None = None
    ):
        self.header = header or []  # line 1's cells when no source knew them: map them
        self.problems = sorted(problems, key=lambda p: p.line)[:MAX_PROBLEMS]
        self.more = (len(problems) if total is None else total) - len(self.problems)
        super().__init__("; ".join(str(p) for p in self.problems[:5]))


@collector_paused()
def import_pickup(
    source: Source,
    as_of: date,
    user: User | None = None,
    progress: Progress | None = None,
    *,
    now: datetime | None = None,
    source_name: str = "auto",
    date_order: str | None = None,
    file_name: str = "",
    custom: Sequence[ColumnSource] = (),
) -> PickupImport:
    """Check the whole file, then snapshot its pickup as of `as_of`; add and flush only.

    `source` is read as a stream (a binary file, bytes, or an iterable of byte chunks) as
    `source_name` (auto: the source its header shows; pickup_sources). `user` limits the
    contracts to the user's properties (None: every property, the CLI). `custom` are the
    sources saved as column mappings that `auto` tries too.
    Raises AsOfOutOfRange when `as_of` is too early or after tomorrow at a property of the
    file's contracts (at `now`, default the clock), and InvalidPickupFile listing the
    problems when any row is wrong.
    """
    report = progress or (lambda phase, done, total: None)
    hashed = Hashed(source)
    parsed = read_pickup(hashed, reading_context(date_order), source_name, custom=custom)
    allowed = None if user is None or user.sees_all_properties else {p.id for p in user.properties}
    contracts = {
        code: contract
        for code, contract in _contracts({row.code for row in parsed.lines}).items()
        if allowed is None or contract.property_id in allowed
    }  # another property's contract is unknown to the user: its code reveals nothing
    check_as_of(as_of, _properties({c.property_id for c in contracts.values()}), now)
    report("checking", 0, len(parsed.lines))
    matched = _match(parsed, contracts) if parsed.lines else Matched()
    report("checking", len(parsed.lines), len(parsed.lines))
    problems, checked = parsed.problems, matched.problems
    if problems or checked:
        total = len(problems) + len(checked)
        raise InvalidPickupFile([*problems, *checked], total, parsed.header)
    values = matched.pickup
    if parsed.per_reservation:  # shoulder nights recorded earlier and now not in the file
        matched.shoulder = shoulder_zeros(matched.shoulder, {k[0] for k in values}, as_of)
    inserts, corrections = snapshot_changes(values, as_of)
    shoulder_inserts, shoulder_corrections = snapshot_changes(matched.shoulder, as_of, "shoulder")
    writes = len(inserts) + len(corrections) + len(shoulder_inserts) + len(shoulder_corrections)
    report("writing", 0, writes)
    without_jit()
    insert_snapshots(inserts, as_of)
    correct_snapshots(corrections)
    insert_snapshots(shoulder_inserts, as_of, "shoulder")
    correct_snapshots(shoulder_corrections)
    report("writing", writes, writes)
    touched = {key[0] for key in inserts} | {key[0] for key, _, _ in corrections}
    # Inserted and corrected rows are all dated as_of: nothing before it changes.
    settled = _store_settlements(touched, report, as_of)
    shoulder_touched = {k[0] for k in shoulder_inserts} | {k[0] for k, _, _ in shoulder_corrections}
    if touched | shoulder_touched:
        record_change(
            user or "cli",
            "import",
            "pickup",
            as_of.isoformat(),
            {"rows": len(values), "inserted": len(inserts), "corrected": len(corrections),
             "shoulder": len(shoulder_inserts) + len(shoulder_corrections),
             "contracts": sorted(
                 c.code for c in contracts.values() if c.id in touched | shoulder_touched)},
        )  # fmt: skip
    result = PickupImport(
        as_of=as_of,
        rows=len(values),
        contracts=len(contracts),
        inserted=len(inserts),
        corrected=len(corrections),
        unchanged=len(values) - len(inserts) - len(corrections),
        settlements=settled,
        source=parsed.source,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        date_order=parsed.date_order,
        rows_read=parsed.rows,
        reservations=parsed.reservations,
        room_nights=parsed.room_nights,
        shoulder=len(matched.shoulder),
        notes=tuple(matched.notes),
        first_lines=tuple(parsed.lines[:PREVIEW_ROWS]),
        totals=_totals(parsed.lines),
    )
    record_import(result, file_name, hashed.size, hashed.sha256, user, writes, now)
    log.info(
        "pickup imported: as of %s, %d rows for %d contracts, %d snapshots added, "
        "%d corrected, %d settlements",
        as_of.isoformat(), len(values), len(contracts), len(inserts), len(corrections), settled,
    )  # fmt: skip
    return result


def _totals(lines: list[PickupLine]) -> tuple[tuple[str, int], ...]:
    totals: dict[str, int] = {}
    for line in lines:
        totals[line.code] = totals.get(line.code, 0) + line.rooms
    return tuple(sorted(totals.items()))


def _match(parsed: PickupRead, contracts: dict[str, Stay]) -> Matched:
    blocks = current_blocks(c.id for c in contracts.values())
    invoiced = {
        cid: inv.number for cid, inv in open_invoices(c.id for c in contracts.values()).items()
    }
    aliases = aliases_of(c.property_id for c in contracts.values())
    return match_lines(parsed, contracts, blocks, invoiced, aliases)


# Checking ---------------------------------------------------------------------------------


def _contracts(codes: set[str]) -> dict[str, Stay]:
    found: dict[str, Stay] = {}
    for batch in chunks(sorted(codes)):
        rows = db.session.execute(
            select(
                Contract.id,
                Contract.code,
                Contract.property_id,
                Contract.arrival,
                Contract.departure,
            ).where(among(Contract.code, batch), not_voided())  # a voided code is unknown
        )
        found.update((row.code, Stay(**row._mapping)) for row in rows)
    return found


def _properties(ids: set[int]) -> list[Property]:
    return list(db.session.scalars(select(Property).where(Property.id.in_(ids)))) if ids else []


def _store_settlements(contract_ids: set[int], report: Progress, as_of: date) -> int:
    """Recompute the stored settlement of each contract, and its revenue series from `as_of`
    on: terms read, settled and written set-based, a batch of contracts at a time."""
    total, done = len(contract_ids), 0
    report("settling", 0, total)
    db.session.flush()  # the snapshots just written are read back with the actuals
    for batch in chunks(sorted(contract_ids), SETTLE_BATCH):
        done += store_settlements(batch, revenue_since=as_of)
        report("settling", done, total)
    return total
