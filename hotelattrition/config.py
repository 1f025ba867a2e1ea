"""Configuration from the environment."""

from __future__ import annotations

import logging
import logging.config
import os
import tempfile
from pathlib import Path
from typing import ClassVar

INSTANCE = Path(__file__).resolve().parent.parent / "instance"


def env_int(name: str, default: int) -> int:
    """An integer setting from the environment; an unset or empty one is the default."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def default_database_url() -> str:
    return f"sqlite:///{INSTANCE / 'hotelattrition.sqlite'}"


class Config:
    """Settings read once from the environment; DATABASE_URL picks the database."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or default_database_url()
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    WTF_CSRF_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    # Set behind a TLS-terminating proxy that does not say so: the cookie never goes over HTTP.
    SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE")
    # Proxy hops in front of the app whose X-Forwarded-For/-Proto to trust (0: none, the default,
    # so a client cannot pick its own address for login throttling).
    TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
    # Request bodies above this many MB are refused with 413 before they are read.
    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH_MB", 50) * 1024 * 1024
    SESSION_COOKIE_SAMESITE = "Lax"
    # Pickup files kept between their preview and the confirmed import.
    PICKUP_UPLOAD_DIR = os.environ.get("PICKUP_UPLOAD_DIR") or str(INSTANCE / "pickup-uploads")
    BABEL_DEFAULT_LOCALE = "en"
    TESTING = False
    # Argon2id at OWASP's recommended minimum: 19 MiB of memory, 2 passes, 1 lane.
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_KIB = 19 * 1024
    ARGON2_PARALLELISM = 1
    # Login throttling per (e-mail, address), held in the database across app processes: after
    # the free failures in a row each attempt waits 1, 2, 4... seconds, up to the maximum.
    LOGIN_FREE_FAILURES = 3
    LOGIN_MAX_DELAY_SECONDS = 15 * 60
    # Against spraying many accounts from one address; pairs that signed in before are spared.
    LOGIN_WINDOW_SECONDS = 15 * 60
    LOGIN_MAX_FAILURES_PER_ADDRESS = 100
    # The app's public address (https://attrition.hotel.example): the planner's link printed
    # outside a request (a reminder's mail) starts with it; in a request the host is used.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "").strip()
    # The planner's page needs no login: per client network (/24), at most this many requests,
    # and this many unknown, expired or revoked tokens, in the window; then 429.
    GUEST_LINK_WINDOW_SECONDS = 10 * 60
    GUEST_LINK_MAX_REQUESTS = 120
    GUEST_LINK_MAX_REFUSED = 20


def mail_settings() -> dict[str, object]:
    """Outgoing mail from the environment, read when an app is built (after `run` has started
    its local SMTP server and named it in SMTP_HOST/SMTP_PORT).

    SMTP_HOST unset: no server is configured, and mail waits in the outbox with that reason.
    SMTP_SSL: TLS from the first byte (port 465); SMTP_STARTTLS: upgrade a plain connection.
    REMINDER_DAYS_BEFORE: the days before each review date and cut-off a reminder goes,
    app-wide ("30,7" by default).
    """
    return {
        "SMTP_HOST": os.environ.get("SMTP_HOST", "").strip(),
        "SMTP_PORT": env_int("SMTP_PORT", 465 if env_flag("SMTP_SSL") else 25),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": env_flag("SMTP_STARTTLS"),
        "SMTP_SSL": env_flag("SMTP_SSL"),
        "SMTP_TIMEOUT": env_int("SMTP_TIMEOUT", 30),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "").strip()
        or "hotelattrition <reminders@hotelattrition.invalid>",
        "REMINDER_DAYS_BEFORE": os.environ.get("REMINDER_DAYS_BEFORE", "30,7"),
    }


class TestConfig(Config):
    """Settings for the test suite: TEST_DATABASE_URL or a throwaway SQLite file."""

    TESTING = True
    PICKUP_UPLOAD_DIR = str(Path(tempfile.gettempdir()) / f"hotelattrition-tests-{os.getpid()}")
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # Cheap hashing in tests only; production keeps the OWASP cost above.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_KIB = 8


# Logging, configured once per process: one line per record on stderr. The app's own loggers
# (`hotelattrition.*`: a line per business operation, from the services) log at
# HOTELATTRITION_LOG_LEVEL, every other library at WARNING. The web's default is INFO; the
# commands' is WARNING, so their output stays what scripts read unless asked for more.
LEVEL_VARIABLE = "HOTELATTRITION_LOG_LEVEL"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_configured = False


def log_config(level: str) -> dict:
    """The dictConfig of the app: its loggers at `level`, the rest at WARNING, to stderr."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"format": FORMAT}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "line"}},
        "root": {"level": "WARNING", "handlers": ["stderr"]},
        "loggers": {"hotelattrition": {"level": level}},
    }


def configure_logging(default: str = "INFO") -> None:
    """Configure logging the first time only; HOTELATTRITION_LOG_LEVEL overrides `default`."""
    global _configured
    if _configured:
        return
    _configured = True
    wanted = os.environ.get(LEVEL_VARIABLE, "").strip().upper()
    logging.config.dictConfig(log_config(wanted if wanted in LEVELS else default))
    if wanted and wanted not in LEVELS:
        logging.getLogger(__name__).warning(
            "%s=%s is not one of %s; logging at %s",
            LEVEL_VARIABLE, wanted[:20], ", ".join(LEVELS), default,
        )  # fmt: skip
