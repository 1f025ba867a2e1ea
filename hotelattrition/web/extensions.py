"""The web's own Flask extensions (CSRF, logins, languages), created unbound, attached by web."""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf import CSRFProtect

csrf = CSRFProtect()
login = LoginManager()
babel = Babel()
