"""The account page's watch: why the account is at risk (the early warning's own sentences) and
its next action near the top; an account's dates kept at its hotel's today, never UTC's."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import Account, Contract, FollowUp, User
from hotelattrition.reports.account_days import account_today
from hotelattrition.reports.followups import account_followups
from hotelattrition.reports.surveys import RecoverFirst, recover_first, recover_first_among
from hotelattrition.services.complaints import ComplaintData, record_complaint
from hotelattrition.services.followups import FollowUpData, complete_followup, open_followup
from tests.conftest import csrf_token, log_in
from tests.invoicing import madrid_today
from tests.listing import add_account, add_contract, reading, statements
from tests.reports.reporting import stay_document

PAID = {"minimum": "9000.00", "actual": "9000.00", "service_charge_pct": "10", "tax_pct": "10"}


@pytest.fixture
def acme(database: Any, create_contract: Any, create_user: Any) -> Account:
    """Acme stayed at MAD 400 and 30 days ago, all picked up and spent: on its usual pace."""
    today = madrid_today()
    for code, days in (("A-1", 400), ("A-2", 30)):
        arrival = today - timedelta(days=days)
        create_contract(**stay_document(code, arrival, 2, 10, 10, account="Acme", fnb=PAID))
    create_user("sales@example.com", "sales", ("MAD",))
    return database.scalar(select(Account).where(Account.name == "Acme"))


def reasons(page: str) -> list[str]:
    lists = re.findall(r'<ul class="reasons">(.*?)</ul>', page, re.S)
    return [li.strip() for found in lists for li in re.findall(r"<li>(.*?)</li>", found, re.S)]


def test_the_account_page_says_why_at_risk_and_its_next_action(
    client: Any, database: Any, acme: Account
) -> None:
    log_in(client, "sales@example.com")
    quiet = client.get(f"/accounts/{acme.id}").get_data(as_text=True)
    assert 'id="watch"' not in quiet  # not at risk, no follow-up: nothing at the top

    a2 = database.scalar(select(Contract).where(Contract.code == "A-2"))
    record_complaint(a2, ComplaintData("No hot water on floor 3", "housekeeping", "high"), "t")
    sales = database.scalar(select(User).where(User.email == "sales@example.com"))
    today = madrid_today()
    # Recorded a week ago, due yesterday at the hotel: overdue today.
    data = FollowUpData("contact", sales.id, today - timedelta(days=1), "Call the planner")
    open_followup(acme, data, "t", today - timedelta(days=7))
    database.flush()

    page = client.get(f"/accounts/{acme.id}").get_data(as_text=True)
    watch = page[page.index('id="watch"') : page.index("</section>", page.index('id="watch"'))]
    assert page.index('id="watch"') < page.index(">Upcoming")  # near the top
    assert "At risk at MAD" in watch
    warning = client.get("/reports/early-warning?property=MAD").get_data(as_text=True)
    assert reasons(watch) == reasons(warning) == ["1 complaint not resolved."]
    assert "Call the planner" in watch and "Overdue" in watch
    followup = database.scalar(select(FollowUp))
    assert f'action="/followups/{followup.id}/done"' in watch
    spanish = client.get(f"/accounts/{acme.id}", headers={"Accept-Language": "es"})
    text = spanish.get_data(as_text=True)
    assert "En riesgo en MAD" in text and "1 queja sin resolver." in text and "Vencido" in text


def test_a_lost_account_shows_no_reasons(client: Any, database: Any, acme: Account) -> None:
    a2 = database.scalar(select(Contract).where(Contract.code == "A-2"))
    record_complaint(a2, ComplaintData("Noise", "maintenance", "low"), "t")
    log_in(client, "sales@example.com")
    page = f"/accounts/{acme.id}/lost"
    done = client.post(
        page, data={"csrf_token": csrf_token(client, page), "reason": "price", "lost_to": ""}
    )
    assert done.status_code == 302
    shown = client.get(f"/accounts/{acme.id}").get_data(as_text=True)
    assert "At risk at" not in shown and "Lost since" in shown
    assert database.get(Account, acme.id).lost_on == madrid_today()  # the hotel's today


@pytest.fixture
def dateline(database: Any, create_property: Any, create_user: Any) -> dict[str, Any]:
    """Kiritimati (UTC+14) and Pago Pago (UTC-11) are a day or two apart at any hour."""
    east = create_property("KIR", "USD", timezone="Pacific/Kiritimati", locale="en_US")
    west = create_property("PPG", "USD", timezone="Pacific/Pago_Pago", locale="en_US")
    account = add_account(database, "Dateline Tours")
    add_contract(database, east, account, "K-1", east.today() - timedelta(days=90))
    add_contract(database, west, account, "P-1", west.today() - timedelta(days=30))
    lonely = add_account(database, "Nobody Yet")
    database.flush()
    admin = create_user("admin@example.com", "admin")
    west_user = create_user("ppg@example.com", "sales", ("PPG",))
    east_user = create_user("kir@example.com", "sales", ("KIR",))
    return {"east": east, "west": west, "account": account, "lonely": lonely, "admin": admin,
            "west_user": west_user, "east_user": east_user}  # fmt: skip


def test_an_accounts_today_is_its_hotels(database: Any, dateline: dict[str, Any]) -> None:
    east, west, account = dateline["east"], dateline["west"], dateline["account"]
    assert east.today() > west.today()
    # The latest stay the user sees: Pago Pago's for the admin and its own user...
    assert account_today(dateline["admin"], account.id) == west.today()
    assert account_today(dateline["west_user"], account.id) == west.today()
    # ... Kiritimati's for a user who sees only Kiritimati, or working from its list.
    assert account_today(dateline["east_user"], account.id) == east.today()
    assert account_today(dateline["admin"], account.id, "KIR") == east.today()
    # A hotel the user does not see is no hotel of theirs: the latest stay they see decides.
    assert account_today(dateline["west_user"], account.id, "KIR") == west.today()
    # No stay at all: the earliest today of the user's hotels (the admin sees every one).
    assert account_today(dateline["admin"], dateline["lonely"].id) == west.today()


def test_followups_are_due_and_done_by_the_hotels_today(
    client: Any, database: Any, dateline: dict[str, Any]
) -> None:
    """Due on Pago Pago's today is accepted from its page, whatever UTC's date is; Kiritimati's
    list refuses Pago Pago's today (a day or two gone there) and keeps what was typed."""
    west, account, user = dateline["west"], dateline["account"], dateline["admin"]
    log_in(client, "admin@example.com")
    form = f"/accounts/{account.id}/followups/new"
    page = client.get(form).get_data(as_text=True)
    assert f'value="{west.today().isoformat()}"' in page  # starts at the hotel's today
    typed = {"kind": "contact", "owner": str(user.id), "due_on": west.today().isoformat(),
             "note": "Ring them"}  # fmt: skip
    refused = client.post(
        form + "?property=KIR", data={"csrf_token": csrf_token(client, form), **typed}
    )
    assert refused.status_code == 400 and "Ring them" in refused.get_data(as_text=True)
    done = client.post(form, data={"csrf_token": csrf_token(client, form), **typed})
    assert done.status_code == 302
    followup = database.scalar(select(FollowUp))
    page = f"/accounts/{account.id}"
    marked = client.post(
        f"/followups/{followup.id}/done", data={"csrf_token": csrf_token(client, page)}
    )
    assert marked.status_code == 302
    assert database.get(FollowUp, followup.id).done_on == west.today()


