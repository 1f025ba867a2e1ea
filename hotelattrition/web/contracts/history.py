"""The contract history in words: each change's field, old and new value in the reader's
language, money and dates through the formatting module (domain.figures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ...domain.figures import Figures
from ...reports.history import FieldChange, HistoryItem

ACTIONS = {
    "create": _l("Contract created"),
    "replace_terms": _l("Terms changed"),
    "edit_dates": _l("Review dates or cut-off changed"),
    "record_actuals": _l("Pickup recorded"),
    "block_review": _l("Block reduced on a review date"),
    "block_cutoff": _l("Unbooked rooms released at the cut-off"),
    "confirm_reconciliation": _l("Attendees outside the block recorded from a match report"),
    "planner_link_created": _l("Planner's link created"),
    "planner_link_revoked": _l("Planner's link revoked"),
    "survey_link_created": _l("Survey link created"),
    "survey_link_revoked": _l("Survey link revoked"),
    "survey_answered": _l("Post-event survey answered by the planner"),
    "publish_statement": _l("Final pickup statement published"),
    "reply_statement": _l("The planner answered the final pickup statement"),
    "dispute_window": _l("Dispute window changed"),
}

LABELS = {
    "account": _l("Account"),
    "name": _l("Group name"),
    "status": _l("Status"),
    "signed_on": _l("Signed on"),
    "dispute_window_days": _l("Dispute window (days after the invoice)"),
    "lost_reason": _l("Reason lost or cancelled"),
    "lost_to": _l("Won by"),
    "arrival": _l("Arrival"),
    "departure": _l("Departure"),
    "currency": _l("Currency"),
    "block": _l("Block"),
    "cutoff_on": _l("Cut-off date"),
    "review_dates": _l("Review dates"),
    "services": _l("Other services"),
    "room_nights": _l("Block room nights"),
    "room_attrition": _l("Room attrition clause"),
    "room_attrition.allowance_pct": _l("Room attrition allowance"),
    "room_attrition.basis": _l("Room attrition measured"),
    "room_attrition.minimum_rounding": _l("Room minimum rounded"),
    "room_attrition.rate": _l("Rate charged"),
    "room_attrition.damages_pct": _l("Room attrition share charged"),
    "room_attrition.credit_resold": _l("Credit rooms the hotel resold"),
    "room_attrition.credit_outside_block": _l("Count attendees outside the block"),
    "room_attrition.tax_pct": _l("Room attrition tax"),
    "room_attrition.count_released": _l("Released rooms count toward attrition"),
    "fnb": _l("F&B minimum clause"),
    "fnb.minimum": _l("F&B minimum"),
    "fnb.allowance_pct": _l("F&B allowance"),
    "fnb.damages_pct": _l("F&B share charged"),
    "fnb.service_charge_pct": _l("F&B service charge"),
    "fnb.tax_pct": _l("F&B tax"),
    "fnb.tax_on_service_charge": _l("Tax the service charge too"),
    "meeting_room": _l("Meeting-room rental"),
    "meeting_room.rental": _l("Meeting-room rental"),
    "meeting_room.tax_pct": _l("Meeting-room tax"),
    "meeting_room.scale": _l("Meeting-room charge scale"),
    "cancellation": _l("Cancellation schedule"),
    "cancellation.schedule": _l("Cancellation fees"),
    "cancellation.cancelled_on": _l("Cancelled on"),
    "cancellation.rooms_damages_pct": _l("Share of room revenue (%)"),
    "cancellation.fnb_damages_pct": _l("Share of F&B minimum (%)"),
    "cancellation.include_meeting_room": _l("Include the meeting-room rental"),
    "cancellation.include_services": _l("Include other services"),
    "cancellation.services_damages_pct": _l("Share of services (%)"),
    "cancellation.credit_resold": _l("Credit rooms the hotel resold"),
    "cancellation.tax_pct": _l("Cancellation tax"),
}

WORDS = {
    "cumulative": _l("over the whole stay"),
    "per_night": _l("night by night"),
    "exact": _l("not rounded"),
    "up": _l("up"),
    "down": _l("down"),
    "nearest": _l("to nearest"),
    "average": _l("average block rate"),
    "lowest": _l("lowest block rate"),
    "highest": _l("highest block rate"),
    "tentative": _l("tentative"),
    "definite": _l("definite"),
    "cancelled": _l("cancelled"),
    "settled": _l("settled"),
}

_DATES = {"signed_on", "arrival", "departure", "cutoff_on", "cancelled_on"}
_MONEY = {"minimum", "rental", "actual"}


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryLine:
    item: HistoryItem
    title: str
    detail: str  # the item's facts: on which date, how many figures
    changes: list[ChangeLine]


def history_lines(items: list[HistoryItem], figures: Figures, currency: str) -> list[HistoryLine]:
    """Each history item with its title, its facts and its changes in words."""
    words = _Words(figures, currency)
    return [
        HistoryLine(
            item,
            str(ACTIONS.get(item.action, _(item.action))),
            words.facts(dict(item.facts)),
            [words.change(c) for c in item.changes],
        )
        for item in items
    ]


class _Words:
    def __init__(self, figures: Figures, currency: str) -> None:
        self.fig, self.currency = figures, currency

    def change(self, change: FieldChange) -> ChangeLine:
        label = LABELS.get(change.field)
        leaf = change.field.rsplit(".", 1)[-1]
        return ChangeLine(
            str(label) if label else change.field,
            self.value(leaf, change.before),
            self.value(leaf, change.after),
        )

    def facts(self, facts: dict[str, Any]) -> str:
        parts = []
        if "on" in facts:
            parts.append(_("on %(day)s", day=self.day(facts["on"])))
        if "as_of" in facts:
            parts.append(_("as of %(day)s", day=self.day(facts["as_of"])))
        if "figures_changed" in facts:
            count = int(facts["figures_changed"])
            parts.append(ngettext("%(num)d figure changed", "%(num)d figures changed", count))
        return ", ".join(parts)

    def value(self, key: str, value: Any) -> str:
        """One value as a reader says it."""
        if value is None:
            return "—"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, dict):  # a whole section added or removed
            return _("included")
        if isinstance(value, list):
            return self.rows(key, value)
        if key in _DATES:
            return self.day(value)
        if key.endswith("_pct"):
            return self.fig.percent(Decimal(str(value)))
        if key in _MONEY or (key == "rate" and value not in WORDS):
            return self.fig.money(Decimal(str(value)), self.currency)
        if isinstance(value, int):
            return self.fig.number(value)
        return str(WORDS.get(value, value))

    def rows(self, key: str, rows: list[Any]) -> str:
        """A list field in short: the block's room nights, dates with their limits."""
        if not rows:
            return "—"
        if key == "block":
            nights = sum(int(r["rooms"]) for r in rows)
            worth = sum((int(r["rooms"]) * Decimal(r["rate"]) for r in rows), Decimal(0))
            count = ngettext("%(num)d room night", "%(num)d room nights", nights)
            return f"{count} · {self.fig.money(worth, self.currency)}"
        if key == "review_dates":
            return ", ".join(
                f"{self.day(on)} ({self.fig.percent(Decimal(str(pct)))})" for on, pct in rows
            )
        if key == "services":
            return ", ".join(
                f"{r['name']} {self.fig.money(Decimal(r['minimum']), self.currency)}" for r in rows
            )
        if key == "schedule":
            return ", ".join(
                _("%(days)s+ days: %(pct)s", days=r["min_days"], pct=self.pct(r["pct"]))
                for r in rows
            )
        if key == "scale":
            return ", ".join(
                _(
                    "pickup %(pickup)s+: %(pct)s",
                    pickup=self.pct(r["min_pickup_pct"]),
                    pct=self.pct(r["charge_pct"]),
                )
                for r in rows
            )
        return self.fig.number(len(rows))

    def pct(self, value: Any) -> str:
        return self.fig.percent(Decimal(str(value)))

    def day(self, value: Any) -> str:
        return self.fig.day(date.fromisoformat(value) if isinstance(value, str) else value)
