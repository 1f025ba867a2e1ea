"""Files kept between a preview and its confirmation: a browser never keeps a chosen file.

Each is saved under a random token in PICKUP_UPLOAD_DIR, and the token in the user's session;
a file older than a day is removed at the next upload.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from flask import current_app, session

MAX_KEPT = 5  # tokens kept per session
DAY = 24 * 3600


def _folder() -> Path:
    folder = Path(current_app.config["PICKUP_UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(data: bytes, filename: str) -> str:
    """Save the upload; return its token."""
    folder = _folder()
    for old in folder.glob("*.upload"):
        if old.stat().st_mtime < time.time() - DAY:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.upload").write_bytes(data)
    kept = dict(session.get("pickup_uploads", {}))
    kept[token] = filename[:255]
    session["pickup_uploads"] = dict(list(kept.items())[-MAX_KEPT:])
    return token


def kept(token: str) -> tuple[bytes, str] | None:
    """The bytes and file name of this session's upload, None if not (or no longer) kept."""
    filename = session.get("pickup_uploads", {}).get(token)
    path = _folder() / f"{token}.upload"
    if filename is None or not path.is_file():
        return None
    return path.read_bytes(), filename


def forget(token: str) -> None:
    (_folder() / f"{token}.upload").unlink(missing_ok=True)
    kept = dict(session.get("pickup_uploads", {}))
    kept.pop(token, None)
    session["pickup_uploads"] = kept
