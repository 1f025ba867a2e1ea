"""Users: create, deactivate, authenticate with throttling, API tokens."""

from __future__ import annotations

import hashlib
import logging
import math
import re
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import ApiToken, LoginAttempt, Property, User
from ..models.users import ROLES
from . import AlreadyExists, NotFound, ServiceError, login_throttle
from .audit import record_change
from .refusals import _

log = logging.getLogger(__name__)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MIN_PASSWORD = 10
# A dummy hash verified for unknown e-mails, so both failures take the same time.
_DUMMY = "dummy-password-for-timing"


class LoginRefused(ServiceError):
    """Wrong credentials, or too many attempts (then `retry_seconds` is set)."""

    def __init__(self, message: str, retry_seconds: int | None = None):
        super().__init__(message)
        self.retry_seconds = retry_seconds


def now() -> datetime:
    return datetime.now(UTC)


@cache
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def password_hasher() -> PasswordHasher:
    """Argon2id at the configured cost (OWASP's 19 MiB, 2 passes, 1 lane unless testing)."""
    cfg = current_app.config
    return _hasher(cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_KIB"], cfg["ARGON2_PARALLELISM"])


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFound(_("user %(email)s not found", email=email))
    return user


def create_user(
    email: str, role: str, password: str, property_codes: Iterable[str] = (), name: str = ""
) -> User:
    """Add a user with a role and the properties it may see (admins see all)."""
    email = normalise_email(email)
    problems = []
    if not _EMAIL.fullmatch(email):
        problems.append(("email", "must be an e-mail address"))
    if role not in ROLES:
        problems.append(("role", "must be one of " + ", ".join(ROLES)))
    if len(password) < MIN_PASSWORD:
        problems.append(("password", f"must have at least {MIN_PASSWORD} characters"))
    codes = list(property_codes)
    properties = list(db.session.scalars(select(Property).where(Property.code.in_(codes))))
    missing = sorted(set(codes) - {p.code for p in properties})
    if missing:
        problems.append(("property", "unknown property " + ", ".join(missing)))
    if problems:
        raise ServiceError("; ".join(f"{f}: {m}" for f, m in problems), problems)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AlreadyExists(f"user {email} already exists")
    user = User(email=email, name=name, role=role, password_hash=password_hasher().hash(password))
    user.properties = properties
    db.session.add(user)
    db.session.flush()
    log.info("user created: %s (id %s), role %s", user.email, user.id, user.role)
    return user


def deactivate_user(email: str) -> User:
    """Stop a user: no login, every session and token stops working."""
    user = get_user(email)
    user.active = False
    user.session_version += 1
    log.info("user deactivated: %s (id %s)", user.email, user.id)
    return user


def change_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ServiceError(
            _("password: must have at least %(num)s characters", num=MIN_PASSWORD),
            [("password", _("must have at least %(num)s characters", num=MIN_PASSWORD))],
        )
    user.password_hash = password_hasher().hash(password)
    user.session_version += 1
    user.must_change_password = False


def change_own_password(user: User, current: str, new: str, address: str) -> None:
    """Change a signed-in user's password once their current one is confirmed.

    The current password is checked as a login is, throttled by the same (e-mail, address)
    pair, so a stolen session cannot guess it faster than the sign-in page allows.
    """
    authenticate(user.email, current, address)
    change_password(user, new)
    log.info("password changed for %s", user.email)


def end_sessions(user: User) -> None:
    """Invalidate every session cookie of the user (logout)."""
    user.session_version += 1


def authenticate(email: str, password: str, address: str, at: datetime | None = None) -> User:
    """Return the user for these credentials; raise LoginRefused (same words for any failure).

    The (e-mail, address) pair's throttle row stays locked until the caller commits, so
    parallel attempts for one pair are checked one after the other, never past the limit.
    """
    email = normalise_email(email)[:254]
    address = address[:64]
    at = at or now()
    pair = login_throttle.lock_pair(email, address)
    wait = login_throttle.wait_for(pair, at)
    if wait is not None:
        seconds = max(1, math.ceil(wait.total_seconds()))
        raise LoginRefused(f"Too many failed attempts. Try again in {seconds} seconds.", seconds)
    user = db.session.scalar(select(User).where(User.email == email))
    ok = bool(
        _verify(user.password_hash if user else None, password) and user is not None and user.active
    )
    login_throttle.record(pair, ok, at)
    db.session.add(LoginAttempt(email=email, address=address, succeeded=ok, at=at))
    if not ok:
        raise LoginRefused("Invalid email or password.")
    assert user is not None
    if password_hasher().check_needs_rehash(user.password_hash):
        user.password_hash = password_hasher().hash(password)
    return user


def _verify(password_hash: str | None, password: str) -> bool:
    hasher = password_hasher()
    try:
        return hasher.verify(password_hash or _dummy_hash(hasher), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash(_DUMMY)


def load_session_user(session_id: str) -> User | None:
    """The user of a session id "USER_ID:SESSION_VERSION", if it is still valid."""
    user_id, _sep, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    # With the properties it may see, in the same query: nearly every page scopes by them.
    user = db.session.get(User, int(user_id), options=[joinedload(User.properties)])
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


# API tokens -----------------------------------------------------------------------------------


def _digest(token: str) -> str:
    # Tokens are 256 random bits: a plain SHA-256 is enough, no slow hash is needed.
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(email: str, name: str | None = None) -> tuple[ApiToken, str]:
    """Create an API token for the user; return it with the token text, shown only once."""
    user = get_user(email)
    if not user.active:
        raise ServiceError(f"user {user.email} is deactivated")
    name = name or f"{user.email}-{now():%Y%m%d%H%M%S}"
    if db.session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise AlreadyExists(f"token {name} already exists")
    text = "ha_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=_digest(text))
    db.session.add(token)
    db.session.flush()
    # The name and ids only: the token's text is a secret, shown once to its owner.
    log.info(
        "API token created: %s (id %s) for user %s (id %s)", name, token.id, user.email, user.id
    )
    return token, text


def revoke_token(name: str) -> ApiToken:
    token = db.session.scalar(select(ApiToken).where(ApiToken.name == name))
    if token is None:
        raise NotFound(_("token %(name)s not found", name=name))
    token.revoked_at = token.revoked_at or now()
    log.info("API token revoked: %s (id %s)", token.name, token.id)
    return token


def user_for_token(text: str) -> User | None:
    """The active user a bearer token acts for, or None."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(text)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    token.last_used_at = now()
    return token.user


# The administrator's users page -----------------------------------------------------------

TEMPORARY_PASSWORD_BYTES = 12  # 16 URL-safe characters, well above MIN_PASSWORD


def temporary_password() -> str:
    """A random password for a new or reset user, who must replace it at next sign-in."""
    return secrets.token_urlsafe(TEMPORARY_PASSWORD_BYTES)


def invite_user(
    actor: User, email: str, name: str, role: str, property_codes: Iterable[str]
) -> tuple[User, str]:
    """Create a user with a temporary password (returned, shown once) to change at sign-in."""
    password = temporary_password()
    user = create_user(email, role, password, property_codes, name=name.strip())
    user.must_change_password = True
    record_change(actor, "create_user", "user", user.email, _access(user))
    return user, password


def set_access(
    actor: User, user: User, name: str, role: str, property_codes: Iterable[str]
) -> User:
    """Change a user's name, role and properties; an admin cannot demote themself."""
    codes = list(property_codes)
    problems = []
    if role not in ROLES:
        problems.append(("role", "must be one of " + ", ".join(ROLES)))
    elif user.id == actor.id and role != user.role:
        problems.append(("role", "you cannot change your own role"))
    properties = list(db.session.scalars(select(Property).where(Property.code.in_(codes))))
    missing = sorted(set(codes) - {p.code for p in properties})
    if missing:
        problems.append(("properties", "unknown property " + ", ".join(missing)))
    if len(name.strip()) > 200:
        problems.append(("name", "at most 200 characters"))
    if problems:
        raise ServiceError("; ".join(f"{f}: {m}" for f, m in problems), problems)
    before = _access(user)
    user.name, user.role = name.strip(), role
    user.properties = sorted(properties, key=lambda p: p.code)
    after = _access(user)
    changes = {k: {"before": before[k], "after": v} for k, v in after.items() if before[k] != v}
    if changes:
        if "role" in changes or "properties" in changes:
            user.session_version += 1  # what the user may see changed: sign in again
        record_change(actor, "edit_user", "user", user.email, changes)
        log.info("user %s (id %s) edited: %s", user.email, user.id, ", ".join(changes))
    return user


def set_active(actor: User, user: User, active: bool) -> User:
    """Deactivate (every session and token stops) or reactivate a user; never oneself."""
    if user.id == actor.id:
        raise ServiceError(
            _("you cannot deactivate yourself"), [("", _("you cannot deactivate yourself"))]
        )
    if user.active == active:
        return user
    if active:
        user.active = True
        log.info("user reactivated: %s (id %s)", user.email, user.id)
    else:
        deactivate_user(user.email)
    record_change(actor, "reactivate_user" if active else "deactivate_user", "user", user.email, {})
    return user


def reset_password(actor: User, user: User) -> str:
    """Give the user a temporary password (returned, shown once) to change at next sign-in."""
    password = temporary_password()
    change_password(user, password)  # ends the user's sessions too
    user.must_change_password = True
    record_change(actor, "reset_password", "user", user.email, {})
    log.info("password reset for %s (id %s) by %s", user.email, user.id, actor.email)
    return password


def _access(user: User) -> dict[str, object]:
    return {
        "name": user.name,
        "role": user.role,
        "properties": sorted(p.code for p in user.properties),
    }
