"""Pages served by gunicorn (the production server) and timed over HTTP from this process.

`Served(url)` starts `gunicorn bench.served_app:app` on a free local port against the bench's
PostgreSQL database, one sync worker (requests are timed one at a time, so a second worker
would only add a second warm-up), and stops it on exit. `Session` signs in over HTTP and times
GETs with its cookie, a new connection per request as gunicorn's sync worker closes each one.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Served:
    """gunicorn serving the bench app on `database_url` while the `with` block runs."""

    def __init__(self, database_url: str, workers: int = WORKERS) -> None:
        self.database_url, self.workers = database_url, workers
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Served:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        bind = f"127.0.0.1:{self.port}"
        argv = [str(gunicorn), "--workers", str(self.workers), "--bind", bind,
                "--log-level", "warning", "bench.served_app:app"]  # fmt: skip
        env = {**os.environ, "BENCH_DATABASE_URL": self.database_url}
        self.process = subprocess.Popen(argv, cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start (status {self.process.returncode})")
            try:
                if self.request("GET", "/login")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        self.__exit__(None, None, None)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, http.client.HTTPMessage]:
        """One request on a new connection: status, body, headers."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read(), response.headers
        finally:
            connection.close()

    def session(self, email: str, password: str) -> Session:
        """Sign in over HTTP (the bench app takes no CSRF token); a session with its cookie."""
        form = urllib.parse.urlencode({"email": email, "password": password}).encode()
        status, _, headers = self.request(
            "POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        cookies = [c.split(";", 1)[0] for c in headers.get_all("Set-Cookie") or []]
        if status != 302 or not cookies:
            raise RuntimeError(f"bench sign-in as {email} failed ({status})")
        return Session(self, "; ".join(cookies))


class Session:
    """A signed-in user's GETs, timed."""

    def __init__(self, server: Served, cookie: str) -> None:
        self.server, self.cookie = server, cookie

    def get(self, path: str) -> bytes:
        status, body, _ = self.server.request("GET", path, headers={"Cookie": self.cookie})
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        return body

    def timed(self, path: str) -> float:
        """Seconds for one GET, from connecting to the last byte."""
        start = time.perf_counter()
        self.get(path)
        return time.perf_counter() - start

    def rows(self, path: str) -> int:
        """Rows in the page's tables, header rows not counted."""
        page = self.get(path).decode()
        return len(re.findall(r"<tr\b", page)) - len(re.findall(r"<thead\b", page))
