"""A reviewer's findings on the reminders and the outbox (fixes19): retries without a server,
Send again, the owner's properties, no address in the log, plurals, escaping, the search."""

from __future__ import annotations

import logging
import re
from datetime import UTC, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from hotelattrition import jobs
from hotelattrition.models import AuditEntry, OutgoingMail
from hotelattrition.services.mail import GIVE_UP, MAX_ATTEMPTS
from tests.conftest import csrf_token, log_in
from tests.mail.conftest import free_port
from tests.mail.test_reminders import NOW, planned  # noqa: F401  (the fixture)


def _mail(database: Any) -> list[OutgoingMail]:
    database.expire_all()
    return list(database.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id)))


def test_no_mail_server_is_not_an_attempt_and_never_fails_the_mail(
    planned: Any,  # noqa: F811
    app: Any,
    database: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "SMTP_HOST", "")
    for hours in range(0, 3 * 24 + 2, 2):  # three days and more of runs, no server
        jobs.run_reminders(NOW + timedelta(hours=hours), here=True)
    mail = _mail(database)
    assert len(mail) == 4
    assert {(m.state, m.attempts) for m in mail} == {("queued", 0)}
    assert {m.last_error for m in mail} == {"no mail server: set SMTP_HOST (and SMTP_PORT)"}


def test_a_refused_connection_fails_after_days_not_attempts(
    planned: Any,  # noqa: F811
    smtp_server: Any,
    app: Any,
    database: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())  # nothing listens there
    jobs.run_reminders(NOW, here=True)
    for _ in range(MAX_ATTEMPTS + 2):
        due = max(m.next_attempt_at.replace(tzinfo=UTC) for m in _mail(database))
        jobs.run_reminders(due, here=True)
    mail = _mail(database)
    assert {(m.state, m.attempts) for m in mail} == {("queued", MAX_ATTEMPTS + 3)}
    jobs.run_reminders(NOW + GIVE_UP + timedelta(hours=7), here=True)
    assert {m.state for m in _mail(database)} == {"failed"}


