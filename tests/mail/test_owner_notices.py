"""The contract's owner hears through the outbox when the planner disputes an invoice or
comments on the final pickup through the link: once per event, in the owner's language."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

import pytest
import sqlalchemy as sa

from hotelattrition import jobs
from hotelattrition.models import Dispute, OutgoingMail, StatementReply, User
from hotelattrition.services.contract_editing import ContractDetails
from hotelattrition.services.contract_editing import create_contract as create_from_form
from hotelattrition.services.invoices import issue_invoice
from hotelattrition.services.pickup_statements import publish_statement
from hotelattrition.services.planner import create_planner_link
from tests.conftest import csrf_token
from tests.invoicing import stay_document


@pytest.fixture
def owned(database: Any, create_property: Any, create_user: Any) -> Any:
    """G-100, stayed, made from the form by ana (its owner); H-200 made by an import."""
    create_property("MAD", "EUR")
    ana = create_user("Ana@Hotel.example", "sales", ("MAD",))
    ana.language = "en"
    contract = create_from_form(stay_document("G-100"), ContractDetails(None, ()), ana)
    database.flush()
    return contract


def post(client: Any, path: str, data: dict[str, Any]) -> Any:
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, **data},
                       content_type="multipart/form-data")  # fmt: skip


def delivered(database: Any, smtp_server: Any) -> list[EmailMessage]:
    """Send what a worker would (PostgreSQL defers a job; SQLite sent it after the commit)."""
    database.expire_all()
    for mail in database.scalars(sa.select(OutgoingMail).where(OutgoingMail.state == "queued")):
        jobs.send_one(mail.id)
    return smtp_server.messages


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def test_a_dispute_through_the_link_mails_the_owner_once_with_its_link(
    client: Any, database: Any, owned: Any, smtp_server: Any
) -> None:
    invoice = issue_invoice(owned)
    base = "/p/" + create_planner_link("sales@example.com", owned)[1]
    path = f"{base}/invoices/{invoice.number}/dispute"
    night = owned.nights[1].isoformat()
    refused = post(client, path, {"lines": "1", "nights": night, "body": ""})
    assert refused.status_code == 400
    assert database.scalar(sa.select(sa.func.count()).select_from(OutgoingMail)) == 0
    done = post(client, path, {"lines": "1", "nights": night, "body": "Night 2 had 20 DBL."})
    assert done.status_code == 302, done.get_data(as_text=True)
    dispute = database.scalar(sa.select(Dispute))
    [message] = delivered(database, smtp_server)
    assert message["To"] == "ana@hotel.example"
    assert message["Subject"] == f"Invoice {invoice.number} disputed: Acme sales conference (G-100)"
    text = text_of(message)
    assert "Night 2 had 20 DBL." in text
    assert f"Answer the dispute: http://localhost/disputes/{dispute.id}" in text
    mail = database.scalar(sa.select(OutgoingMail))
    assert (mail.kind, mail.state, mail.key) == (
        "owner_dispute",
        "sent",
        f"owner:dispute:{dispute.id}:ana@hotel.example",
    )
    # A message in the dispute afterwards is no new dispute: the owner is not told again.
    again = post(client, done.location, {"body": "Here is the list again."})
    assert again.status_code == 302
    assert len(delivered(database, smtp_server)) == 1


def test_a_comment_on_the_final_pickup_mails_the_owner_in_spanish_and_an_acceptance_does_not(
    app: Any, client: Any, database: Any, owned: Any, smtp_server: Any, monkeypatch: Any
) -> None:
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://grupos.hotel.example/")
    database.scalar(sa.select(User).where(User.email == "ana@hotel.example")).language = "es"
    publish_statement(owned, "accounting@example.com")
    database.flush()
    path = "/p/" + create_planner_link("sales@example.com", owned)[1] + "/final-pickup"
    accepted = post(client, path, {"n0_answer": "accept", "n1_answer": "accept"})
    assert accepted.status_code == 302
    assert delivered(database, smtp_server) == []
    commented = post(client, path, {"n0_answer": "accept", "n1_answer": "comment",
                                    "n1_comment": "We had 28 DBL, not 25."})  # fmt: skip
    assert commented.status_code == 302
    [message] = delivered(database, smtp_server)
    assert message["Subject"] == "Ocupación final comentada: Acme sales conference (G-100)"
    text = text_of(message)
    assert "We had 28 DBL, not 25." in text
    assert "Abrir el contrato: https://grupos.hotel.example/contracts/G-100" in text
    assert "ha comentado la declaración final de ocupación" in text
    replies = database.scalars(sa.select(StatementReply.id).order_by(StatementReply.id)).all()
    mail = database.scalar(sa.select(OutgoingMail))
    assert (mail.kind, mail.language, mail.key) == (
        "owner_comment",
        "es",
        f"owner:comment:{replies[-1]}:ana@hotel.example",
    )


def test_a_contract_with_no_owner_queues_no_notice(
    client: Any, database: Any, create_contract: Any, smtp_server: Any
) -> None:
    imported = create_contract(**stay_document("H-200", name="Other group"))
    invoice = issue_invoice(imported)
    base = "/p/" + create_planner_link("sales@example.com", imported)[1]
    night = imported.nights[0].isoformat()
    done = post(client, f"{base}/invoices/{invoice.number}/dispute",
                {"lines": "1", "nights": night, "body": "Wrong count."})  # fmt: skip
    assert done.status_code == 302
    assert database.scalar(sa.select(Dispute)) is not None
    assert delivered(database, smtp_server) == []
    assert database.scalar(sa.select(sa.func.count()).select_from(OutgoingMail)) == 0
