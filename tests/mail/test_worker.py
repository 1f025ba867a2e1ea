"""Reminders sent by real queue workers (PostgreSQL): a worker killed after the SMTP server
took a reminder, before marking it, leaves a job that another worker retries: the retry finds
the mail "sending", marks it unconfirmed and sends nothing. One message per key."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from hotelattrition import jobs
from hotelattrition.extensions import db
from hotelattrition.models import OutgoingMail
from tests.conftest import POSTGRES_URL, make_app
from tests.mail.conftest import SmtpServer
from tests.mail.test_crash import seed
from tests.queue_processes import scratch_database, start_worker, stop, wait_for

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="the job queue needs PostgreSQL")


def states(app: Any) -> dict[str, str]:
    with app.app_context():
        found = dict(
            db.session.execute(sa.select(OutgoingMail.to_address, OutgoingMail.state)).all()
        )
        db.session.remove()
        return found


def test_a_worker_killed_after_sending_leaves_the_reminder_unconfirmed_not_resent(
    tmp_path: Path,
) -> None:
    url = scratch_database(POSTGRES_URL, "mail")
    seed(url)
    server = SmtpServer()
    server.controller.start()
    smtp = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port)}
    app = make_app(url, SMTP_HOST="127.0.0.1", SMTP_PORT=server.port)
    doomed = start_worker(url, tmp_path / "doomed.log", **smtp)
    survivor = None
    try:
        server.keeper.on_data = lambda: os.kill(doomed.pid, signal.SIGKILL)
        with app.app_context():
            assert jobs.run_reminders() == (2, [])  # queued for the workers
            db.session.remove()
        wait_for(lambda: doomed.poll() is not None, 120, "the first message to arrive")
        server.keeper.on_data = None
        assert len(server.messages) == 1
        survivor = start_worker(url, tmp_path / "survivor.log", **smtp)
        done = wait_for(
            lambda: sorted((s := states(app)).values()) == ["sent", "unconfirmed"] and s,
            120,
            "the other worker to finish both jobs",
        )
    finally:
        if survivor is not None:
            stop(survivor)
        stop(doomed)
        server.controller.stop()
    taken = str(server.messages[0]["To"])
    assert done[taken] == "unconfirmed", (tmp_path / "survivor.log").read_text()[-2000:]
    assert len(server.messages) == 2
    assert {str(m["To"]) for m in server.messages} == set(done)
    with app.app_context():
        db.engine.dispose()
