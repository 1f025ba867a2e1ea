"""Reminders before review dates and cut-offs: who gets one, when, once, in their language."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

import pytest
import sqlalchemy as sa

from hotelattrition import jobs
from hotelattrition.domain.figures import Figures
from hotelattrition.models import OutgoingMail
from hotelattrition.services.contract_editing import ContractDetails
from hotelattrition.services.contract_editing import create_contract as create_from_form
from hotelattrition.services.reminders import days_before, window
from tests.conftest import KNOWN_ON, sample_document

NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)  # 10:00 in Madrid
CUTOFF = date(2027, 2, 20)  # 19 days ahead: the 30-day window
REVIEW = date(2027, 2, 5)  # 4 days ahead: the 7-day window


def test_days_before_cut_the_time_before_a_date_into_windows() -> None:
    days = days_before("7, 30")
    assert days == (30, 7)
    assert [window(n, days) for n in (31, 30, 8, 7, 1, 0, -3)] == [None, 30, 30, 7, 7, None, None]
    for bad in ("", "0,7", "400"):
        with pytest.raises(ValueError, match="REMINDER_DAYS_BEFORE"):
            days_before(bad)


@pytest.fixture
def planned(database: Any, create_property: Any, create_user: Any) -> Any:
    """G-100 made from the form by a sales user (its owner), a Spanish-speaking planner."""
    create_property("MAD", "EUR")
    owner = create_user("ana@hotel.example", "sales", ("MAD",))
    owner.language = "en"
    details = ContractDetails(cutoff_on=CUTOFF, review_dates=((REVIEW, Decimal("10")),))
    contract = create_from_form({"as_of": KNOWN_ON} | sample_document(), details, owner)
    contract.account.contact_email = "Lucia@Acme.example"
    contract.account.contact_language = "es"
    database.flush()
    return contract


def by_recipient(messages: list[EmailMessage]) -> dict[str, list[EmailMessage]]:
    found: dict[str, list[EmailMessage]] = {}
    for message in messages:
        found.setdefault(str(message["To"]), []).append(message)
    return found


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def test_the_planner_and_the_owner_get_the_figures_in_their_language(
    planned: Any, smtp_server: Any
) -> None:
    settlement = planned.settlement
    created, sent = jobs.run_reminders(NOW, here=True)
    assert (created, len(sent)) == (4, 4)  # cut-off and review date, planner and owner
    mail = by_recipient(smtp_server.messages)
    assert sorted(mail) == ["ana@hotel.example", "lucia@acme.example"]

    spanish = {m["Subject"]: m for m in mail["lucia@acme.example"]}
    cutoff = spanish["Fecha de corte dentro de 19 días: Acme sales conference (G-100)"]
    text = text_of(cutoff)
    es = Figures("es_ES")
    assert cutoff["Content-Language"] == "es"
    assert "La fecha de corte de Acme sales conference es el 20 feb 2027" in text
    assert f"Ocupación: {es.number(settlement.picked_up)} noches" in text
    assert "Noches de habitación que faltan: 11" in text
    assert es.money(settlement.total, "EUR") in text
    assert "penalizaciones" in text.lower() and "daños" not in text.lower()
    html = cutoff.get_body(("html",))
    assert html is not None and es.money(settlement.total, "EUR") in html.get_content()  # type: ignore[attr-defined]
    review = spanish["Fecha de revisión dentro de 4 días: Acme sales conference (G-100)"]
    assert "puede reducir su bloqueo hasta un 10 %" in text_of(review)

    english = {m["Subject"]: m for m in mail["ana@hotel.example"]}
    owner = english["Cut-off in 19 days: Acme sales conference (G-100)"]
    text = text_of(owner)
    assert "The cut-off date of Acme sales conference is Feb 20, 2027, in 19 days." in text
    assert f"Pickup: {settlement.picked_up} room nights" in text
    assert "Room nights still needed: 11" in text
    assert f"Projected damages: {Figures('en').money(settlement.total, 'EUR')}" in text
    assert "Follow your group's pickup" not in text  # no planner link yet
    assert settlement.picked_up == 45 and settlement.shortfall == 11


def test_a_reminder_is_never_sent_twice_however_often_the_job_runs(
    planned: Any, smtp_server: Any, database: Any
) -> None:
    jobs.run_reminders(NOW, here=True)
    again, sent = jobs.run_reminders(NOW + timedelta(hours=5), here=True)
    assert (again, sent) == (0, [])
    assert len(smtp_server.messages) == 4
    ids = [m["Message-ID"] for m in smtp_server.messages]
    keys = database.scalars(sa.select(OutgoingMail.key).order_by(OutgoingMail.key)).all()
    assert len(set(ids)) == 4 and all(i.endswith("@hotel.example>") for i in ids)
    assert keys[0] == (f"reminder:{planned.id}:cutoff:2027-02-20:30:ana@hotel.example")
    # Two weeks on the cut-off is 5 days ahead: the 7-day window, a new reminder each.
    later, _ = jobs.run_reminders(NOW + timedelta(days=14), here=True)
    assert later == 2 and len(smtp_server.messages) == 6


def test_a_refused_connection_is_retried_later_with_backoff(
    planned: Any, smtp_server: Any, database: Any, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.mail.conftest import free_port

    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())  # nothing listens there
    jobs.run_reminders(NOW, here=True)
    waiting = database.scalars(sa.select(OutgoingMail)).all()
    assert {(m.state, m.attempts) for m in waiting} == {("queued", 1)}
    assert all("cannot reach 127.0.0.1" in m.last_error for m in waiting)
    assert smtp_server.messages == []

    monkeypatch.setitem(app.config, "SMTP_PORT", smtp_server.port)
    jobs.run_reminders(NOW + timedelta(seconds=30), here=True)  # not due yet: 60 s first
    assert smtp_server.messages == []
    jobs.run_reminders(NOW + timedelta(seconds=61), here=True)
    database.expire_all()
    assert {(m.state, m.attempts, m.last_error) for m in waiting} == {("sent", 2, "")}
    assert len(smtp_server.messages) == 4


def test_a_temporary_refusal_waits_and_a_permanent_one_fails(
    planned: Any, smtp_server: Any, database: Any
) -> None:
    smtp_server.keeper.refuse = {
        "lucia@acme.example": "550 5.1.1 no such user",
        "ana@hotel.example": "451 4.3.0 try again later",
    }
    jobs.run_reminders(NOW, here=True)
    states = dict(database.execute(sa.select(OutgoingMail.to_address, OutgoingMail.state)).all())
    assert states == {"lucia@acme.example": "failed", "ana@hotel.example": "queued"}
    delays = {
        m.next_attempt_at.replace(tzinfo=UTC) - NOW
        for m in database.scalars(sa.select(OutgoingMail).where(OutgoingMail.state == "queued"))
    }
    assert delays == {timedelta(seconds=60)}
    assert smtp_server.messages == []


def test_a_mail_left_sending_is_marked_unconfirmed_and_not_sent_again(
    planned: Any, smtp_server: Any, database: Any
) -> None:
    from hotelattrition.services.mail import due_mail

    jobs.run_reminders(NOW, here=True)
    mail = database.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id)).first()
    # As a worker that died after the server took the message leaves it:
    mail.state, mail.attempted_at = "sending", NOW
    database.flush()
    assert jobs.send_one(mail.id, NOW + timedelta(minutes=1)) is None  # a job's retry
    assert mail.state == "unconfirmed" and len(smtp_server.messages) == 4
    # The sweep does the same for one whose job is gone, once it has been quiet a while.
    other = database.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id.desc())).first()
    other.state, other.attempted_at = "sending", NOW
    database.flush()
    assert due_mail(NOW + timedelta(minutes=5)) == [] and other.state == "sending"
    assert due_mail(NOW + timedelta(minutes=20)) == []
    database.refresh(other)
    assert other.state == "unconfirmed" and len(smtp_server.messages) == 4


def test_a_line_dropped_mid_message_is_unconfirmed_and_not_retried(
    planned: Any, smtp_server: Any, database: Any
) -> None:
    smtp_server.keeper.hang_up = True  # the server keeps each message, the sender never hears
    jobs.run_reminders(NOW, here=True)
    mails = database.scalars(sa.select(OutgoingMail)).all()
    assert {m.state for m in mails} == {"unconfirmed"}
    assert all("connection lost while sending" in m.last_error for m in mails)
    smtp_server.keeper.hang_up = False
    jobs.run_reminders(NOW + timedelta(hours=2), here=True)
    assert len(smtp_server.messages) == 4  # each once


def test_no_reminder_for_a_closed_or_voided_contract_or_a_date_passed(
    planned: Any, smtp_server: Any, database: Any
) -> None:
    planned.status = "cancelled"
    database.flush()
    assert jobs.run_reminders(NOW, here=True) == (0, [])
    planned.status = "definite"
    database.flush()
    assert jobs.run_reminders(NOW + timedelta(days=30), here=True) == (0, [])  # both passed


def test_the_command_records_and_sends_and_refuses_a_bad_setting(
    planned: Any, smtp_server: Any, app: Any, database: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hotelattrition.cli import cli
    from tests.invoicing import madrid_today

    planned.review_dates.clear()  # the command runs today: a cut-off 10 days from now
    planned.cutoff_on = madrid_today() + timedelta(days=10)
    database.commit()  # as the form's request would: a refused command rolls back its own
    runner = app.test_cli_runner()
    monkeypatch.setitem(app.config, "REMINDER_DAYS_BEFORE", "30,0")
    refused = runner.invoke(cli, ["reminders", "send", "--here"])
    assert refused.exit_code == 2 and "REMINDER_DAYS_BEFORE" in refused.output
    monkeypatch.setitem(app.config, "REMINDER_DAYS_BEFORE", "30")
    done = runner.invoke(cli, ["reminders", "send", "--here"])
    assert done.exit_code == 0, done.output
    assert "2 reminders recorded" in done.output and "2 sent" in done.output
    assert len(smtp_server.messages) == 2


def test_the_planner_reminder_carries_the_live_planner_link(
    planned: Any, smtp_server: Any, app: Any, database: Any
) -> None:
    from hotelattrition.services.planner import create_planner_link, revoke_planner_link

    app.config["PUBLIC_URL"] = "https://groups.hotel.example"
    _link, token = create_planner_link("ana@hotel.example", planned)
    jobs.run_reminders(NOW, here=True)
    spanish = by_recipient(smtp_server.messages)["lucia@acme.example"]
    assert all(f"https://groups.hotel.example/p/{token}" in text_of(m) for m in spanish)
    # Revoked, the next window's reminder goes without it.
    revoke_planner_link("ana@hotel.example", planned)
    database.flush()
    jobs.run_reminders(NOW + timedelta(days=14), here=True)
    later = by_recipient(smtp_server.messages)["lucia@acme.example"][len(spanish) :]
    assert later and all("/p/" not in text_of(m) for m in later)


def test_without_public_url_a_worker_reminder_goes_without_the_link(
    planned: Any, smtp_server: Any, app: Any
) -> None:
    from hotelattrition.services.planner import create_planner_link

    app.config["PUBLIC_URL"] = ""
    create_planner_link("ana@hotel.example", planned)
    created, _sent = jobs.run_reminders(NOW, here=True)
    assert created == 4
    assert all("/p/" not in text_of(m) for m in smtp_server.messages)
