"""Final pickup statements, disputes and the evidence pack, through the services."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from hotelattrition.models import (
    AccountCredit,
    AuditEntry,
    Dispute,
    InvoiceStatement,
    SettlementDecision,
)
from hotelattrition.models.pickup_statements import PublishedStatementError
from hotelattrition.services import ServiceError
from hotelattrition.services.disputes import (
    Attachment,
    add_message,
    content_type,
    may_dispute,
    open_dispute,
    resolve_dispute,
    window_closes_on,
)
from hotelattrition.services.evidence_packs import evidence_data, evidence_pack_pdf
from hotelattrition.services.invoices import issue_invoice
from hotelattrition.services.occupancy import record_occupancy
from hotelattrition.services.pickup_statements import (
    NightAnswer,
    publish_statement,
    reply_to_statement,
    statement_state,
)
from tests.invoicing import madrid_today, stay_document

PDF = b"%PDF-1.4\n% a planner's scan\n"


@pytest.fixture
def stayed(create_contract: Any) -> Any:
    """G-100 stayed ten days ago: 22+5 and 18 rooms picked up of 35 a night, 3 resold."""
    return create_contract(**stay_document() | {"resold": [
        {"night": (madrid_today() - timedelta(days=9)).isoformat(), "rooms": 3}]})  # fmt: skip


def night(contract: Any, i: int) -> date:
    return contract.nights[i]


def test_a_statement_states_the_figures_the_settlement_uses(stayed: Any, database: Any) -> None:
    statement = publish_statement(stayed, "accounting@example.com")
    first, second = statement.nights
    assert first["rooms"] == [
        {"room_type": "DBL", "block": 30, "released": 0, "pickup": 22},
        {"room_type": "STE", "block": 5, "released": 0, "pickup": 5},
    ]
    assert (first["resold"], second["resold"]) == (0, 3)
    assert second["rooms"][1] == {"room_type": "STE", "block": 5, "released": 0, "pickup": 0}
    assert statement.version == 1 and statement_state(statement) == "published"
    with pytest.raises(ServiceError, match="Version 1 already states these figures"):
        publish_statement(stayed, "accounting@example.com")
    statement.nights = []
    with pytest.raises(PublishedStatementError):
        database.flush()


def test_no_statement_before_departure(create_contract: Any) -> None:
    contract = create_contract(**stay_document(days_ago=1))  # departs tomorrow
    with pytest.raises(ServiceError, match="after departure"):
        publish_statement(contract, "cli")


def test_the_planner_accepts_or_comments_night_by_night(stayed: Any) -> None:
    statement = publish_statement(stayed, "cli")
    with pytest.raises(ServiceError) as refused:
        reply_to_statement(
            statement, [NightAnswer(night(stayed, 0), True), NightAnswer(night(stayed, 1), False)],
            "planner",
        )  # fmt: skip
    assert refused.value.problems == [
        (night(stayed, 1).isoformat(), "Say what is wrong with this night.")
    ]
    reply = reply_to_statement(
        statement,
        [NightAnswer(night(stayed, 0), True), NightAnswer(night(stayed, 1), False, "20 DBL")],
        "planner",
    )
    assert not reply.accepted and statement_state(statement) == "commented"
    accepted = reply_to_statement(
        statement, [NightAnswer(n, True) for n in stayed.nights], "planner"
    )
    assert accepted.accepted and statement_state(statement) == "accepted"


def test_an_attrition_invoice_records_its_statement(stayed: Any, database: Any) -> None:
    statement = publish_statement(stayed, "cli")
    reply_to_statement(statement, [NightAnswer(n, True) for n in stayed.nights], "planner")
    invoice = issue_invoice(stayed)
    link = database.get(InvoiceStatement, invoice.id)
    assert (link.statement_id, link.accepted) == (statement.id, True)
    entry = database.scalars(sa.select(AuditEntry).where(AuditEntry.action == "issue")).one()
    assert entry.changes["statement"] == statement.id and entry.changes["accepted"] is True


def test_a_dispute_within_the_window_with_messages_and_evidence(stayed: Any) -> None:
    invoice = issue_invoice(stayed)
    assert window_closes_on(invoice) == invoice.issued_on + timedelta(days=14)
    dispute = open_dispute(
        invoice, side="planner", author="planner", lines=[1], nights=[night(stayed, 1)],
        body="Night 2 had 20 rooms.", files=[Attachment("list.pdf", PDF)], actor="planner",
    )  # fmt: skip
    assert dispute.state == "open" and dispute.due_on == dispute.opened_on + timedelta(days=10)
    kinds = sorted((a.kind, a.content_type) for a in dispute.attachments)
    assert kinds == [("evidence_pack", "application/pdf"), ("file", "application/pdf")]
    assert may_dispute(invoice) == f"Invoice {invoice.number} is disputed already."
    add_message(dispute, side="hotel", author="acc@example.com", body="See the pack.", files=[],
                actor="acc@example.com")  # fmt: skip
    assert dispute.state == "answered"
    add_message(dispute, side="planner", author="planner", body="Still wrong.", files=[],
                actor="planner")  # fmt: skip
    assert dispute.state == "open"
    with pytest.raises(ServiceError, match="no rebooking clause"):
        resolve_dispute(dispute, "rebooking_credit", "converted", "acc@example.com")
    resolve_dispute(dispute, "credit_note", "Agreed: 2 rooms", "acc@example.com", [1])
    assert dispute.state == "resolved" and dispute.credit_note.credits_id == invoice.id
    with pytest.raises(ServiceError, match="resolved"):
        add_message(dispute, side="planner", author="p", body="x", files=[], actor="p")


def test_no_dispute_after_the_window(stayed: Any, database: Any) -> None:
    stayed.dispute_window_days = 0
    invoice = issue_invoice(stayed)
    database.execute(
        sa.text("UPDATE contracts SET dispute_window_days = -1 WHERE id = :id"), {"id": stayed.id}
    )
    database.expire_all()
    with pytest.raises(ServiceError, match="dispute window closed"):
        open_dispute(invoice, side="hotel", author="a", lines=[1], nights=[], body="late",
                     files=[], actor="a")  # fmt: skip
    assert database.scalar(sa.select(sa.func.count()).select_from(Dispute)) == 0


def test_attachments_are_bounded_and_recognised_by_content() -> None:
    assert content_type(Attachment("x.pdf", b"MZ\x90\x00")) is None
    assert content_type(Attachment("list.csv", "name;ñ\n".encode())) == "text/csv"
    assert content_type(Attachment("list.csv", b"\xff\xfe\x00")) is None
    assert content_type(Attachment("shot.bin", b"\x89PNG\r\n\x1a\n...")) == "image/png"


def test_resolving_with_no_change_is_audited(stayed: Any, database: Any) -> None:
    invoice = issue_invoice(stayed)
    dispute = open_dispute(invoice, side="hotel", author="acc", lines=[1], nights=[],
                           body="Phoned in.", files=[], actor="acc")  # fmt: skip
    resolve_dispute(dispute, "no_change", "Figures confirmed by the PMS.", "acc")
    entry = database.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "resolve_dispute")
    ).one()
    assert entry.changes["resolution"] == "no_change"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_evidence_pack(stayed: Any, language: str, tmp_path: Any) -> None:
    record_occupancy("MAD", night(stayed, 1), 200, 200)
    statement = publish_statement(stayed, "cli")
    reply_to_statement(
        statement,
        [NightAnswer(night(stayed, 0), True), NightAnswer(night(stayed, 1), False, "20 DBL")],
        "planner",
    )
    invoice = issue_invoice(stayed)
    data = evidence_data(invoice)
    assert [(n["block"], n["pickup"], n["resold"], n["sold_out"]) for n in data["nights"]] == [
        (35, 27, 0, False),
        (35, 18, 3, True),
    ]
    assert data["source"]["accepted_at_issue"] is False
    pdf = evidence_pack_pdf(invoice, language)
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    words = text.decode()
    expected = ("Evidence pack", "sold out", "20 DBL") if language == "en" else (
        "Dossier de pruebas", "completo", "20 DBL")  # fmt: skip
    for word in expected:
        assert word in words
    assert invoice.number in words


def test_a_dispute_resolves_by_a_credit_of_an_amount(stayed: Any) -> None:
    invoice = issue_invoice(stayed)
    dispute = open_dispute(invoice, side="planner", author="planner", lines=[1], nights=[],
                           body="Two rooms too many.", files=[], actor="planner")  # fmt: skip
    with pytest.raises(ServiceError, match="an amount or lines, not both"):
        resolve_dispute(dispute, "credit_note", "Agreed", "acc", [1], Decimal("340.00"))
    resolve_dispute(dispute, "credit_note", "Agreed on 2 rooms", "acc", amount=Decimal("340.00"))
    assert dispute.credit_note.total == Decimal("-340.00")


def test_a_dispute_converts_into_a_rebooking_credit(create_contract: Any, database: Any) -> None:
    rebooking = {"mode": "credit_paid", "windows": [{"months": 12, "pct": "100"}]}
    contract = create_contract(**stay_document() | {"rebooking": rebooking})
    invoice = issue_invoice(contract)
    dispute = open_dispute(invoice, side="planner", author="planner", lines=[1], nights=[],
                           body="Back next year.", files=[], actor="planner")  # fmt: skip
    resolve_dispute(dispute, "rebooking_credit", "Rebooking for 2027", "acc")
    credit = database.get(AccountCredit, dispute.account_credit_id)
    assert credit.contract_id == contract.id and dispute.resolution == "rebooking_credit"
    decision = database.scalars(sa.select(SettlementDecision)).one()
    assert (
        decision.kind == "convert" and decision.note == f"dispute {dispute.id}: Rebooking for 2027"
    )


def test_the_dispute_window_is_a_clause_of_the_contract_document(create_contract: Any) -> None:
    from hotelattrition.domain import InvalidDocument
    from hotelattrition.services.contracts import export_contract, import_contract

    contract = create_contract(**stay_document() | {"dispute_window_days": 30})
    assert contract.dispute_window_days == 30
    assert export_contract("G-100")["dispute_window_days"] == 30
    doc = export_contract("G-100") | {"dispute_window_days": 14}
    import_contract(doc)
    assert contract.dispute_window_days == 14 and "dispute_window_days" not in export_contract(
        "G-100"
    )
    with pytest.raises(InvalidDocument) as refused:
        import_contract(doc | {"dispute_window_days": "30"})
    assert ("/dispute_window_days", "must be a whole number of days, 0 to 365") in (
        refused.value.problems
    )


def test_the_evidence_pack_carries_the_confirmed_match_report_as_counts(
    stayed: Any, database: Any
) -> None:
    from datetime import UTC, datetime

    from hotelattrition.models import Reconciliation, ReconciliationPair

    first = night(stayed, 0)
    report = Reconciliation(
        contract_id=stayed.id, state="confirmed", registrations=40, guests=300, matched=31,
        outside=2, room_nights=3, shoulder_room_nights=0,
        nights=[[first.isoformat(), "DBL", 2], [night(stayed, 1).isoformat(), "DBL", 1]],
        registration_file="r.csv", registration_sha256="0" * 64, in_house_file="h.csv",
        in_house_sha256="1" * 64, created_by="acc", confirmed_by="acc",
        confirmed_at=datetime.now(UTC), as_of=first,
        pairs=[ReconciliationPair(
            registration_line=2, registration_name="Ana García", in_house_line=2,
            guest_name="GARCIA, ANA", arrival=first, departure=night(stayed, 1), room_type="DBL",
            rooms=1, block_code="", score=100, by_email=False, outside_block=True,
        )],
    )  # fmt: skip
    database.add(report)
    database.flush()
    invoice = issue_invoice(stayed)
    match = evidence_data(invoice)["match"]
    assert (match["matched"], match["outside"], match["room_nights"]) == (31, 2, 3)
    second = night(stayed, 1)
    assert match["nights"] == [{"night": first, "rooms": 2}, {"night": second, "rooms": 1}]
    assert "Ana" not in str(evidence_data(invoice))
