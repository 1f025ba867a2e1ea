"""hotelattrition: group contracts, pickup, attrition settlements and invoices for hotels."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .paths import ROOT

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: object | None = None, *, web: bool = True) -> Flask:
    """Build the application: a short list of register_* steps.

    `web=False` builds the app a database command needs: no pages, sessions or migrations, so
    the command imports neither the views nor Alembic.
    """
    # Flask is imported here, not at module level, so `hotelattrition settle` starts without it.
    from flask import Flask

    from .config import INSTANCE, Config, configure_logging, mail_settings

    configure_logging()  # once per process; a command configured it first, for the CLI
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
        instance_path=str(INSTANCE),
    )
    app.config.from_object(config or Config)
    for key, value in mail_settings().items():
        app.config.setdefault(key, value)  # a config object's own setting wins (the tests')
    _register_secret_key(app)
    _register_extensions(app)
    if web:
        _register_migrations(app)
        _register_proxies(app)
        from .web import register_web

        register_web(app)
    return app


def _register_proxies(app: Flask) -> None:
    """Trust X-Forwarded-For/-Proto only from the configured number of proxy hops."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def _register_secret_key(app: Flask) -> None:
    """Use SECRET_KEY from the environment, else one kept in instance/ (made once)."""
    if app.config.get("SECRET_KEY"):
        return
    import secrets

    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()


def _register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (every table known to the metadata and migrations)
    from .extensions import db

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)


def _register_migrations(app: Flask) -> None:
    """Flask-Migrate (and with it Alembic) for `db upgrade` and the tests' migrations."""
    from flask_migrate import Migrate

    from .extensions import db

    Migrate(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
