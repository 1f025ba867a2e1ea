"""Guest links: a contract's outside pages (the planner's, later a survey) through a link.

A link's token is never stored. It is derived: HMAC-SHA256(the app's SECRET_KEY, the link's
id and a random nonce kept on the row), URL-safe base64. The row keeps the token's SHA-256,
which the public route looks up (an indexed equality on a hash: the time taken says nothing
about any stored token), then the token is derived again and compared in constant time. So
the hotel side can print a live link again (a reminder's mail), a copy of the database alone
opens nothing, and a rotated SECRET_KEY turns every link off.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request
from sqlalchemy import func, select

from ..extensions import db
from ..models import Contract, GuestLink, GuestLinkView, User
from ..models.guest_links import ADDRESS_MAX, USER_AGENT_MAX
from . import ServiceError
from .audit import actor_name, record_change
from .refusals import _

log = logging.getLogger(__name__)

PURPOSES = ("planner", "survey")
PUBLIC_PATH = "/p/"  # the planner's public route's prefix (web.planner serves it)
# Each purpose's public route's prefix: the survey's is web.surveys'.
PUBLIC_PATHS = {"planner": PUBLIC_PATH, "survey": "/s/"}
# 32 bytes of HMAC in URL-safe base64 without padding: exactly 43 characters.
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


@dataclass(frozen=True)
class ViewSummary:
    count: int
    last_at: datetime | None


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def derive_token(link: GuestLink) -> str:
    """The link's token: HMAC-SHA256(SECRET_KEY, id and nonce), URL-safe base64."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = f"guest-link:{link.id}:{link.nonce}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Days after the contract's departure a purpose's link works, read again at each look-up
# (a stay moved earlier shortens a live link; one moved later keeps the stored expiry).
DAYS_AFTER_DEPARTURE: dict[str, int] = {"planner": 90}


def departure_expiry(contract: Contract, days: int) -> datetime:
    """Midnight ending the `days`th day after the contract's departure, in the hotel's zone."""
    last_day = contract.departure + timedelta(days=days)
    zone = ZoneInfo(contract.property.timezone)
    return datetime.combine(last_day + timedelta(days=1), time(0), zone).astimezone(UTC)


def ends_at(link: GuestLink) -> datetime:
    """When the link stops: its stored expiry, or sooner if the contract's dates moved."""
    stored = aware(link.expires_at)
    days = DAYS_AFTER_DEPARTURE.get(link.purpose)
    return stored if days is None else min(stored, departure_expiry(link.contract, days))


def is_live(link: GuestLink, now: datetime | None = None) -> bool:
    """Unrevoked, unexpired (by the contract's current dates too), and its token is the one
    today's SECRET_KEY derives (after a key change no page may claim or mail a dead link)."""
    return (
        link.revoked_at is None
        and ends_at(link) > _now(now)
        and link.token_hash is not None
        and hmac.compare_digest(token_hash(derive_token(link)), link.token_hash)
    )


def live_link(contract: Contract, purpose: str, now: datetime | None = None) -> GuestLink | None:
    """The contract's link of that purpose that still opens (the newest), or None."""
    moment = _now(now)
    link = db.session.scalars(
        select(GuestLink)
        .where(
            GuestLink.contract_id == contract.id,
            GuestLink.purpose == purpose,
            GuestLink.revoked_at.is_(None),
            GuestLink.expires_at > moment,
        )
        .order_by(GuestLink.id.desc())
        .limit(1)
    ).first()
    return link if link is not None and is_live(link, moment) else None


def _lock(contract: Contract) -> None:
    """Lock the contract's row: two requests making or revoking its links take turns."""
    db.session.scalars(
        select(Contract.id).where(Contract.id == contract.id).with_for_update()
    ).first()


def _unrevoked(contract: Contract, purpose: str) -> list[GuestLink]:
    """Every link of that purpose not revoked yet: the live one, and expired or dead ones."""
    return list(
        db.session.scalars(
            select(GuestLink)
            .where(
                GuestLink.contract_id == contract.id,
                GuestLink.purpose == purpose,
                GuestLink.revoked_at.is_(None),
            )
            .order_by(GuestLink.id)
            .execution_options(populate_existing=True)
        )
    )


def revoke_all_links(actor: User | str, contract: Contract, reason: str) -> list[GuestLink]:
    """Revoke every unrevoked link of the contract, whatever its purpose (the contract was
    marked lost or voided: its outside pages close); audited and logged when there were any."""
    _lock(contract)
    links = [link for purpose in PURPOSES for link in _unrevoked(contract, purpose)]
    name = actor_name(actor)
    for link in links:
        link.revoked_at, link.revoked_by = datetime.now(UTC), name
    if links:
        ids = [link.id for link in links]
        record_change(actor, "guest_links_revoked", "contract", contract.code,
                      {"links": ids, "reason": reason})  # fmt: skip
        log.info("guest links %s revoked for contract %s: %s", ids, contract.code, reason)
    return links


