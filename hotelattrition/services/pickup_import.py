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
  document is the whole of the contract's pickup and a missing key counts as 0.)
* The as-of date runs from 2000-01-01 to tomorrow at every property of the file's
  contracts (check_as_of): a date in the future would outrank every later import for good.
  It is one value for the whole file, so it is refused as a whole (AsOfOutOfRange, naming
  the property whose tomorrow comes first), not once per row.
* The stored settlement of every contract whose pickup changed is recomputed with
  store_settlement, in the same transaction. Nothing is committed here: the edge commits.

Writes are set-based (pickup_snapshots): one COPY on PostgreSQL (psycopg), an executemany
INSERT elsewhere, and one executemany UPDATE for same-day corrections.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import (
    BlockNight,
    BlockRevision,
    CancellationClause,
    Contract,
    MeetingRoomClause,
    Property,
    User,
)
from ..models.contracts import is_current_revision
from .audit import record_change
from .contract_locks import invoiced_message, open_invoices
from .pickup import check_as_of, latest_actuals
from .pickup_csv import PickupLine, Problem, Problems, read_pickup_csv
from .pickup_lines import MAX_PROBLEMS, Source
from .pickup_snapshots import (
    Key,
    chunks,
    correct_snapshots,
    insert_snapshots,
    snapshot_changes,
)
from .settlements import store_settlement

log = logging.getLogger(__name__)

# Progress callback: phase ("checking", "writing", "settling"), done, total.
Progress = Callable[[str, int, int], None]


class InvalidPickupFile(ValueError):
    """A pickup file with problems; nothing was written.

    `problems` are the first MAX_PROBLEMS by line; `more` counts the others.
    """

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = sorted(problems, key=lambda p: p.line)[:MAX_PROBLEMS]
        self.more = (len(problems) if total is None else total) - len(self.problems)
        super().__init__("; ".join(str(p) for p in self.problems[:5]))


@dataclass(frozen=True)
class PickupImport:
    """What an import did."""

    as_of: date
    rows: int  # data rows read
    contracts: int  # contracts named in the file
    inserted: int  # snapshot rows added
    corrected: int  # snapshot rows dated as_of whose rooms changed
    unchanged: int  # rows equal to the value in effect on as_of
    settlements: int  # stored settlements recomputed

    @property
    def changed(self) -> int:
        return self.inserted + self.corrected


class _Contract(NamedTuple):
    id: int
    code: str
    property_id: int
    arrival: date
    departure: date


def import_pickup(
    source: Source,
    as_of: date,
    user: User | None = None,
    progress: Progress | None = None,
    *,
    now: datetime | None = None,
) -> PickupImport:
    """Check the whole file, then snapshot its pickup as of `as_of`; add and flush only.

    `source` is read as a stream (a binary file, bytes, or an iterable of byte chunks).
    `user` limits the contracts to the user's properties (None: every property, the CLI).
    Raises AsOfOutOfRange when `as_of` is too early or after tomorrow at a property of the
    file's contracts (at `now`, default the clock), and InvalidPickupFile listing the
    problems when any row is wrong.
    """
    report = progress or (lambda phase, done, total: None)
    parsed = read_pickup_csv(source)
    allowed = None if user is None or user.sees_all_properties else {p.id for p in user.properties}
    contracts = {
        code: contract
        for code, contract in _contracts({row.code for row in parsed.rows}).items()
        if allowed is None or contract.property_id in allowed
    }  # another property's contract is unknown to the user: its code reveals nothing
    check_as_of(as_of, _properties({c.property_id for c in contracts.values()}), now)
    problems = parsed.problems
    checked = _check(parsed.rows, parsed.columns, contracts, report) if parsed.rows else Problems()
    if problems or checked:
        raise InvalidPickupFile([*problems, *checked], len(problems) + len(checked))
    values = {(contracts[row.code].id, row.night, row.room_type): row.rooms for row in parsed.rows}
    inserts, corrections = snapshot_changes(values, as_of)
    report("writing", 0, len(inserts) + len(corrections))
    insert_snapshots(inserts, as_of)
    correct_snapshots(corrections)
    report("writing", len(inserts) + len(corrections), len(inserts) + len(corrections))
    touched = {key[0] for key in inserts} | {key[0] for key, _, _ in corrections}
    settled = _store_settlements(touched, report)
    if touched:
        record_change(
            user or "cli",
            "import",
            "pickup",
            as_of.isoformat(),
            {"rows": len(values), "inserted": len(inserts), "corrected": len(corrections),
             "contracts": sorted(c.code for c in contracts.values() if c.id in touched)},
        )  # fmt: skip
    log.info(
        "pickup imported: as of %s, %d rows for %d contracts, %d snapshots added, "
        "%d corrected, %d settlements",
        as_of.isoformat(), len(values), len(contracts), len(inserts), len(corrections), settled,
    )  # fmt: skip
    return PickupImport(
        as_of=as_of,
        rows=len(values),
        contracts=len(contracts),
        inserted=len(inserts),
        corrected=len(corrections),
        unchanged=len(values) - len(inserts) - len(corrections),
        settlements=settled,
    )


