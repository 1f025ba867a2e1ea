"""The customer-care blueprint, and what the contract and account pages read from it."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Flask, g
from flask_login import current_user

from ...models import Account, Contract
from ...reports.account_days import account_today
from ...reports.account_risk import account_risks, is_overdue, next_followup
from ...reports.complaints import account_complaints, contract_complaints
from ..page_reads import family_of, followups_of
from ..reason_words import reason_words

bp = Blueprint("care", __name__)


def _account_today(account_id: int) -> date:
    """account_today() once per request: the page's watch and care sections both ask."""
    todays: dict[int, date] = g.setdefault("account_todays", {})
    if account_id not in todays:
        todays[account_id] = account_today(current_user, account_id)
    return todays[account_id]


def register_care(app: Flask) -> None:
    """Globals for the contract and account pages' care sections (their views stay as they are)."""

    def contract_care(contract: Contract) -> dict[str, Any]:
        return {"complaints": contract_complaints(contract)}

    def account_care(account_id: int) -> dict[str, Any]:
        return {
            "complaints": account_complaints(current_user, account_id),
            "followups": followups_of(account_id),
            "today": _account_today(account_id),
        }

    def account_watch(account: Account) -> dict[str, Any]:
        """The top of the account page: at risk where and why, and its next action."""
        followup = next_followup(followups_of(account.id))
        today = _account_today(account.id)
        return {
            "risks": account_risks(current_user, account, family_of(account.id)),
            "followup": followup,
            "overdue": followup is not None and is_overdue(followup, today),
        }

    app.jinja_env.globals["contract_care"] = contract_care
    app.jinja_env.globals["account_care"] = account_care
    app.jinja_env.globals["account_watch"] = account_watch
    app.jinja_env.globals["department_label"] = lambda code: reason_words("department", code)
    app.jinja_env.globals["account_lost_label"] = lambda code: reason_words("account_lost", code)
