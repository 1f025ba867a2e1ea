"""The last step of every source: dates read in their order, spans expanded to nights."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..pickup_lines import N_, Problem
from .cells import DMY, Day
from .columns import ColumnSource, Pending, Span, spanned_nights
from .model import Context, PickupLine, PickupRead

Resolve = Callable[[int, Day, str], date | None]  # (line, day, field) -> the date, or None
# Whole sentences per order, not a word slotted in: each translates as it reads.
NOT_READ = {
    DMY: N_("%(cell)s is not a date read day/month/year", cell=""),
    "mdy": N_("%(cell)s is not a date read month/day/year", cell=""),
}


def finish(
    pending: Pending,
    header_line: int,
    fixed: str | None,
    per_reservation: bool,
    span: str,
    ctx: Context,
    out: PickupRead,
) -> None:
    """Fill out.lines (and out.blocks) from what the source read."""
    order = None
    if pending.orders.needed:
        codes = {line.code for line in pending.nights} | {s.code for s in pending.spans}
        order = ctx.date_order or fixed or pending.orders.from_column()
        order = order or ctx.locale_order(codes)
        if order is None:
            column = out.columns.get("night") or out.columns.get("arrival", "night")
            message = N_(
                "the dates read both as day/month and as month/day: "
                "say which with --date-order dmy or mdy"
            )
            out.problems.append(Problem(header_line, column, message))
            return
        out.date_order = order
    resolve = _resolver(pending, order, out)
    dates = pending.orders.all_read(order or DMY)  # each text once, not once a row
    append, blocks = out.lines.append, pending.blocks
    for line in pending.nights:
        night = line.night
        if type(night) is str:
            if (night := dates[night]) is None:
                resolve(line.line, line.night, "night")  # names the problem
                continue
            line = PickupLine(line.line, line.code, night, line.room_type, line.rooms)
        append(line)
        if blocks and (block := blocks.get(line.line)) is not None:
            out.blocks[line.code, night, line.room_type] = block
    for code, day, room_type, block in pending.grid_blocks:
        if (resolved := resolve(0, day, "")) is not None:
            out.blocks[code, resolved, room_type] = block
    if pending.spans:
        _expand(pending.spans, resolve, per_reservation, span, out)


def _resolver(pending: Pending, order: str | None, out: PickupRead) -> Resolve:
    def resolve(line: int, day: Day, field: str) -> date | None:
        if isinstance(day, date):
            return day
        if (found := pending.orders.resolve(day, order or DMY)) is None and line:
            column = out.columns.get(field, field)
            said = NOT_READ[order or DMY]._replace(params={"cell": repr(day)})
            out.problems.append(Problem(line, column, said))
        return found

    return resolve


def _expand(
    spans: list[Span], resolve: Resolve, per_reservation: bool, span: str, out: PickupRead
) -> None:
    totals: dict[tuple[str, date, str], list[int]] = {}  # key -> [first line, rooms]
    shape = ColumnSource(name="", fields={}, required=(), span=span)
    for item in spans:
        first = resolve(item.line, item.first, "arrival")
        last = resolve(item.line, item.last, "departure")
        if first is None or last is None:
            continue
        nights = spanned_nights(shape, first, last)
        if nights is None:
            column = out.columns.get("departure", "departure")
            message = N_(
                "%(last)s is before %(first)s or too far after it",
                last=last.isoformat(),
                first=first.isoformat(),
            )
            out.problems.append(Problem(item.line, column, message))
            continue
        if per_reservation:
            out.reservations += 1
            for night in nights:
                total = totals.setdefault((item.code, night, item.room_type), [item.line, 0])
                total[1] += item.rooms
            continue
        for night in nights:
            out.lines.append(PickupLine(item.line, item.code, night, item.room_type, item.rooms))
            if item.block is not None:
                out.blocks[item.code, night, item.room_type] = item.block
    out.lines.extend(
        PickupLine(line, code, night, room_type, rooms)
        for (code, night, room_type), (line, rooms) in totals.items()
    )