def test_a_failed_mail_is_sent_again_by_a_manager_under_its_key(
    planned: Any,  # noqa: F811
    smtp_server: Any,
    client: Any,
    create_user: Any,
    database: Any,
) -> None:
    create_user("manager@hotel.example", "manager", ("MAD",))
    create_user("viewer@hotel.example", "viewer", ("MAD",))
    smtp_server.keeper.refuse = {"lucia@acme.example": "550 5.1.1 no such user"}
    jobs.run_reminders(NOW, here=True)
    failed = [m for m in _mail(database) if m.state == "failed"]
    sent = next(m for m in _mail(database) if m.state == "sent")
    assert len(failed) == 2
    mail = failed[0]
    key, message_id = mail.key, mail.message_id
    database.commit()

    log_in(client, "manager@hotel.example")
    page = client.get(f"/mail/{mail.id}").get_data(as_text=True)
    assert "Send again" in page
    assert "Send again" not in client.get(f"/mail/{sent.id}").get_data(as_text=True)
    # Without its CSRF token nothing happens.
    client.post(f"/mail/{mail.id}/send-again")
    assert next(m for m in _mail(database) if m.id == mail.id).state == "failed"

    smtp_server.keeper.refuse = {}
    token = csrf_token(client, f"/mail/{mail.id}")
    answer = client.post(f"/mail/{mail.id}/send-again", data={"csrf_token": token})
    assert answer.status_code == 302
    again = database.get(OutgoingMail, mail.id)
    database.refresh(again)
    if database.get_bind().dialect.name == "postgresql":  # a job waits for a worker: run it
        jobs_waiting = database.execute(
            sa.text(
                "SELECT (args->>'mail_id')::int FROM procrastinate_jobs "
                "WHERE task_name = 'send_mail' AND status = 'todo'"
            )
        ).scalars()
        assert list(jobs_waiting) == [mail.id]
        jobs.send_one(mail.id)
        database.refresh(again)
    assert (again.state, again.key, again.message_id) == ("sent", key, message_id)
    arrived = [m for m in smtp_server.messages if m["To"] == "lucia@acme.example"]
    assert [m["Message-ID"] for m in arrived] == [message_id]
    entry = database.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "mail_sent_again")
    ).one()
    assert (entry.entity_key, entry.changes["was"]) == (str(mail.id), "failed")
    # A sent mail is not sent again.
    token = csrf_token(client, f"/mail/{mail.id}")
    refused = client.post(
        f"/mail/{mail.id}/send-again", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Only a failed or unconfirmed mail can be sent again." in refused.get_data(as_text=True)
    assert len([m for m in smtp_server.messages if m["To"] == "lucia@acme.example"]) == 1
    client.post("/logout", data={"csrf_token": csrf_token(client, "/mail/")})
    log_in(client, "viewer@hotel.example")
    token = csrf_token(client, "/contracts/")
    assert (
        client.post(f"/mail/{failed[1].id}/send-again", data={"csrf_token": token}).status_code
        == 403
    )


def test_the_owner_gets_no_reminder_once_the_property_is_not_theirs(
    planned: Any,  # noqa: F811
    smtp_server: Any,
    create_property: Any,
    database: Any,
) -> None:
    from hotelattrition.models import User

    owner = database.scalars(sa.select(User).where(User.email == "ana@hotel.example")).one()
    owner.properties = [create_property("CUN", "MXN", timezone="America/Cancun")]
    database.flush()
    jobs.run_reminders(NOW, here=True)
    assert {m.to_address for m in _mail(database)} == {"lucia@acme.example"}


def test_no_address_reaches_the_mail_log(
    planned: Any,  # noqa: F811
    smtp_server: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    smtp_server.keeper.refuse = {"lucia@acme.example": "550 5.1.1 <lucia@acme.example> unknown"}
    with caplog.at_level(logging.INFO, logger="hotelattrition.services.mail"):
        jobs.run_reminders(NOW, here=True)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.endswith(".mail"))
    assert "queued (reminder)" in logged and "failed after 1 attempt(s)" in logged
    assert "@" not in logged, logged


def test_one_day_reads_one_day_and_the_group_name_is_escaped_in_the_html(
    planned: Any,  # noqa: F811
    smtp_server: Any,
    client: Any,
    create_user: Any,
    database: Any,
) -> None:
    planned.name = "Acme </title><script>alert(1)</script>"
    database.flush()
    jobs.run_reminders(NOW + timedelta(days=18), here=True)  # the cut-off is tomorrow
    subjects = sorted(str(m["Subject"]) for m in smtp_server.messages)
    assert subjects == [
        "Cut-off in 1 day: Acme </title><script>alert(1)</script> (G-100)",
        "Fecha de corte dentro de 1 día: Acme </title><script>alert(1)</script> (G-100)",
    ]
    english = next(m for m in _mail(database) if m.language == "en")
    assert "in 1 day." in english.body_text and "1 days" not in english.body_text
    assert "<script>" not in english.body_html
    title = re.search(r"<title>(.*)</title>", english.body_html)
    assert title is not None
    assert title.group(1) == (
        "Cut-off in 1 day: Acme &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; (G-100)"
    )
    database.commit()
    create_user("admin@hotel.example", "admin")
    log_in(client, "admin@hotel.example")
    html = client.get(f"/mail/{english.id}/html")
    assert html.headers["Content-Security-Policy"].startswith("sandbox")


def test_the_search_folds_beyond_ascii_and_takes_percent_literally(
    planned: Any,  # noqa: F811
    smtp_server: Any,
    client: Any,
    create_user: Any,
    database: Any,
) -> None:
    planned.name = "Congreso ÁVILA"
    database.flush()
    jobs.run_reminders(NOW, here=True)
    database.commit()
    create_user("admin@hotel.example", "admin")
    log_in(client, "admin@hotel.example")
    found = client.get("/mail/?q=ávila").get_data(as_text=True)
    assert found.count("Congreso ÁVILA (G-100)</a>") == 4
    for literal in ("%", "_"):
        assert "No mail yet." in client.get(f"/mail/?q={literal}").get_data(as_text=True)
