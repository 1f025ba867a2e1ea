"""Reminders before each review date and cut-off, to the planner and the contract's owner.

Days before (REMINDER_DAYS_BEFORE, app-wide, "30,7" by default) cut the time before a date
into windows: with 30 and 7, a date 8 to 30 days ahead (in the property's time zone) is in
the 30-day window, 1 to 7 days ahead in the 7-day one. Each window sends one reminder per
recipient, however often this runs: the key is (contract, date kind, date, days before,
recipient), recorded in the outbox with the mail (services.mail). A contract signed 20 days
before its review date gets that window's reminder at once, late; one signed 5 days before
gets the 7-day one only.

Recipients: the account's contact (the planner), in the language chosen on the account; the
contract's owner (services.owners.contract_owner: its creator, else who made its links, else
the property's manager), in that user's language, else the property's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..documents.mail import ReminderFigures, figures_locale, render_reminder
from ..documents.templates import LANGUAGES, language_of
from ..extensions import db
from ..models import Contract, OutgoingMail, ReviewDate
from ..models.contracts import not_voided
from .guest_links import links_printable
from .mail import Draft, queue_mail
from .owners import contract_owner
from .planner import planner_url

log = logging.getLogger(__name__)

OPEN_STATUSES = ("tentative", "definite")


def days_before(setting: str) -> tuple[int, ...]:
    """The REMINDER_DAYS_BEFORE setting ("30,7") as distinct positive days, largest first."""
    days = sorted({int(part) for part in setting.replace(" ", "").split(",") if part}, reverse=True)
    if not days or days[-1] < 1 or days[0] > 365:
        raise ValueError(f"REMINDER_DAYS_BEFORE: days from 1 to 365, e.g. 30,7 (not {setting!r})")
    return tuple(days)


def window(days_left: int, days: tuple[int, ...]) -> int | None:
    """The window (its days before) a date `days_left` ahead is in; None outside them all."""
    for offset, next_offset in zip(days, (*days[1:], 0), strict=True):
        if next_offset < days_left <= offset:
            return offset
    return None


def planner_link(contract: Contract) -> str | None:
    """The planner's live link for the reminder, or None: no link is live, or the app has no
    PUBLIC_URL to print one with outside a request (the reminder then goes without it)."""
    if not links_printable():
        log.warning(
            "reminder for %s without the planner's link: PUBLIC_URL is unset", contract.code
        )
        return None
    return planner_url(contract)


@dataclass(frozen=True)
class Recipient:
    address: str
    language: str


def queue_reminders(
    days: tuple[int, ...],
    sender: str,
    now: datetime | None = None,
    link: Callable[[Contract], str | None] = planner_link,
) -> list[OutgoingMail]:
    """Record every reminder due now and not yet recorded; the new outbox rows."""
    now = now or datetime.now(UTC)
    queued: list[OutgoingMail] = []
    for contract, kind, on, limit in _dates_ahead(now, max(days)):
        today = contract.property.today(now)
        offset = window((on - today).days, days)
        if offset is None or contract.settlement is None:
            continue
        for recipient in recipients(contract):
            key = f"reminder:{contract.id}:{kind}:{on.isoformat()}:{offset}:{recipient.address}"
            if db.session.scalar(select(OutgoingMail.id).where(OutgoingMail.key == key)):
                continue  # recorded by an earlier run: not even rendered again
            figures = _figures(contract, kind, on, (on - today).days, limit, recipient, link)
            rendered = render_reminder(figures)
            draft = Draft(
                key, "reminder", recipient.address, recipient.language,
                rendered.subject, rendered.text, rendered.html, contract,
            )  # fmt: skip
            if (mail := queue_mail(draft, sender, now)) is not None:
                queued.append(mail)
    if queued:
        log.info("reminders: %s queued", len(queued))
    return queued


def _dates_ahead(
    now: datetime, horizon: int
) -> Iterator[tuple[Contract, str, date, Decimal | None]]:
    """Open contracts' review dates and cut-offs within the horizon (a day's margin either
    side for the properties' time zones), in date order."""
    first, last = now.date() - timedelta(days=1), now.date() + timedelta(days=horizon + 1)
    contracts = db.session.scalars(
        select(Contract)
        .where(
            not_voided(),
            Contract.status.in_(OPEN_STATUSES),
            or_(
                Contract.cutoff_on.between(first, last),
                Contract.id.in_(
                    select(ReviewDate.contract_id).where(ReviewDate.review_on.between(first, last))
                ),
            ),
        )
        .options(
            selectinload(Contract.review_dates),
            selectinload(Contract.property),
            selectinload(Contract.account),
            selectinload(Contract.settlement),
        )
        .order_by(Contract.id)
    )
    for contract in contracts:
        for review in contract.review_dates:
            if first <= review.review_on <= last:
                yield contract, "review", review.review_on, review.max_reduction_pct
        if contract.cutoff_on is not None and first <= contract.cutoff_on <= last:
            yield contract, "cutoff", contract.cutoff_on, None


def recipients(contract: Contract) -> list[Recipient]:
    """The planner (the account's contact) and the owner, once each."""
    found: list[Recipient] = []
    account = contract.account
    if account.contact_email:
        language = account.contact_language if account.contact_language in LANGUAGES else "en"
        found.append(Recipient(account.contact_email.lower(), language))
    mine = owner_recipient(contract)
    if mine is not None and all(r.address != mine.address for r in found):
        found.append(mine)
    return found


def owner_recipient(contract: Contract) -> Recipient | None:
    """The contract's owner as a mail's reader: in the user's language, else the property's."""
    user = contract_owner(contract)
    if user is None:
        return None
    chosen = user.language if user.language in LANGUAGES else None
    return Recipient(user.email.lower(), chosen or language_of(contract.property.locale))


def _figures(
    contract: Contract,
    kind: str,
    on: date,
    days_left: int,
    limit: Decimal | None,
    recipient: Recipient,
    link: Callable[[Contract], str | None],
) -> ReminderFigures:
    settlement = contract.settlement
    assert settlement is not None
    return ReminderFigures(
        language=recipient.language,
        locale=figures_locale(recipient.language, contract.property.locale),
        contract_code=contract.code,
        contract_name=contract.name,
        account_name=contract.account.name,
        property_name=contract.property.name,
        arrival=contract.arrival,
        departure=contract.departure,
        date_kind=kind,
        date_on=on,
        days_left=days_left,
        max_reduction_pct=limit,
        block_room_nights=settlement.contracted,
        picked_up=settlement.picked_up,
        minimum=settlement.minimum,
        still_needed=settlement.shortfall,
        damages=settlement.total,
        currency=settlement.currency,
        planner_url=link(contract),
    )
