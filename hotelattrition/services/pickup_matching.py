"""Pickup lines matched to the contracts: room-type aliases, shoulder nights, block notes.

A line's room type is the contract's code, or a per-property alias of one ("Deluxe King"
-> KNG). A night before arrival or after departure, however far, is shoulder pickup: kept
apart, never in the settlement (the settlement counts the contracted stay), never refused; one
more than FAR_NIGHTS away is also listed as a note (a wrong group code in the PMS, perhaps).
Where the file carries the block, a night whose block differs from the contract's current
block is a note, not a problem: the block was changed in the PMS and not in the contract.
A per-reservation file is the whole list of each group it names: the group's other nights
are set to 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import select

from ..extensions import db
from ..models import BlockNight, BlockRevision, RoomTypeAlias
from ..models.bulk_rows import chunks
from ..models.contracts import is_current_revision
from ..models.id_sets import among
from .pickup_lines import N_, Problem, Problems, Said
from .pickup_snapshots import Key
from .pickup_sources import PickupLine, PickupRead

FAR_NIGHTS = 14  # a shoulder night further than this from the stay is noted (still kept)
Block = dict[tuple[date, str], int]  # (night, room type) -> rooms of the current block


class Stay(NamedTuple):
    id: int
    code: str
    property_id: int
    arrival: date
    departure: date


@dataclass
class Matched:
    """Snapshot values per key, apart for the stay and the shoulder nights, and what was found."""

    pickup: dict[Key, int] = field(default_factory=dict)
    shoulder: dict[Key, int] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)
    notes: list[Said] = field(default_factory=list)


def alias_key(name: str) -> str:
    """An alias compared without case or repeated spaces."""
    return " ".join(name.split()).casefold()


def current_blocks(contract_ids: Iterable[int]) -> dict[int, Block]:
    """The rooms of each contract's current block per night and room type."""
    blocks: dict[int, Block] = {}
    for batch in chunks(sorted(contract_ids)):
        rows = db.session.execute(
            select(
                BlockRevision.contract_id, BlockNight.night, BlockNight.room_type, BlockNight.rooms
            )
            .join(BlockNight, BlockNight.revision_id == BlockRevision.id)
            .where(among(BlockRevision.contract_id, batch), is_current_revision())
        )
        for contract_id, night, room_type, rooms in rows:
            blocks.setdefault(contract_id, {})[night, room_type] = rooms
    return blocks


def aliases_of(property_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Each property's aliases: alias_key(name) -> room type code."""
    found: dict[int, dict[str, str]] = {}
    ids = sorted(set(property_ids))
    if ids:
        for row in db.session.scalars(
            select(RoomTypeAlias).where(RoomTypeAlias.property_id.in_(ids))
        ):
            found.setdefault(row.property_id, {})[row.alias_key] = row.room_type
    return found


def match_lines(
    read: PickupRead,
    contracts: dict[str, Stay],
    blocks: dict[int, Block],
    invoiced: dict[int, str],
    aliases: dict[int, dict[str, str]],
) -> Matched:
    """Each line's key and rooms, or its problem; per-reservation groups' other nights at 0."""
    out = Matched()
    col = read.columns
    code_col = col.get("contract_code", "contract_code")
    type_col = col.get("room_type", "room_type")
    seen: dict[tuple[str, Key], int] = {}
    far: set[int] = set()  # contracts with a shoulder night far from the stay, noted
    for line in read.lines:
        contract = contracts.get(line.code)
        if contract is None:
            out.problems.append(
                Problem(
                    line.line, code_col, N_("no contract has the code %(code)s", code=line.code)
                )
            )
            continue
        if (number := invoiced.get(contract.id)) is not None:
            said = N_(
                "contract %(code)s has invoice %(number)s open: credit it first",
                code=line.code,
                number=number,
            )  # contract_locks.invoiced_message, in words the pages translate
            out.problems.append(Problem(line.line, code_col, said))
            continue
        block = blocks.get(contract.id, {})
        room_type = _room_type(line.room_type, block, aliases.get(contract.property_id, {}))
        in_stay = contract.arrival <= line.night < contract.departure
        if in_stay and (line.night, room_type) not in block:
            out.problems.append(Problem(line.line, type_col, _unknown_type(line, contract, block)))
            continue
        if not in_stay and room_type not in {t for _, t in block}:
            out.problems.append(Problem(line.line, type_col, _unknown_type(line, contract, block)))
            continue
        kind, key = ("pickup" if in_stay else "shoulder"), (contract.id, line.night, room_type)
        values = out.pickup if in_stay else out.shoulder
        first = seen.setdefault((kind, key), line.line)
        if first != line.line and not read.per_reservation:
            message = N_(
                "repeats line %(first)s: the same contract, night and room type", first=first
            )
            out.problems.append(Problem(line.line, type_col, message))
            continue
        values[key] = values.get(key, 0) + line.rooms
        _note(read, line, room_type, block, contract, out)
        if not in_stay and contract.id not in far and _far(line.night, contract):
            far.add(contract.id)  # once a contract: a wrong code in the PMS fills no page
            out.notes.append(_far_note(line, contract))
    if read.per_reservation:
        for contract in {contracts[line.code] for line in read.lines if line.code in contracts}:
            for night, room_type in blocks.get(contract.id, {}):
                out.pickup.setdefault((contract.id, night, room_type), 0)
    return out


def _room_type(name: str, block: Block, aliases: dict[str, str]) -> str:
    if any(t == name for _, t in block):
        return name
    return aliases.get(alias_key(name), name)


def _far(night: date, contract: Stay) -> bool:
    far = timedelta(days=FAR_NIGHTS)
    return not contract.arrival - far <= night < contract.departure + far


def _note(
    read: PickupRead, line: PickupLine, room_type: str, block: Block, contract: Stay, out: Matched
) -> None:
    pms = read.blocks.get((line.code, line.night, line.room_type))
    ours = block.get((line.night, room_type), 0)
    if pms is not None and pms != ours:
        out.notes.append(
            N_(
                "%(code)s %(night)s %(type)s: block %(file)s in the file, %(ours)s in the contract",
                code=contract.code,
                night=line.night,
                type=room_type,
                file=pms,
                ours=ours,
            )
        )


def _far_note(line: PickupLine, contract: Stay) -> Said:
    last = date.fromordinal(contract.departure.toordinal() - 1)
    return N_(
        "line %(line)s: %(night)s is more than %(far)s nights from contract %(code)s's stay "
        "(%(arrival)s to %(last)s): kept as shoulder pickup",
        line=line.line,
        night=line.night,
        far=FAR_NIGHTS,
        code=contract.code,
        arrival=contract.arrival,
        last=last,
    )


def _unknown_type(line: PickupLine, contract: Stay, block: Block) -> Said:
    types = sorted({t for n, t in block if n == line.night} or {t for _, t in block})
    values = {"code": contract.code, "type": line.room_type, "night": line.night}
    if types:
        return N_(
            "contract %(code)s's block has no %(type)s rooms on %(night)s (it has %(types)s)",
            types=", ".join(types),
            **values,
        )
    return N_("contract %(code)s's block has no %(type)s rooms on %(night)s", **values)
