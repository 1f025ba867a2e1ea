"""The planner's link: one live link per contract to its planner's page, until departure + 90."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..models import Contract, GuestLink, User
from .guest_links import DAYS_AFTER_DEPARTURE as LINK_DAYS
from .guest_links import (
    aware,
    departure_expiry,
    ends_at,
    issue_link,
    link_url,
    live_link,
    revoke_link,
    view_summary,
)

PURPOSE = "planner"
DAYS_AFTER_DEPARTURE = LINK_DAYS[PURPOSE]


def planner_expiry(contract: Contract) -> datetime:
    """When the link stops: midnight ending the 90th day after departure, in the hotel's zone."""
    return departure_expiry(contract, DAYS_AFTER_DEPARTURE)


def create_planner_link(actor: User | str, contract: Contract) -> tuple[GuestLink, str]:
    """A new planner's link (the live one, if any, is revoked); its token shown this once."""
    return issue_link(actor, contract, PURPOSE, planner_expiry(contract))


def revoke_planner_link(actor: User | str, contract: Contract) -> GuestLink:
    return revoke_link(actor, contract, PURPOSE)


def planner_link(contract: Contract) -> GuestLink | None:
    """The contract's live planner's link, or None."""
    return live_link(contract, PURPOSE)


def planner_url(contract: Contract) -> str | None:
    """The live, unexpired, unrevoked planner's link's absolute URL, or None.

    Outside a request (a worker's mail) the address comes from PUBLIC_URL.
    """
    link = live_link(contract, PURPOSE)
    return link_url(link) if link else None


@dataclass(frozen=True)
class PlannerPanel:
    """What the contract page says of the planner's link, its dates in the hotel's zone."""

    link: GuestLink | None
    created_on: date | None
    last_day: date | None  # the last day the link works
    views: int
    last_view_on: date | None


def planner_panel(contract: Contract) -> PlannerPanel:
    """The live link (if any) and how often the contract's planner's links were viewed."""
    zone = ZoneInfo(contract.property.timezone)
    link = live_link(contract, PURPOSE)
    seen = view_summary(contract, PURPOSE)

    def local(moment: datetime | None) -> date | None:
        return aware(moment).astimezone(zone).date() if moment else None

    return PlannerPanel(
        link,
        local(link.created_at if link else None),
        local(ends_at(link) - timedelta(microseconds=1) if link else None),
        seen.count,
        local(seen.last_at),
    )