def test_at_risk_at_each_hotel_in_the_same_statements_however_many_hotels(
    client: Any, database: Any, acme: Account, create_contract: Any, create_user: Any
) -> None:
    """The watch reads every hotel's at-risk figures at once, and the accounts shown there at
    once: a customer of three hotels costs the page no more statements for them than a
    customer of one, and each hotel keeps its own reasons."""
    create_user("admin@example.com", "admin")
    log_in(client, "admin@example.com")
    with statements() as one_hotel:
        client.get(f"/accounts/{acme.id}")
    today = madrid_today()
    for hotel in ("BCN", "LIS"):
        for n, days in ((1, 400), (2, 30)):
            arrival = today - timedelta(days=days)
            doc = stay_document(f"{hotel}-{n}", arrival, 2, 10, 10, account="Acme", fnb=PAID)
            create_contract(**doc | {"property": hotel})
    bcn = database.scalar(select(Contract).where(Contract.code == "BCN-2"))
    record_complaint(bcn, ComplaintData("Cold breakfast", "fnb", "low"), "t")
    database.flush()
    with statements() as three_hotels:
        page = client.get(f"/accounts/{acme.id}").get_data(as_text=True)
    watch = page[page.index('id="watch"') : page.index("</section>", page.index('id="watch"'))]
    assert "At risk at BCN" in watch
    assert "At risk at MAD" not in watch and "At risk at LIS" not in watch
    assert reasons(watch) == ["1 complaint not resolved."]
    # the repeat families' figures (their editions ahead ...) and the account each is shown as
    for marker in (" AS ahead", " AS is_parent"):
        assert [marker in s for s in three_hotels].count(True) == 1
        assert [marker in s for s in one_hotel].count(True) == 1


