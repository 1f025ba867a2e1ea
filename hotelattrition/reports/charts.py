"""Chart geometry for the reports: plain numbers that templates draw as inline SVG.

No JavaScript and no style attributes (the page's CSP allows style sheets only): the templates
draw rectangles and lines at these coordinates, coloured by class.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from math import floor, log10

from .monthly import NightFigures, PacePoint

WIDTH, HEIGHT = 640, 230
LEFT, RIGHT, TOP, BOTTOM = 46, 12, 14, 30


@dataclass(frozen=True)
class Tick:
    at: float  # x or y in the SVG's coordinates
    label: str  # a number, a day of the month, or "now"
    month: date | None = None  # a month end: the template writes the month in the locale


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    block_y: float
    block_height: float
    pickup_y: float
    pickup_height: float
    night: date  # the tooltip's figures: the template words them in the reader's language
    block: int
    picked_up: int


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    at: date  # the month end; the tooltip says it in the reader's format
    picked_up: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_bottom: int
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    bars: list[Bar]
    points: list[Point]
    reference_y: float | None  # the block, on the pace chart

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def empty(self) -> bool:
        return not self.bars and not self.points


def nice_scale(value: int) -> tuple[int, int]:
    """A top and a tick step for values up to `value`: 4 to 6 steps of 1, 2 or 5 x 10^k."""
    scales = []
    for steps in (4, 5, 6):
        raw = max(value, 1) / steps
        magnitude = 10 ** floor(log10(raw)) if raw >= 1 else 1
        step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
        scales.append((step * steps, step))
    return min(scales)


def _y_scale(peak: int) -> tuple[list[Tick], float]:
    top, step = nice_scale(peak)
    span = HEIGHT - TOP - BOTTOM
    ticks = [
        Tick(HEIGHT - BOTTOM - span * value / top, f"{value:,}")
        for value in range(0, top + 1, step)
    ]
    return ticks, span / top


def night_chart(nights: list[NightFigures]) -> Chart:
    """Block against pickup, one bar pair per night of the month."""
    y_ticks, per_room = _y_scale(max([max(n.block, n.picked_up) for n in nights], default=0))
    slot = (WIDTH - LEFT - RIGHT) / max(len(nights), 1)
    base = HEIGHT - BOTTOM
    bars, x_ticks = [], []
    for i, n in enumerate(nights):
        x = LEFT + i * slot + slot * 0.15
        block_h, pickup_h = n.block * per_room, n.picked_up * per_room
        bars.append(Bar(x, slot * 0.7, base - block_h, block_h, base - pickup_h, pickup_h,
                        n.night, n.block, n.picked_up))  # fmt: skip
        if i % 2 == 0 or len(nights) <= 16:
            x_ticks.append(Tick(LEFT + (i + 0.5) * slot, str(n.night.day)))
    has_data = any(n.block or n.picked_up for n in nights)
    return Chart(
        WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, base, y_ticks, x_ticks,
        bars if has_data else [], [], None,
    )  # fmt: skip


def pace_chart(pace: list[PacePoint], block: int) -> Chart:
    """Pickup of the month's nights as of each month end, against the block."""
    shown = _from_first_pickup(pace)
    y_ticks, per_room = _y_scale(max([block, *(p.picked_up for p in shown)]))
    base = HEIGHT - BOTTOM
    step = (WIDTH - LEFT - RIGHT - 40) / max(len(shown) - 1, 1)
    points, x_ticks = [], []
    for i, p in enumerate(shown):
        x = LEFT + 20 + i * step
        points.append(Point(x, base - p.picked_up * per_room, p.at, p.picked_up))
        x_ticks.append(Tick(x, "now") if p.latest else Tick(x, "", p.at))
    has_data = any(p.picked_up for p in shown) or block
    return Chart(
        WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, base, y_ticks, x_ticks, [],
        points if has_data else [], base - block * per_room if has_data else None,
    )  # fmt: skip


def _from_first_pickup(pace: list[PacePoint]) -> list[PacePoint]:
    """The points from the last month end without pickup (where the curve starts) on."""
    first = next((i for i, p in enumerate(pace) if p.picked_up), len(pace) - 1)
    return pace[max(first - 1, 0) :]


@dataclass(frozen=True)
class RateBar:
    x: float
    y: float
    width: float
    height: float
    series: int  # which rate: its class and legend
    value: Decimal  # the percentage, for the tooltip


@dataclass(frozen=True)
class RateChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_bottom: int
    y_ticks: list[Tick]
    x_ticks: list[Tick]  # each period's start date in `month`, worded by the template
    bars: list[RateBar]

    @property
    def empty(self) -> bool:
        return not self.bars

    @property
    def month_style(self) -> str:
        """How the axis words a month: "Jan" when twelve of one year would collide as "Jan 2026"
        (the report names the year), else with its year."""
        months = [t.month for t in self.x_ticks if t.month]
        one_year = len({m.year for m in months}) == 1
        return "month_short" if len(months) > 6 and one_year else "month"


def rate_chart(periods: list[tuple[str, date | None, list[Decimal | None]]]) -> RateChart:
    """Percentages (0-100) per period (a year's label, or a month's date for the template to
    word), one bar per series side by side; None draws nothing."""
    span, base = HEIGHT - TOP - BOTTOM, HEIGHT - BOTTOM
    y_ticks = [Tick(base - span * v / 100, f"{v} %") for v in range(0, 101, 25)]
    slot = (WIDTH - LEFT - RIGHT) / max(len(periods), 1)
    series = max((len(values) for *_, values in periods), default=1)
    width = slot * 0.8 / series
    bars, x_ticks = [], []
    for i, (label, month, values) in enumerate(periods):
        x_ticks.append(Tick(LEFT + (i + 0.5) * slot, label, month))
        for s, value in enumerate(values):
            if value is None:
                continue
            h = span * float(min(value, Decimal(100))) / 100
            bars.append(RateBar(LEFT + i * slot + slot * 0.1 + s * width, base - h, width, h,
                                s, value))  # fmt: skip
    return RateChart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, base, y_ticks, x_ticks, bars)


@dataclass(frozen=True)
class FunnelStep:
    step: str
    count: int
    lost_pct: Decimal | None  # of the step before, lost on the way here
    x: float
    y: float
    width: float
    height: float


FUNNEL_ROW = 44
FUNNEL_LEFT, FUNNEL_RIGHT = 130, 500  # the step's name left of the bars, its count right


def funnel_chart(steps: list[tuple[str, int, Decimal | None]]) -> list[FunnelStep]:
    """A funnel: one centred bar per step, its width the step's count against the first."""
    top = max((count for _, count, _ in steps), default=0) or 1
    span, middle = FUNNEL_RIGHT - FUNNEL_LEFT, (FUNNEL_LEFT + FUNNEL_RIGHT) / 2
    out = []
    for i, (step, count, lost) in enumerate(steps):
        width = max(span * count / top, 2.0)
        out.append(FunnelStep(step, count, lost, middle - width / 2, i * FUNNEL_ROW + 4,
                              width, FUNNEL_ROW - 14))  # fmt: skip
    return out
