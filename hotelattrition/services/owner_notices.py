"""Mail to a contract's owner when the planner writes through the link: a damages invoice
disputed, or the final pickup statement commented on.

The owner is the reminders' (services.owners.contract_owner: its creator, else who made its
links, else the property's manager), in that user's language, else the property's.
Each notice is queued in the outbox with the fact that causes it (services.mail), under a key
of its own per event, so a retried request queues nothing more. A contract with no owner
sends none.
"""

from __future__ import annotations

import logging
from datetime import date

from ..documents.mail import OwnerNotice, figures_locale, render_owner_notice
from ..models import Contract, Dispute, OutgoingMail, StatementReply
from .mail import Draft, queue_mail
from .reminders import owner_recipient

log = logging.getLogger(__name__)


def notify_dispute(dispute: Dispute, url: str, sender: str) -> OutgoingMail | None:
    """Tell the owner the planner disputed an invoice; `url` is the hotel's dispute page."""
    first = dispute.messages[0].body if dispute.messages else ""
    nights = tuple(date.fromisoformat(n) for n in dispute.nights)
    return _notify(
        dispute.contract, f"owner:dispute:{dispute.id}", "dispute", dispute.invoice.number,
        nights, first, url, sender,
    )  # fmt: skip


def notify_comment(reply: StatementReply, url: str, sender: str) -> OutgoingMail | None:
    """Tell the owner the planner commented on the final pickup statement (a reply that
    accepts every night sends nothing); `url` is the hotel's contract page."""
    commented = [n for n in reply.nights if not n["accepted"]]
    if not commented:
        return None
    comments = tuple((date.fromisoformat(n["night"]), str(n["comment"])) for n in commented)
    return _notify(
        reply.statement.contract, f"owner:comment:{reply.id}", "comment", "",
        tuple(night for night, _words in comments), "", url, sender, comments,
    )  # fmt: skip


def _notify(
    contract: Contract, event_key: str, event: str, invoice_number: str,
    nights: tuple[date, ...], message: str, url: str, sender: str,
    comments: tuple[tuple[date, str], ...] = (),
) -> OutgoingMail | None:  # fmt: skip
    reader = owner_recipient(contract)
    if reader is None:
        log.info("owner notice (%s) for %s: no owner to tell", event, contract.code)
        return None
    rendered = render_owner_notice(
        OwnerNotice(
            language=reader.language,
            locale=figures_locale(reader.language, contract.property.locale),
            event=event,
            contract_code=contract.code,
            contract_name=contract.name,
            account_name=contract.account.name,
            property_name=contract.property.name,
            invoice_number=invoice_number,
            nights=nights,
            message=message,
            url=url,
            comments=comments,
        )
    )
    draft = Draft(
        f"{event_key}:{reader.address}", f"owner_{event}", reader.address, reader.language,
        rendered.subject, rendered.text, rendered.html, contract,
    )  # fmt: skip
    return queue_mail(draft, sender)
