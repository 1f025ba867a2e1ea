"""Every page of the demo site, as each role reaches it: found by following links, not listed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask_migrate import upgrade
from sqlalchemy import select

from hotelattrition.extensions import db
from hotelattrition.models import Account, Contract, User
from hotelattrition.services import ServiceError
from hotelattrition.services.complaints import ComplaintData, record_complaint
from hotelattrition.services.demo import DEMO_USERS, load_demo_data
from hotelattrition.services.disputes import open_dispute
from hotelattrition.services.invoice_payments import record_payment
from hotelattrition.services.invoices import credit_invoice, issue_invoice
from hotelattrition.services.pickup_statements import publish_statement
from hotelattrition.services.planner import create_planner_link
from hotelattrition.services.reconciliations import Upload, reconcile_lists
from hotelattrition.services.settlement_decisions import decide_collect
from tests.conftest import make_app
from tests.e2e.conftest import LiveServer, serve

ROLES = {login.role: (login.email, login.password) for login in DEMO_USERS}
# Links that are not pages: downloads (a dispute's files too), sign-out, the API.
# A mail's HTML part (/mail/N/html) is the message as sent, not a page of the app.
NOT_PAGES = re.compile(r"(\.(pdf|csv|zip|json)|/pdf|/html|/files/\d+)$|^/(logout|api/|static/)")
# A path segment with a digit is a contract code, an invoice number or an id: one page each.
VARIABLE = re.compile(r"\d")
LIMIT = 60  # pages per role: a crawl that finds more has a link loop
# Pages no link of the app leads to, made by demo_site: the planner's pages and the survey
# through their links.
GUEST_PAGES: list[str] = []


def demo_site(tmp_path: Path) -> Iterator[tuple[LiveServer, str]]:
    """The demo data with one invoice issued, partly credited and partly paid, and an open
    complaint (complaint 1, on the latest stay begun), served."""
    app = make_app(f"sqlite:///{tmp_path / 'site.sqlite'}")
    with app.app_context():
        upgrade()
        load_demo_data(date.today())
        invoice = None
        # The stays of the last year: the demo's earlier editions (demo_history) are older.
        recent = Contract.departure >= date.today() - timedelta(days=365)
        for contract in db.session.scalars(
            select(Contract).where(recent).order_by(Contract.departure)
        ):
            try:
                with db.session.begin_nested():
                    publish_statement(contract, "demo")  # a stay's final pickup, if it has one
            except ServiceError:
                pass
            try:
                invoice = issue_invoice(contract, "demo")
                break
            except ServiceError:
                continue
        assert invoice is not None, "the demo data has a contract that owes damages"
        credit_invoice(invoice.number, "Agreed rate", [1], "demo")
        match_report(invoice.contract)
        record_payment(invoice.number, "100", invoice.issued_on, "TR-1", "demo")
        # Collected: its decision page offers the waiver that may follow (lines or an amount).
        decide_collect(invoice.contract, "demo")
        dispute = open_dispute(
            invoice, side="hotel", author="demo", lines=[1], nights=invoice.contract.nights[:1],
            body="The planner counts more rooms on the first night.", files=[], actor="demo",
        )  # fmt: skip
        # An open complaint: its contract and account pages link to resolving it.
        failure = ComplaintData("Air conditioning failed in the plenary", "events", "high")
        record_complaint(_latest_stay(), failure, "demo")
        code, number = invoice.contract.code, invoice.number
        GUEST_PAGES[:] = [
            _planner_path(),
            *_dispute_paths(invoice.contract, number, dispute.id),
            _survey_path(),
        ]
        remind_one(date.today())
        db.session.commit()
        db.session.remove()
    with serve(app) as server:
        yield server, f"{code} {number}"


def match_report(contract: Contract) -> None:
    """A draft outside-block match report on the contract: its page is reached by links."""
    a, d = contract.arrival.isoformat(), contract.departure.isoformat()
    registration = f"name,arrival,departure\nAna García,{a},{d}\nLuis Pérez,{a},{d}\n"
    in_house = (
        "Name,Arrival,Departure,Room Type,Rooms,Status,Block Code\n"
        f'"GARCIA, ANA",{a},{d},KNG,1,CHECKED OUT,\n"PEREZ, LUIS",{a},{d},KNG,1,IN HOUSE,\n'
    )
    admin = db.session.scalars(select(User).where(User.role == "admin")).first()
    assert admin is not None
    uploads = (Upload("registrations.csv", registration.encode()),
               Upload("in-house.csv", in_house.encode()))  # fmt: skip
    reconcile_lists(contract, *uploads, admin)


def _planner_path() -> str:
    """A planner's link to a group still to come (its page has every part: pace, what-if)."""
    upcoming = select(Contract).where(Contract.arrival > date.today())
    contract = db.session.scalars(
        upcoming.where(Contract.status == "definite").order_by(Contract.arrival)
    ).first()
    assert contract is not None, "the demo data has a definite group to come"
    _link, token = create_planner_link("demo", contract)
    return f"/p/{token}"


