"""A sender killed after the SMTP server took a reminder and before marking it sent: the
reminder is not sent again, by the next run nor by a retried job (one message per key)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask_migrate import upgrade

from hotelattrition import jobs
from hotelattrition.extensions import db
from hotelattrition.models import OutgoingMail
from tests.conftest import KNOWN_ON, make_app
from tests.invoicing import madrid_today, stay_document
from tests.mail.conftest import SmtpServer

ROOT = Path(__file__).resolve().parents[2]


def seed(url: str) -> None:
    """A committed contract whose cut-off is 10 days ahead, its planner and its owner."""
    from hotelattrition.services.contract_editing import ContractDetails, create_contract
    from hotelattrition.services.properties import PropertyData, create_property
    from hotelattrition.services.users import create_user

    app = make_app(url)
    with app.app_context():
        upgrade()
        create_property(
            PropertyData(code="MAD", name="Hotel MAD", currency="EUR", locale="es_ES",
                         country="ES", timezone="Europe/Madrid")
        )  # fmt: skip
        owner = create_user("ana@hotel.example", "sales", "a long password 1", ("MAD",))
        details = ContractDetails(cutoff_on=madrid_today() + timedelta(days=10), review_dates=())
        document = {"as_of": KNOWN_ON} | stay_document("G-100", days_ago=-40)
        contract = create_contract(document, details, owner)
        contract.account.contact_email = "lucia@acme.example"
        db.session.commit()
        db.engine.dispose()


def reminders_send(url: str, server: SmtpServer) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "DATABASE_URL": url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(server.port),
        "MAIL_FROM": "reminders@hotel.example",
    }
    command = [sys.executable, "-m", "hotelattrition", "reminders", "send"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)  # fmt: skip


def test_a_sender_killed_between_sending_and_marking_never_sends_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.sqlite'}"
    seed(url)
    server = SmtpServer()
    server.controller.start()
    try:
        killed: list[Any] = []
        first = reminders_send(url, server)

        def kill_the_sender() -> None:  # the message is kept; its sender dies before "250"
            if not killed:
                os.kill(first.pid, signal.SIGKILL)
                killed.append(first.pid)

        server.keeper.on_data = kill_the_sender
        first.communicate(timeout=120)
        assert first.returncode == -signal.SIGKILL
        assert len(server.messages) == 1
        taken = server.messages[0]

        server.keeper.on_data = None
        second = reminders_send(url, server)  # the next run (cron, the hourly job)
        _out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err.decode()
        assert len(server.messages) == 2  # the other recipient's, never the first again

        app = make_app(url, SMTP_HOST="127.0.0.1", SMTP_PORT=server.port)
        with app.app_context():
            mails = {m.to_address: m for m in db.session.scalars(sa.select(OutgoingMail))}
            dead = mails[str(taken["To"])]
            assert dead.state == "sending" and dead.attempts == 1
            assert jobs.send_one(dead.id) is None  # as a retried job of the dead worker
            db.session.refresh(dead)
            assert dead.state == "unconfirmed"
            assert {m.state for a, m in mails.items() if a != dead.to_address} == {"sent"}
            assert taken["Message-ID"] == dead.message_id
            db.engine.dispose()
        ids = [m["Message-ID"] for m in server.messages]
        assert len(server.messages) == 2 and len(set(ids)) == 2  # one message per key
    finally:
        server.controller.stop()