def test_the_next_action_is_the_open_followup_due_soonest_read_with_the_list(
    client: Any, database: Any, acme: Account
) -> None:
    """The watch's next action comes from the care section's list (one read of the account's
    follow-ups): a done follow-up due earlier and an open one due later are passed over."""
    sales = database.scalar(select(User).where(User.email == "sales@example.com"))
    today = madrid_today()
    week_ago = today - timedelta(days=7)
    done = open_followup(acme, FollowUpData("contact", sales.id, today, "Done already"), "t",
                         week_ago)  # fmt: skip
    complete_followup(done, "t", today)
    a2 = database.scalar(select(Contract).where(Contract.code == "A-2"))
    for days, note in ((9, "Send the offer"), (3, "Call the planner"), (5, "Visit them")):
        data = FollowUpData("contact", sales.id, today + timedelta(days=days), note)
        open_followup(acme, data, "t", week_ago, a2)
    database.flush()
    log_in(client, "sales@example.com")
    with statements() as sent:
        page = client.get(f"/accounts/{acme.id}").get_data(as_text=True)
    watch = page[page.index('id="watch"') : page.index("</section>", page.index('id="watch"'))]
    assert "Call the planner" in watch
    assert all(note not in watch for note in ("Done already", "Send the offer", "Visit them"))
    # one read: the list (the head's "recover first" is taken from it too), with their
    # contracts (the care section links each one's): none loaded one by one
    assert len(reading("followups", sent)) == 1
    assert not [s for s in reading("contracts", sent) if "WHERE contracts.id = " in s]
    assert page.count('href="/contracts/A-2"') >= 3


def test_recover_first_from_the_list_is_the_soonest_open_detractor_followup(
    database: Any, acme: Account
) -> None:
    """The account page takes "recover first" from its follow-ups' list: the open detractor
    follow-up due soonest, its owner and its contract, as recover_first's own statement says."""
    sales = database.scalar(select(User).where(User.email == "sales@example.com"))
    a2 = database.scalar(select(Contract).where(Contract.code == "A-2"))
    today = madrid_today()
    week_ago = today - timedelta(days=7)

    def detractor(days: int, contract: Contract | None = None) -> FollowUp:
        data = FollowUpData("detractor", sales.id, today + timedelta(days=days), "")
        return open_followup(acme, data, "t", week_ago, contract)

    assert recover_first_among(account_followups(acme.id)) is None
    done = detractor(1, a2)
    complete_followup(done, "t", today)  # done: no longer recover first
    open_followup(acme, FollowUpData("contact", sales.id, today, "Call"), "t", week_ago)
    detractor(6)
    soonest = detractor(2, a2)
    database.flush()
    database.expire_all()
    found = recover_first_among(account_followups(acme.id))
    assert found == recover_first([acme.id])[acme.id]
    assert found == RecoverFirst(soonest.id, today + timedelta(days=2), "sales@example.com", "A-2")


def test_the_complaints_departments_are_named_from_one_read_of_their_list(
    client: Any, database: Any, acme: Account
) -> None:
    """Each complaint names its department in the reader's words: the list is read once a
    request, however many complaints (it was one statement a complaint)."""
    a2 = database.scalar(select(Contract).where(Contract.code == "A-2"))
    said = (("Cold room", "maintenance"), ("Noise", "maintenance"),
            ("Dirty towels", "housekeeping"), ("Leak", "maintenance"))  # fmt: skip
    for what, department in said:
        record_complaint(a2, ComplaintData(what, department, "low"), "t")
    database.flush()
    log_in(client, "sales@example.com")
    for language, words in (("en", ("Maintenance", "Housekeeping")),
                            ("es", ("Mantenimiento", "Pisos"))):  # fmt: skip
        with statements() as sent:
            page = client.get(f"/accounts/{acme.id}", headers={"Accept-Language": language})
        care = page.get_data(as_text=True).split('id="complaints"')[1]
        assert care.count(words[0]) == 3 and care.count(words[1]) == 1
        assert len(reading("reasons", sent)) == 1
