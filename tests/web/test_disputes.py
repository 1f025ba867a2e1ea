"""The hotel's side: publish the final pickup, record a dispute, answer and resolve it."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
import sqlalchemy as sa

from hotelattrition.models import AuditEntry, Dispute, PickupStatement
from hotelattrition.services.invoices import issue_invoice
from hotelattrition.services.pickup_statements import publish_statement
from tests.conftest import csrf_token, log_in
from tests.invoicing import stay_document

PDF = b"%PDF-1.4\n% the planner's own count\n"


@pytest.fixture
def office(create_contract: Any, create_user: Any) -> Any:
    contract = create_contract(**stay_document("G-100"))
    for role in ("accounting", "viewer"):
        create_user(f"{role}@example.com", role, ("MAD",))
    return contract


def post(client: Any, path: str, data: dict[str, Any], page: str) -> Any:
    return client.post(
        path,
        data={"csrf_token": csrf_token(client, page), **data},
        content_type="multipart/form-data",
    )


def test_accounting_publishes_the_final_pickup(client: Any, database: Any, office: Any) -> None:
    log_in(client, "accounting@example.com")
    contract_page = client.get("/contracts/G-100").get_data(as_text=True)
    assert 'id="final-pickup"' in contract_page
    page = "/contracts/G-100/final-pickup/"
    done = post(client, page, {}, page)
    assert done.status_code == 302
    shown = client.get(page).get_data(as_text=True)
    assert "Version 1" in shown and "published, not answered" in shown
    assert re.search(r"<td>DBL</td>\s*<td class=\"num\">30</td>\s*<td class=\"num\">22</td>", shown)
    again = post(client, page, {}, page)
    assert "already states these figures" in client.get(again.location).get_data(as_text=True)
    assert database.scalar(sa.select(sa.func.count()).select_from(PickupStatement)) == 1
    issue = client.get("/invoices/issue/G-100").get_data(as_text=True)
    assert 'id="final-pickup-state"' in issue and "published, not answered" in issue


def test_a_viewer_reads_but_does_not_publish(client: Any, office: Any) -> None:
    log_in(client, "viewer@example.com")
    page = "/contracts/G-100/final-pickup/"
    assert client.get(page).status_code == 200
    assert post(client, page, {}, "/contracts/").status_code == 403


def test_record_answer_and_resolve_a_dispute(client: Any, database: Any, office: Any) -> None:
    publish_statement(office, "cli")
    invoice = issue_invoice(office)
    log_in(client, "accounting@example.com")
    shown = client.get(f"/invoices/{invoice.number}").get_data(as_text=True)
    assert "not accepted by the planner then" in shown and "Record a dispute" in shown
    new = f"/invoices/{invoice.number}/disputes/new"
    missing = post(client, new, {"body": "Night 2: 20 DBL, not 18."}, new)
    assert missing.status_code == 400
    text = missing.get_data(as_text=True)
    assert "Choose the lines you dispute." in text and "Night 2: 20 DBL, not 18." in text
    bad_file = post(
        client, new,
        {"lines": "1", "body": "See the list.", "files": (io.BytesIO(b"MZ\x90"), "list.exe")},
        new,
    )  # fmt: skip
    assert bad_file.status_code == 400
    assert "send a PDF, PNG, JPEG, CSV or text file" in bad_file.get_data(as_text=True)
    night = office.nights[1].isoformat()
    done = post(
        client, new,
        {"lines": "1", "nights": night, "body": "Night 2: 20 DBL, not 18.",
         "files": (io.BytesIO(PDF), "count.pdf")},
        new,
    )  # fmt: skip
    assert done.status_code == 302
    dispute = database.scalar(sa.select(Dispute))
    assert (dispute.state, dispute.lines, dispute.nights) == ("open", [1], [night])
    page = client.get(done.location).get_data(as_text=True)
    assert "count.pdf" in page and f"{invoice.number}-evidence-es.pdf" in page
    files = {a.kind: a for a in dispute.attachments}
    download = client.get(f"/disputes/{dispute.id}/files/{files['file'].id}")
    assert download.data == PDF and download.headers["Content-Disposition"].startswith("attachment")
    evidence = client.get(f"/disputes/{dispute.id}/files/{files['evidence_pack'].id}")
    assert evidence.data.startswith(b"%PDF")
    listing = client.get("/invoices/").get_data(as_text=True)
    assert 'id="open-disputes"' in listing and f"/disputes/{dispute.id}" in listing
    answer = post(client, f"/disputes/{dispute.id}/messages", {"body": "Our PMS shows 18."},
                  done.location)  # fmt: skip
    assert answer.status_code == 302
    database.expire_all()
    assert database.get(Dispute, dispute.id).state == "answered"
    unsaid = post(client, f"/disputes/{dispute.id}/resolve",
                  {"resolution": "credit_note", "lines": "1"}, done.location)  # fmt: skip
    assert unsaid.status_code == 400 and "Say why." in unsaid.get_data(as_text=True)
    resolved = post(client, f"/disputes/{dispute.id}/resolve",
                    {"resolution": "credit_note", "lines": "1", "note": "Agreed on 20."},
                    done.location)  # fmt: skip
    assert resolved.status_code == 302
    database.expire_all()
    dispute = database.get(Dispute, dispute.id)
    assert dispute.state == "resolved" and dispute.credit_note is not None
    assert dispute.credit_note.reason == f"dispute {dispute.id}: Agreed on 20."
    actions = database.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-3:] == ["dispute_message", "credit", "resolve_dispute"]
    assert 'id="open-disputes"' not in client.get("/invoices/").get_data(as_text=True)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_evidence_pack_downloads_from_the_invoice(
    client: Any, office: Any, language: str
) -> None:
    invoice = issue_invoice(office)
    log_in(client, "viewer@example.com")
    pdf = client.get(f"/invoices/{invoice.number}/evidence/{language}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert f"{invoice.number}-evidence-{language}.pdf" in pdf.headers["Content-Disposition"]


def test_an_invoice_past_its_window_offers_no_dispute(
    client: Any, database: Any, office: Any
) -> None:
    invoice = issue_invoice(office)
    database.execute(sa.text("UPDATE contracts SET dispute_window_days = -1"))
    log_in(client, "accounting@example.com")
    shown = client.get(f"/invoices/{invoice.number}").get_data(as_text=True)
    assert "The dispute window closed on" in shown and "Record a dispute</a>" not in shown


def test_the_contract_history_names_the_statement_and_the_window(
    client: Any, database: Any, office: Any
) -> None:
    from hotelattrition.services.disputes import set_dispute_window

    publish_statement(office, "accounting@example.com")
    set_dispute_window("G-100", 21, "accounting@example.com")
    database.flush()
    log_in(client, "accounting@example.com")
    page = client.get("/contracts/G-100", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert "Final pickup statement published" in text and "Dispute window changed" in text
    assert "A damages invoice may be disputed 21 days after its issue." in text
    assert re.search(r"Dispute window \(days after the invoice\)\W+14\W+21", re.sub(
        r"<[^>]+>", " ", text))  # fmt: skip