# Checking ---------------------------------------------------------------------------------


def _contracts(codes: set[str]) -> dict[str, _Contract]:
    found: dict[str, _Contract] = {}
    for batch in chunks(sorted(codes)):
        rows = db.session.execute(
            select(
                Contract.id,
                Contract.code,
                Contract.property_id,
                Contract.arrival,
                Contract.departure,
            ).where(Contract.code.in_(batch))
        )
        found.update((row.code, _Contract(**row._mapping)) for row in rows)
    return found


def _properties(ids: set[int]) -> list[Property]:
    return list(db.session.scalars(select(Property).where(Property.id.in_(ids)))) if ids else []


def _block_keys(contract_ids: Iterable[int]) -> dict[int, set[tuple[date, str]]]:
    """The (night, room type) pairs of each contract's current block."""
    keys: dict[int, set[tuple[date, str]]] = {}
    for batch in chunks(sorted(contract_ids)):
        rows = db.session.execute(
            select(BlockRevision.contract_id, BlockNight.night, BlockNight.room_type)
            .join(BlockNight, BlockNight.revision_id == BlockRevision.id)
            .where(BlockRevision.contract_id.in_(batch), is_current_revision())
        )
        for row in rows:
            keys.setdefault(row.contract_id, set()).add((row.night, row.room_type))
    return keys


def _check(
    rows: list[PickupLine],
    columns: dict[str, str],
    contracts: dict[str, _Contract],
    report: Progress,
) -> Problems:
    """The rows' problems against the contracts the user may see (`contracts`), in line order."""
    report("checking", 0, len(rows))
    blocks = _block_keys(c.id for c in contracts.values())
    invoiced = open_invoices(c.id for c in contracts.values())
    seen: dict[Key, int] = {}
    problems = Problems()
    code_col, night_col, type_col = columns["contract_code"], columns["night"], columns["room_type"]
    for row in rows:
        contract = contracts.get(row.code)
        if contract is None:
            problems.append(Problem(row.line, code_col, f"no contract has the code {row.code}"))
            continue
        if (invoice := invoiced.get(contract.id)) is not None:
            problems.append(Problem(row.line, code_col, invoiced_message(row.code, invoice.number)))
            continue
        if not contract.arrival <= row.night < contract.departure:
            problems.append(Problem(row.line, night_col, _outside(row.night, contract)))
            continue
        if (row.night, row.room_type) not in blocks.get(contract.id, ()):
            problems.append(Problem(row.line, type_col, _unknown_type(row, contract, blocks)))
            continue
        key = (contract.id, row.night, row.room_type)
        if (first := seen.setdefault(key, row.line)) != row.line:
            message = f"repeats line {first}: the same contract, night and room type"
            problems.append(Problem(row.line, type_col, message))
    report("checking", len(rows), len(rows))
    return problems


def _outside(night: date, contract: _Contract) -> str:
    last = date.fromordinal(contract.departure.toordinal() - 1)
    return (
        f"{night.isoformat()} is not a night of contract {contract.code}'s stay "
        f"({contract.arrival.isoformat()} to {last.isoformat()})"
    )


def _unknown_type(
    row: PickupLine, contract: _Contract, blocks: dict[int, set[tuple[date, str]]]
) -> str:
    types = sorted({t for n, t in blocks.get(contract.id, ()) if n == row.night})
    has = f" (it has {', '.join(types)})" if types else ""
    return (
        f"contract {contract.code}'s block has no {row.room_type} rooms on "
        f"{row.night.isoformat()}{has}"
    )


# Everything contract_document reads, loaded for a batch of contracts in a few queries.
_SETTLEMENT_LOAD = (
    joinedload(Contract.property),
    joinedload(Contract.account),
    selectinload(Contract.revisions).selectinload(BlockRevision.nights),
    selectinload(Contract.room_attrition),
    selectinload(Contract.fnb),
    selectinload(Contract.services),
    selectinload(Contract.meeting_room).selectinload(MeetingRoomClause.steps),
    selectinload(Contract.cancellation).selectinload(CancellationClause.steps),
    selectinload(Contract.settlement),
)


def _store_settlements(contract_ids: set[int], report: Progress) -> int:
    """Recompute the stored settlement of each contract, a batch of contracts at a time."""
    total, done = len(contract_ids), 0
    report("settling", 0, total)
    db.session.flush()  # the snapshots just written are read back with the actuals
    for batch in chunks(sorted(contract_ids), 500):
        actuals = latest_actuals(batch)  # two queries a batch, not two a contract
        for contract in db.session.scalars(
            select(Contract).where(Contract.id.in_(batch)).options(*_SETTLEMENT_LOAD)
        ):
            store_settlement(contract, actuals[contract.id])
        done += len(batch)
        report("settling", done, total)
    db.session.flush()
    return total
