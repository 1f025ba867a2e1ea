"""Complaints, follow-ups and lost accounts through their services: what each refuses, what
it logs and audits, and the follow-up a detractor's survey answer opens."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import Account, AuditEntry
from hotelattrition.services import ServiceError
from hotelattrition.services.at_risk import set_at_risk_drop
from hotelattrition.services.complaints import ComplaintData, record_complaint, resolve_complaint
from hotelattrition.services.followups import (
    DETRACTOR_DUE,
    FollowUpData,
    complete_followup,
    open_followup,
)
from hotelattrition.services.lost_accounts import mark_account_lost, win_back_account
from hotelattrition.services.reasons import retire_reason

TODAY = date(2027, 6, 1)


def problems(error: pytest.ExceptionInfo[ServiceError]) -> list[str]:
    return [field for field, _message in error.value.problems]


def test_a_complaint_needs_its_facts_and_is_resolved_once(
    database: Any, create_contract: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="hotelattrition")
    contract = create_contract()
    with pytest.raises(ServiceError) as refused:
        record_complaint(contract, ComplaintData(" ", "spa", "urgent", "x" * 2001), "cli")
    assert problems(refused) == ["happened", "action", "department", "severity"]
    complaint = record_complaint(contract, ComplaintData("No towels", "housekeeping", "low"), "cli")
    assert (complaint.resolved, complaint.recorded_on) == (False, contract.property.today())
    with pytest.raises(ServiceError) as refused:
        resolve_complaint(complaint, "", "cli")
    assert problems(refused) == ["action"]
    resolve_complaint(complaint, "Towels brought up", "ana@example.com")
    assert (complaint.resolved_by, complaint.action) == ("ana@example.com", "Towels brought up")
    with pytest.raises(ServiceError, match="resolved already"):
        resolve_complaint(complaint, "again", "cli")
    logged = [r.getMessage() for r in caplog.records if r.name.endswith("services.complaints")]
    assert logged == [
        f"complaint recorded: contract G-100 (id {contract.id}), complaint {complaint.id}, "
        "housekeeping, low, open",
        f"complaint resolved: contract G-100 (id {contract.id}), complaint {complaint.id}",
    ]
    audit = database.scalars(select(AuditEntry.action).where(AuditEntry.entity_key == "G-100"))
    assert list(audit)[-2:] == ["record_complaint", "resolve_complaint"]
    contract.voided_at = contract.created_at
    with pytest.raises(ServiceError, match="voided"):
        record_complaint(contract, ComplaintData("Late", "front_office", "high"), "cli")


def test_a_detractor_answer_opens_a_followup_due_in_48_hours(
    database: Any, create_contract: Any, create_user: Any
) -> None:
    contract = create_contract()
    owner = create_user("ana@example.com", "sales", ("MAD",))
    due = TODAY + timedelta(days=DETRACTOR_DUE.days)
    data = FollowUpData("detractor", owner.id, due, "Scored 3: slow check-in")
    followup = open_followup(contract.account, data, "survey", TODAY, contract=contract)
    assert (followup.kind, followup.due_on, followup.contract_id) == (
        "detractor",
        date(2027, 6, 3),
        contract.id,
    )
    complete_followup(followup, owner, TODAY)
    assert (followup.done_on, followup.done_by) == (TODAY, "ana@example.com")
    with pytest.raises(ServiceError, match="done already"):
        complete_followup(followup, owner, TODAY)


def test_a_followup_needs_a_kind_an_owner_who_may_act_and_a_day_ahead(
    database: Any, create_contract: Any, create_user: Any
) -> None:
    contract = create_contract()
    other = create_contract(code="G-200", account="Beta")
    viewer = create_user("val@example.com", "viewer", ("MAD",))
    bad = FollowUpData("lunch", viewer.id, TODAY - timedelta(days=1), "x" * 1001)
    with pytest.raises(ServiceError) as refused:
        open_followup(contract.account, bad, "cli", TODAY, contract=other)
    assert problems(refused) == ["kind", "owner", "due_on", "note", ""]


def test_an_account_lost_keeps_its_date_and_a_retired_reason(
    database: Any, create_contract: Any
) -> None:
    account = create_contract().account
    with pytest.raises(ServiceError) as refused:
        mark_account_lost(account, "competitor", " ", "cli", TODAY)
    assert problems(refused) == ["lost_to"]
    with pytest.raises(ServiceError) as refused:
        mark_account_lost(account, "bored", "", "cli", TODAY)
    assert problems(refused) == ["reason"]
    mark_account_lost(account, "price", "", "cli", TODAY)
    retire_reason("account_lost", "price")
    # Said again later with its note, the account keeps the day it was lost and its reason.
    mark_account_lost(account, "price", "Cheaper downtown", "cli", TODAY + timedelta(days=9))
    assert (account.lost_on, account.lost_reason, account.lost_to) == (
        TODAY,
        "price",
        "Cheaper downtown",
    )
    win_back_account(account, "cli")
    assert account.lost_on is None
    with pytest.raises(ServiceError, match="not marked lost"):
        win_back_account(account, "cli")
    key = str(account.id)
    actions = database.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.entity == "account", AuditEntry.entity_key == key)
        .order_by(AuditEntry.id)  # in the order they were written, on any engine
    )
    assert list(actions) == ["account_lost", "account_lost", "account_won_back"]
    assert database.get(Account, account.id).lost_reason is None


def test_the_drop_setting_is_a_percentage(database: Any, create_property: Any) -> None:
    create_property("MAD")
    for bad in ("-1", "0", "0.9999", "100.00001", "Infinity"):  # 1-100: 0 would flag any fall
        with pytest.raises(ServiceError):
            set_at_risk_drop("MAD", bad)
    assert set_at_risk_drop("MAD", "1").at_risk_drop_pct == Decimal(1)
    assert set_at_risk_drop("MAD", "100").at_risk_drop_pct == Decimal(100)
