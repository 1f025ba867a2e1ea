"""Configuration from the environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

INSTANCE = Path(__file__).resolve().parent.parent / "instance"


def default_database_url() -> str:
    return f"sqlite:///{INSTANCE / 'hotelattrition.sqlite'}"


class Config:
    """Settings read once from the environment; DATABASE_URL picks the database."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or default_database_url()
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    WTF_CSRF_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    BABEL_DEFAULT_LOCALE = "en"
    TESTING = False


class TestConfig(Config):
    """Settings for the test suite: TEST_DATABASE_URL or a throwaway SQLite file."""

    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
