"""The planner's side through the link: answer the final pickup, dispute, write, download."""

from __future__ import annotations

import io
from typing import Any

import pytest
import sqlalchemy as sa

from hotelattrition.models import AuditEntry, Dispute, StatementReply
from hotelattrition.services.disputes import add_message
from hotelattrition.services.invoices import issue_invoice
from hotelattrition.services.pickup_statements import publish_statement
from hotelattrition.services.planner import create_planner_link
from tests.conftest import csrf_token
from tests.invoicing import stay_document

PDF = b"%PDF-1.4\n% our registration count\n"


@pytest.fixture
def stayed(create_contract: Any) -> Any:
    contract = create_contract(**stay_document("G-100"))
    create_contract(**stay_document("H-200", name="Other group"))
    return contract


def link(contract: Any) -> str:
    return "/p/" + create_planner_link("sales@example.com", contract)[1]


def post(client: Any, path: str, data: dict[str, Any]) -> Any:
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, **data},
                       content_type="multipart/form-data")  # fmt: skip


def test_the_planner_accepts_the_final_pickup(client: Any, database: Any, stayed: Any) -> None:
    base = link(stayed)
    assert "final-pickup" not in client.get(base).get_data(as_text=True)
    publish_statement(stayed, "accounting@example.com")
    page = client.get(base, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Review the final pickup" in page and "published, not answered" in page
    path = base + "/final-pickup"
    missing = post(client, path, {"n0_answer": "accept", "n1_answer": "comment"})
    assert missing.status_code == 400
    assert "Say what is wrong with this night." in missing.get_data(as_text=True)
    assert database.scalar(sa.select(sa.func.count()).select_from(StatementReply)) == 0
    done = post(client, path, {"n0_answer": "accept", "n1_answer": "accept"})
    assert done.status_code == 302
    reply = database.scalar(sa.select(StatementReply))
    assert reply.accepted and reply.replied_by == "planner (link)"
    shown = client.get(path, headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "aceptada por el organizador" in shown
    invoice = issue_invoice(stayed)
    hotel = client.get(base).get_data(as_text=True)
    assert invoice.number in hotel and "Dispute this invoice" in hotel


def test_the_planner_disputes_and_writes_again(client: Any, database: Any, stayed: Any) -> None:
    invoice = issue_invoice(stayed)
    base = link(stayed)
    path = f"{base}/invoices/{invoice.number}/dispute"
    night = stayed.nights[1].isoformat()
    unsaid = post(client, path, {"lines": "1", "nights": night, "body": ""})
    assert unsaid.status_code == 400 and "Write the message." in unsaid.get_data(as_text=True)
    done = post(client, path, {"lines": "1", "nights": night, "body": "Night 2 had 20 DBL.",
                               "files": (io.BytesIO(PDF), "registrations.pdf")})  # fmt: skip
    assert done.status_code == 302
    dispute = database.scalar(sa.select(Dispute))
    assert (dispute.opened_by_side, dispute.state, dispute.nights) == ("planner", "open", [night])
    page = client.get(done.location).get_data(as_text=True)
    assert "Night 2 had 20 DBL." in page and "registrations.pdf" in page
    add_message(dispute, side="hotel", author="acc@example.com", body="Our PMS says 18.",
                files=[], actor="acc@example.com")  # fmt: skip
    database.flush()
    again = post(client, done.location, {"body": "Here is the list again."})
    assert again.status_code == 302
    database.expire_all()
    assert database.get(Dispute, dispute.id).state == "open"
    files = {a.kind: a.id for a in database.get(Dispute, dispute.id).attachments}
    pack = client.get(f"{base}/disputes/{dispute.id}/files/{files['evidence_pack']}")
    assert pack.status_code == 200 and pack.data.startswith(b"%PDF")
    assert pack.headers["Cache-Control"] == "no-store"
    evidence = client.get(f"{base}/invoices/{invoice.number}/evidence/es.pdf")
    assert evidence.status_code == 200 and evidence.mimetype == "application/pdf"
    actors = set(database.scalars(sa.select(AuditEntry.actor).where(
        AuditEntry.action.in_(("open_dispute", "dispute_message")))))  # fmt: skip
    assert "planner (link)" in actors


def test_another_contracts_invoice_or_a_dead_link_opens_nothing(
    client: Any, stayed: Any, database: Any, create_contract: Any
) -> None:
    other = database.scalar(sa.select(type(stayed)).where(type(stayed).code == "H-200"))
    theirs = issue_invoice(other)
    base = link(stayed)
    for path in (f"{base}/invoices/{theirs.number}/dispute",
                 f"{base}/invoices/{theirs.number}/evidence/en.pdf",
                 f"{base}/final-pickup", "/p/not-a-token/final-pickup",
                 f"{base}/disputes/1"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 404, path
        assert "This link opens nothing" in response.get_data(as_text=True)


def test_the_planner_picks_a_language_on_any_of_its_pages(client: Any, stayed: Any) -> None:
    publish_statement(stayed, "cli")
    path = link(stayed) + "/final-pickup"
    spanish = client.get(path + "?lang=es", headers={"Accept-Language": "en"})
    assert "Declaración final de ocupación" in spanish.get_data(as_text=True)
    assert "planner_language=es" in spanish.headers["Set-Cookie"]
    again = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Declaración final de ocupación" in again