def issue_link(
    actor: User | str, contract: Contract, purpose: str, expires_at: datetime
) -> tuple[GuestLink, str]:
    """Make a new link (revoking the live one of that purpose); return it with its token."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown guest link purpose {purpose!r}")
    if aware(expires_at) <= _now(None):
        raise ServiceError(_("This link would expire at once: the stay is long over."))
    expires_at = expires_at.astimezone(UTC)  # SQLite keeps no zone: every stamp is in UTC
    name = actor_name(actor)
    _lock(contract)
    replaced = live_link(contract, purpose)
    for old in _unrevoked(contract, purpose):  # the live one and any expired: one unrevoked
        old.revoked_at, old.revoked_by = datetime.now(UTC), name
    db.session.flush()  # before the new row: the unique index allows one unrevoked link
    link = GuestLink(
        contract_id=contract.id,
        purpose=purpose,
        nonce=secrets.token_urlsafe(32),
        created_by=name,
        expires_at=expires_at,
    )
    db.session.add(link)
    db.session.flush()  # the token needs the row's id
    token = derive_token(link)
    link.token_hash = token_hash(token)
    db.session.flush()
    record_change(
        actor,
        f"{purpose}_link_created",
        "contract",
        contract.code,
        {
            "link": link.id,
            "expires_at": expires_at.isoformat(),
            "replaced": replaced.id if replaced else None,
        },
    )
    log.info(
        "%s link %s created for contract %s (id %s), expires %s%s",
        purpose, link.id, contract.code, contract.id, expires_at.isoformat(),
        f", replacing link {replaced.id}" if replaced else "",
    )  # fmt: skip
    return link, token


def revoke_link(actor: User | str, contract: Contract, purpose: str) -> GuestLink:
    """Revoke the contract's live link of that purpose; refused when none is live."""
    _lock(contract)
    link = live_link(contract, purpose)
    if link is None:
        raise ServiceError(_("This contract has no live link to revoke."))
    for old in _unrevoked(contract, purpose):  # expired or dead ones close with it
        old.revoked_at, old.revoked_by = datetime.now(UTC), actor_name(actor)
    record_change(actor, f"{purpose}_link_revoked", "contract", contract.code, {"link": link.id})
    log.info("%s link %s revoked for contract %s", purpose, link.id, contract.code)
    return link


def open_link(token: str, purpose: str, now: datetime | None = None) -> GuestLink | None:
    """The live link of that purpose this token opens, or None (unknown, expired, revoked)."""
    if not TOKEN.fullmatch(token):
        return None
    link = db.session.scalars(
        select(GuestLink).where(GuestLink.token_hash == token_hash(token))
    ).first()
    if link is None or link.purpose != purpose or not is_live(link, now):
        return None
    if link.contract.voided_at is not None:  # voided: gone from everywhere, this page too
        return None
    # The hash matched; the token must also be the one today's key derives (a rotated key).
    if not hmac.compare_digest(derive_token(link), token):
        return None
    return link


def links_printable() -> bool:
    """Whether `link_url` can print an address here: PUBLIC_URL is set, or a request is."""
    return bool(current_app.config.get("PUBLIC_URL")) or has_request_context()


def link_url(link: GuestLink) -> str:
    """The link's absolute address: PUBLIC_URL's, else the request's host."""
    return absolute_url(PUBLIC_PATHS[link.purpose] + derive_token(link))


def absolute_url(path: str) -> str:
    """The app's address for a path from its root: PUBLIC_URL (which holds any prefix the app
    is served under) + path, else the request's host and prefix + path."""
    base = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if base:
        return base + path
    if has_request_context():
        return request.host_url.rstrip("/") + request.script_root + path
    raise RuntimeError("set PUBLIC_URL to the app's address to print a link outside a request")


def client_network(address: str | None) -> str:
    """The client's network, not its address: IPv4 cut to /24, IPv6 to /48."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))[:ADDRESS_MAX]


def record_view(
    link: GuestLink | None, network: str, user_agent: str, now: datetime | None = None
) -> None:
    """Log one request to the public route: a view of `link`, or a refused token (None)."""
    db.session.add(
        GuestLinkView(
            link_id=link.id if link else None,
            at=_now(now),
            address=network[:ADDRESS_MAX],
            user_agent=user_agent[:USER_AGENT_MAX],
        )
    )


def too_many(network: str, now: datetime | None = None) -> bool:
    """Whether the network passed the public route's bounds: requests, or refused tokens."""
    cfg = current_app.config
    moment = _now(now)
    window = moment - timedelta(seconds=cfg["GUEST_LINK_WINDOW_SECONDS"])
    row = db.session.execute(
        select(
            func.count().label("requests"),
            func.count(GuestLinkView.id).filter(GuestLinkView.link_id.is_(None)).label("refused"),
        ).where(GuestLinkView.address == network, GuestLinkView.at >= window)
    ).one()
    return bool(
        row.requests >= cfg["GUEST_LINK_MAX_REQUESTS"]
        or row.refused >= cfg["GUEST_LINK_MAX_REFUSED"]
    )


@dataclass(frozen=True)
class Visit:
    """What a request to the public route found: the link, or why there is none."""

    link: GuestLink | None
    busy: bool = False  # the network passed its bounds: nothing was looked up or logged


def visit_link(token: str, purpose: str, address: str | None, user_agent: str) -> Visit:
    """Check the network's bounds, open the token's live link and log the request."""
    network = client_network(address)
    if too_many(network):  # not logged either: a flood must not fill the table or the log
        return Visit(None, busy=True)
    link = open_link(token, purpose)
    record_view(link, network, user_agent)
    return Visit(link)


def view_summary(contract: Contract, purpose: str) -> ViewSummary:
    """How often the contract's links of that purpose were opened, and when last."""
    row = db.session.execute(
        select(
            func.count(GuestLinkView.id).label("views"), func.max(GuestLinkView.at).label("last")
        )
        .join(GuestLink, GuestLink.id == GuestLinkView.link_id)
        .where(GuestLink.contract_id == contract.id, GuestLink.purpose == purpose)
    ).one()
    return ViewSummary(int(row.views), aware(row.last) if row.last else None)
