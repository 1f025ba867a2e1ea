"""The database extension, created unbound and attached in create_app.

The web-only extensions (CSRF, logins, languages) live in web/extensions.py and Flask-Migrate
is attached by create_app, so a command that only reads and writes the database imports
neither them nor Alembic.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any, ClassVar

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, Table, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so migrations can drop and alter them by name on every engine.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    if TYPE_CHECKING:
        # A model's table is a Table (DeclarativeBase says FromClause, which insert() refuses).
        __table__: ClassVar[Table]


db = SQLAlchemy(model_class=Base)

# The models' base class. db.Model is made at run time, which a type checker cannot follow;
# to it, a model is a declarative class of Base (what db.Model adds, `query`, goes unused).
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model


@event.listens_for(Engine, "do_connect")
def _postgres_in_utc(dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
    """PostgreSQL sessions in UTC, whatever the server's own zone: a stored instant's day and
    year (the retention report's periods of entry) are UTC's in SQL as in Python."""
    if dialect.name == "postgresql":
        params["options"] = " ".join(filter(None, (params.get("options"), "-c TimeZone=UTC")))


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys and let SQLAlchemy own transactions (SAVEPOINT works) on SQLite."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        # Searches fold case like PostgreSQL's lower(); SQLite's lower() knows ASCII only.
        dbapi_connection.create_function("unicode_lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(connection: Any) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
