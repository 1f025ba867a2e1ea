"""The access table: every route, every role, own and other property."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from hotelattrition.services.batches import add_file, create_batch
from hotelattrition.services.invoice_payments import record_payment
from hotelattrition.services.invoices import issue_invoice
from tests.conftest import csrf_token, log_in
from tests.invoicing import cancelled_document, stay_document

ROLES = ("admin", "manager", "accounting", "sales", "viewer")

# (method, path) -> expected status per role, for a contract at the user's own property.
# A contract at another property answers 404 to everyone but admins: its existence stays hidden.
TABLE: dict[tuple[str, str], dict[str, int]] = {
    ("GET", "/"): dict.fromkeys(ROLES, 302),
    ("GET", "/contracts/"): dict.fromkeys(ROLES, 200),
    ("GET", "/contracts/{code}/settlement"): dict.fromkeys(ROLES, 200),
    ("GET", "/contracts/contracts.csv"): dict.fromkeys(ROLES, 200),
    ("GET", "/contracts/{code}/statement.pdf"): dict.fromkeys(ROLES, 200),
    ("POST", "/logout"): dict.fromkeys(ROLES, 302),
    ("POST", "/language"): dict.fromkeys(ROLES, 400),  # no language chosen
    ("GET", "/password"): dict.fromkeys(ROLES, 200),
    ("POST", "/password"): dict.fromkeys(ROLES, 400),  # nothing typed: the form again
    ("GET", "/users/"): {"admin": 200, "accounting": 403, "sales": 403, "viewer": 403},
    # contracts (issue 5) ---
    ("GET", "/contracts/{code}"): dict.fromkeys(ROLES, 200),
    **{
        (method, path): {"admin": ok, "accounting": ok, "sales": ok, "viewer": 403}
        for method, path, ok in (
            ("GET", "/contracts/new", 200),
            ("POST", "/contracts/new", 200),  # no button pressed: the form again
            ("GET", "/contracts/{code}/edit", 200),
            ("POST", "/contracts/{code}/edit", 200),
            ("GET", "/contracts/{code}/pickup", 200),
            ("POST", "/contracts/{code}/pickup", 400),  # no as-of date
            ("GET", "/contracts/{code}/revise/{reason}", 200),
            ("POST", "/contracts/{code}/revise/{reason}", 400),  # no cut-off date yet
        )
    },
    ("GET", "/accounts/"): dict.fromkeys(ROLES, 200),
    ("GET", "/accounts/{account_id}"): dict.fromkeys(ROLES, 200),
    # invoices (issue 6) ---
    # Every role reads its properties' invoices; issuing, crediting and payments are accounting's.
    # POSTs carry only the CSRF token: G-100 is not invoiceable yet, the forms lack fields (400).
    ("GET", "/invoices/"): dict.fromkeys(ROLES, 200),
    ("GET", "/invoices/{number}"): dict.fromkeys(ROLES, 200),
    ("GET", "/invoices/{number}/pdf"): dict.fromkeys(ROLES, 200),
    ("GET", "/invoices/issue/{code}"): {
        "admin": 200,
        "accounting": 200,
        "sales": 403,
        "viewer": 403,
    },
    **{
        (method, path): {"admin": 400, "accounting": 400, "sales": 403, "viewer": 403}
        for method, path in (
            ("POST", "/invoices/issue/{code}"),
            ("POST", "/invoices/{number}/credit"),
            ("POST", "/invoices/{number}/payments"),
        )
    },
    # Reversing asks first: a POST without `confirmed` answers the confirmation page.
    ("POST", "/invoices/{number}/payments/{payment_id}/reverse"): {
        "admin": 200,
        "accounting": 200,
        "sales": 403,
        "viewer": 403,
    },
    # rebooking credits (issue 16) --- G-100 has no clause: the refusal is flashed (302)
    **{
        ("POST", path): {"admin": 302, "accounting": 302, "sales": 403, "viewer": 403}
        for path in ("/credits/convert/{code}", "/credits/apply/{code}", "/credits/grant/{code}")
    },
    # pickup import and reports (issue 7) ---
    ("GET", "/pickup/import"): {"admin": 200, "accounting": 200, "sales": 200, "viewer": 403},
    # A POST without a file: the form answers 422 with its errors.
    ("POST", "/pickup/import"): {"admin": 422, "accounting": 422, "sales": 422, "viewer": 403},
    # Without a previewed file kept for the session there is nothing to confirm or map: 400.
    ("POST", "/pickup/import/confirm"): {
        "admin": 400,
        "accounting": 400,
        "sales": 400,
        "viewer": 403,
    },
    ("POST", "/pickup/import/mapping"): {
        "admin": 400,
        "accounting": 400,
        "sales": 400,
        "viewer": 403,
    },
    # Room-type aliases per property: {code} here is a contract's code, no property's (404);
    # a property's own page and its neighbours' are tested in test_room_type_aliases.
    ("GET", "/pickup/aliases/"): {"admin": 302, "accounting": 302, "sales": 302, "viewer": 403},
    **{
        (method, path): {"admin": 404, "accounting": 404, "sales": 404, "viewer": 403}
        for method, path in (
            ("GET", "/pickup/aliases/{code}"),
            ("POST", "/pickup/aliases/{code}"),
            ("POST", "/pickup/aliases/{code}/{alias_id}/remove"),
        )
    },
    ("GET", "/reports/"): dict.fromkeys(ROLES, 200),
    ("GET", "/reports/monthly.csv"): dict.fromkeys(ROLES, 200),
    ("GET", "/reports/monthly.pdf"): dict.fromkeys(ROLES, 200),
    ("GET", "/reports/early-warning"): dict.fromkeys(ROLES, 200),
    ("GET", "/reports/early-warning.csv"): dict.fromkeys(ROLES, 200),
    # batches (issue 15): a POST without the form's own fields goes back with a message (302);
    # a batch is seen by whoever asked for it (here accounting) and by admins.
    ("GET", "/batches/"): dict.fromkeys(ROLES, 200),
    ("POST", "/batches/issue-due"): {"admin": 302, "accounting": 302, "sales": 403, "viewer": 403},
    ("POST", "/batches/report-pack"): dict.fromkeys(ROLES, 302),
    ("POST", "/batches/recompute"): {"admin": 302, "accounting": 302, "sales": 302, "viewer": 403},
    # office set-up (issue 18): accounts and voids by sales and accounting, the rest by admins.
    ("GET", "/contracts/{code}/void"): {
        "admin": 200,
        "accounting": 200,
        "sales": 200,
        "viewer": 403,
    },
    ("POST", "/contracts/{code}/void"): {
        "admin": 400,
        "accounting": 400,
        "sales": 400,
        "viewer": 403,
    },
    ("GET", "/accounts/{account_id}/edit"): {
        "admin": 200,
        "accounting": 200,
        "sales": 200,
        "viewer": 403,
    },
    ("POST", "/accounts/{account_id}/edit"): {
        "admin": 400,
        "accounting": 400,
        "sales": 400,
        "viewer": 403,
    },
    ("GET", "/properties/"): {"admin": 200, "accounting": 403, "sales": 403, "viewer": 403},
    ("GET", "/properties/new"): {"admin": 200, "accounting": 403, "sales": 403, "viewer": 403},
    ("POST", "/properties/new"): {"admin": 400, "accounting": 403, "sales": 403, "viewer": 403},
    ("GET", "/properties/MAD/edit"): {"admin": 200, "accounting": 403, "sales": 403, "viewer": 403},
    # the hotel's occupancy by night (issue 19): accounting and up, at a property they see; a
    # POST with the CSRF token alone is not the month's form (400).
    ("GET", "/properties/MAD/occupancy"): {
        "admin": 200,
        "accounting": 200,
        "sales": 403,
        "viewer": 403,
    },
    ("POST", "/properties/MAD/occupancy"): {
        "admin": 400,
        "accounting": 400,
        "sales": 403,
        "viewer": 403,
    },
    ("POST", "/properties/MAD/edit"): {
        "admin": 400,
        "accounting": 403,
        "sales": 403,
        "viewer": 403,
    },
    ("GET", "/users/new"): {"admin": 200, "accounting": 403, "sales": 403, "viewer": 403},
    ("POST", "/users/new"): {"admin": 400, "accounting": 403, "sales": 403, "viewer": 403},
    ("GET", "/users/{user_id}/edit"): {
        "admin": 200,
        "accounting": 403,
        "sales": 403,
        "viewer": 403,
    },
    ("POST", "/users/{user_id}/edit"): {
        "admin": 400,
        "accounting": 403,
        "sales": 403,
        "viewer": 403,
    },
    ("POST", "/users/{user_id}/reset"): {
        "admin": 200,
        "accounting": 403,
        "sales": 403,
        "viewer": 403,
    },
    ("POST", "/users/{user_id}/active"): {
        "admin": 302,
        "accounting": 403,
        "sales": 403,
        "viewer": 403,
    },
    **{
        ("GET", path): {"admin": 200, "accounting": 200, "sales": 404, "viewer": 404}
        for path in (
            "/batches/{batch_id}",
            "/batches/{batch_id}/progress.json",
            "/batches/{batch_id}/pack.zip",
        )
    },
    # settlement decisions and lost business (issue 16): sales may ask for a waiver, managers
    # and admins approve. POSTs carry only the CSRF token: the forms lack fields (400); G-100
    # is signed, so it cannot be marked lost (400); there is no decision 999999 (404).
    **{
        (method, path): {"admin": ok, "manager": ok, "accounting": ok, "sales": ok, "viewer": 403}
        for method, path, ok in (
            ("GET", "/contracts/{code}/decision", 200),
            ("POST", "/contracts/{code}/decision", 400),
            ("GET", "/contracts/{code}/lost", 200),
            ("POST", "/contracts/{code}/lost", 400),
        )
    },
    ("GET", "/waivers/"): {
        "admin": 200,
        "manager": 200,
        "accounting": 403,
        "sales": 403,
        "viewer": 403,
    },
    ("POST", "/waivers/{decision_id}"): {
        "admin": 404,
        "manager": 404,
        "accounting": 403,
        "sales": 403,
        "viewer": 403,
    },
    ("GET", "/reports/lost-business"): dict.fromkeys(ROLES, 200),
    ("GET", "/reports/lost-business.csv"): dict.fromkeys(ROLES, 200),
    # the retention report (issue 17) ---
    ("GET", "/reports/retention"): dict.fromkeys(ROLES, 200),
    ("GET", "/reports/retention.csv"): dict.fromkeys(ROLES, 200),
    ("GET", "/reports/retention.pdf"): dict.fromkeys(ROLES, 200),
    # outside-block reconciliation (issue 19): sales and up. The upload POST carries no files
    # (400); there is no report 999999 (404).
    **{
        (method, path): {"admin": ok, "accounting": ok, "sales": ok, "viewer": 403}
        for method, path, ok in (
            ("GET", "/contracts/{code}/reconciliation/", 200),
            ("POST", "/contracts/{code}/reconciliation/", 400),
            ("GET", "/contracts/{code}/reconciliation/{report_id}", 404),
            ("POST", "/contracts/{code}/reconciliation/{report_id}/confirm", 404),
            ("GET", "/contracts/{code}/reconciliation/{report_id}/pairs.csv", 404),
            ("GET", "/contracts/{code}/reconciliation/{report_id}/nights.csv", 404),
        )
    },
    # final pickup, disputes and evidence packs (issue 19): everyone reads; accounting and up
    # publish, record, answer and resolve. G-100 arrives in 200 days: publishing is refused
    # with a flash (302); the dispute POST carries no lines (400); there is no dispute 999999.
    ("GET", "/contracts/{code}/final-pickup/"): dict.fromkeys(ROLES, 200),
    ("GET", "/invoices/{number}/evidence/{language}.pdf"): dict.fromkeys(ROLES, 200),
    ("GET", "/disputes/{dispute_id}"): dict.fromkeys(ROLES, 404),
    ("GET", "/disputes/{dispute_id}/files/{attachment_id}"): dict.fromkeys(ROLES, 404),
    **{
        (method, path): {"admin": ok, "accounting": ok, "sales": 403, "viewer": 403}
        for method, path, ok in (
            ("POST", "/contracts/{code}/final-pickup/", 302),
            ("GET", "/invoices/{number}/disputes/new", 200),
            ("POST", "/invoices/{number}/disputes/new", 400),
            ("POST", "/disputes/{dispute_id}/messages", 404),
            ("POST", "/disputes/{dispute_id}/resolve", 404),
        )
    },
    # the planner's link (issue 19): sales and up make one (the page showing it once) and
    # revoke it (none is live here: the contract page again, saying so).
    ("POST", "/contracts/{code}/planner-link"): {
        "admin": 200,
        "accounting": 200,
        "sales": 200,
        "viewer": 403,
    },
    ("POST", "/contracts/{code}/planner-link/revoke"): {
        "admin": 302,
        "accounting": 302,
        "sales": 302,
        "viewer": 403,
    },
    # the survey link (issue 17): sales and up make and revoke it; G-100 has not departed
    # (made: refused, the contract page again), none is live (revoked: refused likewise).
    **{
        ("POST", path): {"admin": 302, "accounting": 302, "sales": 302, "viewer": 403}
        for path in ("/contracts/{code}/survey-link", "/contracts/{code}/survey-link/revoke")
    },
    # outgoing mail (issue 19): admins and managers; there is no mail 999999 (404).
    ("GET", "/mail/"): {
        "admin": 200,
        "manager": 200,
        "accounting": 403,
        "sales": 403,
        "viewer": 403,
    },
    **{
        ("GET", path): {
            "admin": 404,
            "manager": 404,
            "accounting": 403,
            "sales": 403,
            "viewer": 403,
        }
        for path in ("/mail/{mail_id}", "/mail/{mail_id}/html")
    },
    # the reason lists (issue 17): admins only. The POST carries no fields (400); there is no
    # waiver reason named after a contract code (404).
    **{
        (method, path): {"admin": ok, "accounting": 403, "sales": 403, "viewer": 403}
        for method, path, ok in (
            ("GET", "/reasons/", 200),
            ("POST", "/reasons/", 400),
            ("POST", "/reasons/{kind}/{code}/retire", 404),
            ("POST", "/reasons/{kind}/{code}/restore", 404),
        )
    },
    ("POST", "/mail/{mail_id}/send-again"): {  # fixes19: admins and managers, no mail 999999
        "admin": 404,
        "manager": 404,
        "accounting": 403,
        "sales": 403,
        "viewer": 403,
    },
    # account history and the next edition (issue 17): everyone reads, editors copy.
    ("GET", "/accounts/{account_id}/history.csv"): dict.fromkeys(ROLES, 200),
    ("GET", "/accounts/{account_id}/history.pdf"): dict.fromkeys(ROLES, 200),
    ("GET", "/contracts/{code}/next-edition"): {
        "admin": 200,
        "accounting": 200,
        "sales": 200,
        "viewer": 403,
    },
    ("POST", "/contracts/{code}/next-edition"): {  # the CSRF token alone: no code, no block
        "admin": 400,
        "accounting": 400,
        "sales": 400,
        "viewer": 403,
    },
    # silent attrition (issue 17): sales and up record complaints, follow-ups and lost
    # accounts; viewers read them. POSTs carry only the CSRF token: the forms lack fields
    # (400); the account is not lost, so winning it back is refused and flashed (302); there
    # is no complaint or follow-up 999999 (404).
    **{
        (method, path): {"admin": ok, "accounting": ok, "sales": ok, "viewer": 403}
        for method, path, ok in (
            ("GET", "/contracts/{code}/complaints/new", 200),
            ("POST", "/contracts/{code}/complaints/new", 400),
            ("GET", "/complaints/{complaint_id}/resolve", 404),
            ("POST", "/complaints/{complaint_id}/resolve", 404),
            ("GET", "/accounts/{account_id}/followups/new", 200),
            ("POST", "/accounts/{account_id}/followups/new", 400),
            ("POST", "/followups/{followup_id}/done", 404),
            ("GET", "/accounts/{account_id}/lost", 200),
            ("POST", "/accounts/{account_id}/lost", 400),
            ("POST", "/accounts/{account_id}/win-back", 302),
        )
    },
    ("GET", "/reports/accounts-at-risk.csv"): dict.fromkeys(ROLES, 200),
}
# A manager may what accounting may at its properties (and approves waivers, above); a batch
# is seen by whoever asked for it, here accounting.
for _key, _expected in TABLE.items():
    if "manager" not in _expected:
        _expected["manager"] = 404 if _key[1].startswith("/batches/{") else _expected["accounting"]
# Reachable without a session, each with its own guard (tested in test_auth and test_api).
PUBLIC = {
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/api/v1/settlements"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/static/<path:filename>"),
    ("GET", "/healthz"),
    ("GET", "/p/<token>"),  # the planner's page: its token is the guard (test_planner_page)
    ("GET", "/s/<token>"),  # the post-event survey: likewise (test_surveys)
    ("POST", "/s/<token>"),
    # the planner's answers and disputes through the link: the token is the guard
    # (test_planner_disputes)
    ("GET", "/p/<token>/final-pickup"),
    ("POST", "/p/<token>/final-pickup"),
    ("GET", "/p/<token>/invoices/{number}/dispute"),
    ("POST", "/p/<token>/invoices/{number}/dispute"),
    ("GET", "/p/<token>/disputes/{dispute_id}"),
    ("POST", "/p/<token>/disputes/{dispute_id}"),
    ("GET", "/p/<token>/invoices/{number}/evidence/{language}.pdf"),
    ("GET", "/p/<token>/disputes/{dispute_id}/files/{attachment_id}"),
}


def test_every_route_is_in_the_table(app: Flask) -> None:
    routes = {
        (
            method,
            rule.rule.replace("<code>", "{code}")
            .replace("<int:account_id>", "{account_id}")
            .replace("<any(review, cutoff):reason>", "{reason}")
            .replace("<number>", "{number}")
            .replace("<int:payment_id>", "{payment_id}")
            .replace("<int:batch_id>", "{batch_id}")
            .replace("<int:decision_id>", "{decision_id}")
            .replace("<int:user_id>", "{user_id}")
            .replace("<property_code>", "MAD")
            .replace("<int:alias_id>", "{alias_id}")
            .replace("<int:report_id>", "{report_id}")
            .replace("<any(en, es):language>", "{language}")
            .replace("<int:dispute_id>", "{dispute_id}")
            .replace("<int:attachment_id>", "{attachment_id}")
            .replace("<int:mail_id>", "{mail_id}")
            .replace("<int:complaint_id>", "{complaint_id}")
            .replace("<int:followup_id>", "{followup_id}")
            .replace("<kind>", "{kind}"),
        )
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == set(TABLE) | PUBLIC


@pytest.fixture
def setup(create_contract: Any, create_property: Any, create_user: Any) -> dict[str, str]:
    # G-100 at MAD and B-200 at BCN arrive in 200 days whatever today is: not invoiceable.
    own = create_contract(**stay_document("G-100", days_ago=-200))
    other = create_contract(
        **stay_document("B-200", days_ago=-200, property="BCN", account="Bravo Travel")
    )
    users = [create_user(f"{role}@example.com", role, ("MAD",)) for role in ROLES]
    own_invoice = issue_invoice(create_contract(**cancelled_document("I-100")))
    other_invoice = issue_invoice(create_contract(**cancelled_document("I-200", property="BCN")))
    own_payment, other_payment = (
        record_payment(invoice.number, "1.00", invoice.issued_on, "TRF")
        for invoice in (own_invoice, other_invoice)
    )
    batch = create_batch("report_pack", {"month": "2027-03"}, "accounting@example.com", ["MAD"])
    add_file(batch.items[0], "MAD-2027-03.csv", "text/csv", b"code\n")
    return {
        "batch_id": str(batch.id),
        "user_id": str(users[-1].id),
        "own_number": own_invoice.number,
        "other_number": other_invoice.number,
        "own_payment": str(own_payment.id),
        "other_payment": str(other_payment.id),
        "own": "G-100",
        "other": "B-200",
        "own_account": str(own.account_id),
        "other_account": str(other.account_id),
    }


def request(client: Any, method: str, path: str) -> Any:
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(client, "/contracts/")})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), sorted(TABLE))
def test_access(client: Any, setup: dict[str, str], role: str, method: str, path: str) -> None:
    log_in(client, f"{role}@example.com")
    own = request(
        client,
        method,
        path.format(
            code=setup["own"],
            account_id=setup["own_account"],
            reason="cutoff",
            number=setup["own_number"],
            payment_id=setup["own_payment"],
            batch_id=setup["batch_id"],
            decision_id="999999",
            user_id=setup["user_id"],
            alias_id="1",
            report_id="999999",
            language="en",
            dispute_id="999999",
            attachment_id="1",
            mail_id="999999",
            kind="waiver",
            complaint_id="999999",
            followup_id="999999",
        ),
    )
    assert own.status_code == TABLE[(method, path)][role]
    if "{code}" in path or "{account_id}" in path or "{number}" in path:
        other_path = path.format(
            code=setup["other"],
            account_id=setup["other_account"],
            reason="cutoff",
            number=setup["other_number"],
            payment_id=setup["other_payment"],
            alias_id="1",
            report_id="999999",
            language="en",
            dispute_id="999999",
            attachment_id="1",
            kind="waiver",
        )
        other = request(client, method, other_path)
        expected = TABLE[(method, path)][role]
        # Others' contracts are hidden (404); a role refused everywhere is refused here too.
        assert other.status_code == (expected if role == "admin" or expected == 403 else 404)


def test_list_shows_only_the_users_properties(
    app: Flask, client: Any, setup: dict[str, str]
) -> None:
    log_in(client, "sales@example.com")
    page = client.get("/contracts/").get_data(as_text=True)
    assert "G-100" in page
    assert "B-200" not in page
    admin = app.test_client()
    log_in(admin, "admin@example.com")
    page = admin.get("/contracts/").get_data(as_text=True)
    assert "G-100" in page
    assert "B-200" in page
