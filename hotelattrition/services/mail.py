"""Outgoing mail through an outbox: recorded with the fact that causes it, sent after, once.

What is guaranteed, exactly:

- `queue_mail` adds the message's row in the caller's transaction, so a mail exists if and
  only if the business fact beside it commits. Its `key` is unique: asking again for the same
  key (a rerun, two workers at once) finds the first row and adds nothing.
- One attempt (`jobs.send_one`) is three steps. (1) `claim_mail` locks the row; one that is
  not "queued", or not due yet, is left alone; else it becomes "sending" with one more attempt,
  and that is committed. (2) `deliver` hands the message to the SMTP server. (3) `record_outcome`
  marks it "sent"; or, when the message certainly did not go (no connection, TLS or login
  failed, the server refused the sender, the recipients or the data), "queued" again with a
  later `next_attempt_at` (doubling from RETRY_FIRST_SECONDS), or "failed" after MAX_ATTEMPTS or
  a permanent (5xx) refusal; or "unconfirmed" when the connection broke mid-message.
- A row found "sending" by a later attempt (a retried job of a dead worker), or still
  "sending" STALE_SENDING after its attempt began (`due_mail`, the hourly sweep), means an
  attempt died between (1) and (3): the server may have the message. It is marked
  "unconfirmed" and never sent again by the app. (A duplicate job meeting an attempt still in
  flight marks it so too; that attempt then marks it "sent".)
  So a message is **sent at most once per key** (never twice, whoever retries and however a
  worker dies), and at least once unless a sender dies mid-attempt or the connection breaks
  mid-message: those few are listed "unconfirmed" on the Mail sent page, for a person to check.
- Its Message-ID is derived from the key, so a copy that did reach a mailbox twice (a person
  resending an unconfirmed one by hand) is recognisable as the same message.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Contract, OutgoingMail, User
from ..models.mail import ERROR_MAX, KEY_MAX
from . import ServiceError
from .audit import record_change
from .refusals import _

log = logging.getLogger(__name__)
# An address in a server's refusal ("550 <ana@example.com>: no such user"): never logged.
_ADDRESS = re.compile(r"[^\s<>\"']+@[^\s<>\"']+")

MAX_ATTEMPTS = 8  # of a server's temporary (4xx) refusals
# No connection, TLS or login: retried (RETRY_* apart) until this long after it was queued.
GIVE_UP = timedelta(days=3)
NO_SERVER_RETRY_SECONDS = 15 * 60  # no SMTP_HOST: looked at again, never counted an attempt
RESENDABLE = ("failed", "unconfirmed")  # states a person may send again
RETRY_FIRST_SECONDS = 60  # then 120, 240... up to RETRY_MAX_SECONDS
RETRY_MAX_SECONDS = 6 * 3600
# A row "sending" for longer than this has lost its sender (an SMTP attempt times out sooner).
STALE_SENDING = timedelta(minutes=15)


def message_id_for(key: str, sender: str) -> str:
    """The Message-ID of the mail with this key: the same key, the same id."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "hotelattrition.invalid"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


@dataclass(frozen=True)
class Draft:
    key: str
    kind: str
    to_address: str
    language: str
    subject: str
    text: str
    html: str
    contract: Contract | None = None


def queue_mail(draft: Draft, sender: str, now: datetime | None = None) -> OutgoingMail | None:
    """Record a mail in the current transaction; None when its key is recorded already."""
    if len(draft.key) > KEY_MAX:
        raise ValueError(f"mail key longer than {KEY_MAX}: {draft.key[:80]}...")
    if db.session.scalar(select(OutgoingMail.id).where(OutgoingMail.key == draft.key)):
        return None
    now = now or datetime.now(UTC)
    mail = OutgoingMail(
        key=draft.key,
        message_id=message_id_for(draft.key, sender),
        kind=draft.kind,
        contract=draft.contract,
        to_address=draft.to_address,
        language=draft.language,
        subject=draft.subject[:300],
        body_text=draft.text,
        body_html=draft.html,
        state="queued",
        attempts=0,
        last_error="",
        next_attempt_at=now,
        created_at=now,
    )
    try:
        with db.session.begin_nested():  # another process recorded the same key meanwhile
            db.session.add(mail)
    except IntegrityError:
        return None
    log.info("mail %s queued (%s)", mail.id, draft.kind)
    return mail


