"""The customer-care blueprint, and what the contract and account pages read from it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask
from flask_babel import get_locale
from flask_login import current_user

from ...models import Contract
from ...reports.complaints import account_complaints, contract_complaints
from ...reports.followups import account_followups
from ...services.reasons import reason_label

bp = Blueprint("care", __name__)


def register_care(app: Flask) -> None:
    """Globals for the contract and account pages' care sections (their views stay as they are)."""

    def contract_care(contract: Contract) -> dict[str, Any]:
        return {"complaints": contract_complaints(contract)}

    def account_care(account_id: int) -> dict[str, Any]:
        return {
            "complaints": account_complaints(current_user, account_id),
            "followups": account_followups(account_id),
        }

    app.jinja_env.globals["contract_care"] = contract_care
    app.jinja_env.globals["account_care"] = account_care
    app.jinja_env.globals["department_label"] = lambda code: reason_label(
        "department", code, str(get_locale())
    )
    app.jinja_env.globals["account_lost_label"] = lambda code: reason_label(
        "account_lost", code, str(get_locale())
    )
