"""Who may do what: roles, permissions and the properties a user sees."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from ..models import Contract
from ..reports.contracts import visible_contract

F = TypeVar("F", bound=Callable[..., Any])

# Permission -> roles that hold it. Viewers read; sales edit contracts; accounting adds invoices;
# managers do what sales and accounting do at their properties, and approve waivers.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset({"admin", "manager", "accounting", "sales", "viewer"}),
    "edit_contracts": frozenset({"admin", "manager", "accounting", "sales"}),
    "invoices": frozenset({"admin", "manager", "accounting"}),
    "decide_settlements": frozenset({"admin", "manager", "accounting"}),
    "request_waivers": frozenset({"admin", "manager", "accounting", "sales"}),
    "approve_waivers": frozenset({"admin", "manager"}),
    "mail": frozenset({"admin", "manager"}),  # the Mail sent page
    "admin": frozenset({"admin"}),
}


def can(user: Any, permission: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in PERMISSIONS[permission]


def requires(permission: str) -> Callable[[F], F]:
    """Refuse with 403 a signed-in user whose role lacks the permission."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def visible_contract_or_404(code: str) -> Contract:
    """The contract with this code if the signed-in user may see it; else 404."""
    contract = visible_contract(current_user, code)
    if contract is None:
        abort(404)
    return contract