def due_mail(now: datetime | None = None) -> list[int]:
    """The mail to attempt now; rows left "sending" by a dead sender become "unconfirmed"."""
    now = now or datetime.now(UTC)
    stale = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.state == "sending", OutgoingMail.attempted_at < now - STALE_SENDING)
        .values(state="unconfirmed", last_error=UNCONFIRMED)
        .returning(OutgoingMail.id, OutgoingMail.kind)
    ).all()
    for mail_id, kind in stale:
        log.warning("mail %s (%s) unconfirmed: its sender stopped mid-attempt", mail_id, kind)
    return list(
        db.session.scalars(
            select(OutgoingMail.id)
            .where(OutgoingMail.state == "queued", OutgoingMail.next_attempt_at <= now)
            .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
        )
    )


UNCONFIRMED = "an attempt stopped after it began: the message may have been sent; not sent again"


def claim_mail(mail_id: int, sender: str, now: datetime | None = None) -> EmailMessage | None:
    """Step 1: mark a due mail "sending" (the caller commits before sending); its message.

    None when there is nothing to send: sent, failed, not due yet, or found "sending" (an
    earlier attempt died after recording: it may have gone, so it is marked "unconfirmed").
    """
    now = now or datetime.now(UTC)
    mail = db.session.scalars(
        select(OutgoingMail)
        .where(OutgoingMail.id == mail_id)
        .with_for_update()  # a duplicate job waits here, then finds it claimed
        .execution_options(populate_existing=True)
    ).one_or_none()
    if mail is None:
        return None
    if mail.state == "sending":
        mail.state, mail.last_error = "unconfirmed", UNCONFIRMED
        log.warning(
            "mail %s (%s) unconfirmed: an earlier attempt stopped mid-way", mail.id, mail.kind
        )
        return None
    if mail.state != "queued" or _aware(mail.next_attempt_at) > now:
        return None
    mail.state, mail.attempts, mail.attempted_at = "sending", mail.attempts + 1, now
    return build_message(mail, sender, now)


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes for timezone-aware columns: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def build_message(mail: OutgoingMail, sender: str, now: datetime) -> EmailMessage:
    """The MIME message: plain text with an HTML alternative."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id
    message["Date"] = format_datetime(now)
    message["Auto-Submitted"] = "auto-generated"  # no out-of-office replies, please
    message.set_content(mail.body_text)
    message.add_alternative(mail.body_html, subtype="html")
    message["Content-Language"] = mail.language  # after the content, which clears Content-*
    return message


@dataclass(frozen=True)
class Outcome:
    state: str  # "sent", "queued" (did not go, try again), "failed", "unconfirmed"
    error: str = ""
    # How a "queued" one failed: "server" (the server answered 4xx: MAX_ATTEMPTS), "connection"
    # (no connection, TLS or login: retried until GIVE_UP after it was queued) or "no_server"
    # (no SMTP_HOST: not an attempt, waits until one is set).
    reason: str = "server"


def deliver(message: EmailMessage, settings: Mapping[str, Any]) -> Outcome:
    """Step 2: hand the message to the SMTP server; what is known of its fate."""
    host = settings.get("SMTP_HOST") or ""
    if not host:
        return Outcome("queued", "no mail server: set SMTP_HOST (and SMTP_PORT)", "no_server")
    timeout = settings.get("SMTP_TIMEOUT", 30)
    try:
        if settings.get("SMTP_SSL"):
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                host, settings["SMTP_PORT"], timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, settings["SMTP_PORT"], timeout=timeout)
    except (OSError, smtplib.SMTPException) as error:
        error_said = f"cannot reach {host}:{settings['SMTP_PORT']}: {error}"
        return Outcome("queued", error_said, "connection")
    try:
        return _send(smtp, message, settings)
    finally:
        smtp.close()


def _send(smtp: smtplib.SMTP, message: EmailMessage, settings: Mapping[str, Any]) -> Outcome:
    try:
        if settings.get("SMTP_STARTTLS"):
            smtp.starttls(context=ssl.create_default_context())
        if settings.get("SMTP_USERNAME"):
            smtp.login(settings["SMTP_USERNAME"], settings.get("SMTP_PASSWORD") or "")
    except smtplib.SMTPResponseException as refused:
        return _refused(refused.smtp_code, refused.smtp_error)
    except (OSError, smtplib.SMTPException) as error:
        return Outcome("queued", f"before sending: {error}", "connection")
    # The envelope first: until DATA begins the server cannot have kept anything.
    try:
        smtp.ehlo_or_helo_if_needed()
        for command, argument, accepted in (
            (smtp.mail, parseaddr(str(message["From"]))[1], (250,)),
            (smtp.rcpt, parseaddr(str(message["To"]))[1], (250, 251)),
        ):
            code, text = command(argument)
            if code not in accepted:
                return _refused(code, text)
    except (OSError, smtplib.SMTPException) as error:
        return Outcome("queued", f"before sending: {error}", "connection")
    try:
        smtp.data(message.as_bytes(policy=SMTP))
    except smtplib.SMTPResponseException as refused:  # the data refused: nothing kept
        return _refused(refused.smtp_code, refused.smtp_error)
    except (OSError, smtplib.SMTPException) as error:  # the line broke mid-message
        return Outcome("unconfirmed", f"connection lost while sending: {error}")
    with contextlib.suppress(OSError, smtplib.SMTPException):
        smtp.quit()  # the server has accepted the message: its QUIT no longer matters
    return Outcome("sent")


def _refused(code: int, text: bytes | str) -> Outcome:
    reason = text.decode(errors="replace") if isinstance(text, bytes) else text
    return Outcome("failed" if code >= 500 else "queued", f"server refused: {code} {reason}")


def record_outcome(mail_id: int, outcome: Outcome, now: datetime | None = None) -> OutgoingMail:
    """Step 3: mark the attempt's outcome; a refused or unreachable one waits to be retried."""
    now = now or datetime.now(UTC)
    mail = db.session.get(OutgoingMail, mail_id, with_for_update=True, populate_existing=True)
    assert mail is not None
    state = outcome.state
    queued_at = _aware(mail.queued_at or mail.created_at)
    if state == "queued" and outcome.reason == "no_server":
        mail.attempts -= 1  # nothing was attempted: the mail waits for a server
        wait = NO_SERVER_RETRY_SECONDS
    elif state == "queued":
        wait = min(RETRY_FIRST_SECONDS * 2 ** (mail.attempts - 1), RETRY_MAX_SECONDS)
        if outcome.reason == "connection":
            state = "failed" if now - queued_at >= GIVE_UP else state
        elif mail.attempts >= MAX_ATTEMPTS:
            state = "failed"
    mail.state, mail.last_error = state, outcome.error[:ERROR_MAX]
    if state == "sent":
        mail.sent_at = now
    elif state == "queued":
        mail.next_attempt_at = now + timedelta(seconds=wait)
    log.info(
        "mail %s (%s): %s after %s attempt(s) %s",
        mail.id, mail.kind, state, mail.attempts, _ADDRESS.sub("<address>", outcome.error),
    )  # fmt: skip
    return mail


def send_again(actor: User, mail_id: int, now: datetime | None = None) -> OutgoingMail:
    """Queue a failed or unconfirmed mail again (its key, its Message-ID), for a person who
    checked it did not arrive; the caller defers its send job once this commits."""
    now = now or datetime.now(UTC)
    mail = db.session.get(OutgoingMail, mail_id, with_for_update=True, populate_existing=True)
    if mail is None or mail.state not in RESENDABLE:
        raise ServiceError(_("Only a failed or unconfirmed mail can be sent again."))
    was = mail.state
    mail.state, mail.attempts, mail.last_error = "queued", 0, ""
    mail.next_attempt_at = mail.queued_at = now
    record_change(actor, "mail_sent_again", "mail", str(mail.id), {"was": was, "kind": mail.kind})
    log.info("mail %s (%s) queued again by user %s, was %s", mail.id, mail.kind, actor.id, was)
    return mail
