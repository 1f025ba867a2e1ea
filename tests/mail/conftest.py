"""A real SMTP server (aiosmtpd) on a free port that keeps what it receives, and the app
pointed at it."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Keeper:
    """aiosmtpd's handler: keeps each message's bytes; `on_data` runs before the reply."""

    def __init__(self) -> None:
        self.raw: list[bytes] = []
        self.on_data: Callable[[], None] | None = None
        self.refuse: dict[str, str] = {}  # recipient -> reply (e.g. "550 no such user")
        self.hang_up = False  # keep the message, then drop the line before answering

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.raw.append(envelope.original_content)
        if self.on_data is not None:
            self.on_data()
        if self.hang_up:
            server.transport.close()
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[misc]
            for raw in self.raw
        ]


class SmtpServer:
    def __init__(self) -> None:
        self.keeper = Keeper()
        self.port = free_port()
        self.controller = Controller(self.keeper, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.keeper.messages


@pytest.fixture
def smtp_server(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    """The local SMTP server, started; the app sends through it while the test runs."""
    server = SmtpServer()
    server.controller.start()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", server.port)
    monkeypatch.setitem(app.config, "MAIL_FROM", "Reminders <reminders@hotel.example>")
    try:
        yield server
    finally:
        server.controller.stop()