def _survey_path() -> str:
    """The demo's survey link still waiting for its planner (services.demo_surveys)."""
    from hotelattrition.models import GuestLink, SurveyAnswer
    from hotelattrition.services.guest_links import derive_token

    link = db.session.scalars(
        select(GuestLink).where(
            GuestLink.purpose == "survey",
            GuestLink.revoked_at.is_(None),
            ~GuestLink.contract_id.in_(select(SurveyAnswer.contract_id)),
        )
    ).first()
    assert link is not None, "the demo data has a survey link waiting for its answer"
    return f"/s/{derive_token(link)}"


def _dispute_paths(contract: Contract, number: str, dispute_id: int) -> list[str]:
    """The invoiced group's planner's pages: the final pickup, the invoice, the dispute; none
    when its link would be over already (a stay more than 90 days back)."""
    try:
        with db.session.begin_nested():
            _link, token = create_planner_link("demo", contract)
    except ServiceError:
        return []
    base = f"/p/{token}"
    return [f"{base}/final-pickup", f"{base}/invoices/{number}/dispute",
            f"{base}/disputes/{dispute_id}"]  # fmt: skip


def remind_one(today: date) -> None:
    """A reminder on the Mail sent page: the first open group's cut-off 10 days ahead, its
    reminder recorded and tried (no SMTP server in the tests: it waits, with the reason)."""
    from hotelattrition import jobs

    contract = db.session.scalars(
        select(Contract)
        .join(Account, Account.id == Contract.account_id)
        .where(
            Contract.status == "definite",
            Contract.arrival > today + timedelta(days=20),
            Account.contact_email != "",
        )
        .order_by(Contract.arrival)
    ).first()
    assert contract is not None
    contract.cutoff_on = today + timedelta(days=10)
    db.session.commit()
    assert jobs.run_reminders()[0] >= 1


def _latest_stay() -> Contract:
    """The held contract that arrived last before today."""
    held = Contract.status.in_(("definite", "settled"))
    stays = select(Contract).where(held, Contract.arrival < date.today())
    return db.session.scalars(stays.order_by(Contract.arrival.desc()).limit(1)).one()


def sign_in(page: Any, url: str, role: str) -> None:
    email, password = ROLES[role]
    page.goto(f"{url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button.primary")
    page.wait_for_url("**/contracts/")


def shape(path: str) -> tuple[str, ...]:
    """A page's route: its path with codes, numbers and ids as '*'."""
    return tuple("*" if VARIABLE.search(s) else s for s in path.strip("/").split("/"))


def crawl(page: Any, url: str, extra: tuple[str, ...] = ()) -> Iterator[str]:
    """Open every page the signed-in user can reach by links, one per route; yield each path.

    The page is showing the path when it is yielded. `extra` adds pages only a form reaches.
    """
    seen: set[tuple[str, ...]] = set()
    queue = ["/contracts/", *extra]
    while queue and len(seen) < LIMIT:
        path = queue.pop(0)
        if shape(path) in seen:
            continue
        response = page.goto(url + path)
        if response is None or (response.status != 200 and path not in extra):
            continue  # a page the role may not open; an extra page may be an error page
        seen.add(shape(path))
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        yield path
        for href in hrefs:
            parts = urlsplit(href)
            page_link = href.startswith(url) and not NOT_PAGES.search(parts.path)
            if page_link and shape(parts.path) not in seen:
                queue.append(parts.path)
