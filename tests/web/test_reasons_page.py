"""The reason lists on one page (admins only): add with both labels, retire, offer again;
CSRF-checked, audited, in English and Spanish; the at-risk drop on the property form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import AuditEntry, Property
from hotelattrition.services.reasons import reason_choices
from tests.conftest import csrf_token, log_in
from tests.web.test_property_edit import FORM

PAGE = "/reasons/"


@pytest.fixture
def admins(create_user: Any, create_property: Any) -> None:
    create_property("MAD")
    create_user("admin@example.com", "admin")
    create_user("manager@example.com", "manager", ("MAD",))


def post(client: Any, path: str, data: dict[str, str], **headers: str) -> Any:
    return client.post(path, data={"csrf_token": csrf_token(client, PAGE), **data}, headers=headers)


def test_every_list_on_one_page_and_a_department_added(
    client: Any, database: Any, admins: None
) -> None:
    log_in(client, "admin@example.com")
    page = client.get(PAGE).get_data(as_text=True)
    for kind in ("waiver", "lost_business", "account_lost", "department"):
        assert f'id="{kind}"' in page
    assert "Won by a competitor" in page and "Lo ganó la competencia" in page
    added = post(client, PAGE, {"kind": "department", "code": "spa", "label_en": "Spa",
                                "label_es": "Spa y bienestar"})  # fmt: skip
    assert added.status_code == 302 and added.headers["Location"].endswith("/reasons/#department")
    assert reason_choices("department", "es")[-1] == ("spa", "Spa y bienestar")
    entry = database.scalar(select(AuditEntry).where(AuditEntry.action == "add_reason"))
    assert (entry.actor, entry.entity_key) == ("admin@example.com", "department/spa")


def test_a_bad_code_is_said_next_to_it_keeping_what_was_typed(
    client: Any, database: Any, admins: None
) -> None:
    log_in(client, "admin@example.com")
    typed = {"kind": "waiver", "code": "Bad Code", "label_en": "Goodwill gesture",
             "label_es": "Gesto de buena voluntad"}  # fmt: skip
    refused = post(client, PAGE, typed, **{"Accept-Language": "es"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Un código tiene de 1 a 40 letras minúsculas, cifras o _." in body
    assert 'value="Bad Code"' in body and 'value="Gesto de buena voluntad"' in body
    assert "Goodwill gesture" not in dict(reason_choices("waiver", "en")).values()
    empty = post(client, PAGE, typed | {"code": "goodwill", "label_es": ""})
    assert empty.status_code == 400 and "Say it in Spanish." in empty.get_data(as_text=True)


def test_retire_and_offer_again_audited_and_the_last_one_kept(
    client: Any, database: Any, admins: None
) -> None:
    log_in(client, "admin@example.com")
    assert post(client, "/reasons/account_lost/price/retire", {}).status_code == 302
    assert "price" not in dict(reason_choices("account_lost", "en"))
    page = client.get(PAGE).get_data(as_text=True)
    assert 'action="/reasons/account_lost/price/restore"' in page
    assert post(client, "/reasons/account_lost/price/restore", {}).status_code == 302
    assert ("price", "Price") in reason_choices("account_lost", "en")
    actions = database.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "reason").order_by(AuditEntry.id)
    ).all()
    assert actions == ["retire_reason", "add_reason"]
    # Without its CSRF token nothing changes.
    client.post("/reasons/account_lost/price/retire", data={})
    assert "price" in dict(reason_choices("account_lost", "en"))
    # Retire every department but one: the last is kept, and the page says why.
    codes = [code for code, _ in reason_choices("department", "en")]
    for code in codes[:-1]:
        post(client, f"/reasons/department/{code}/retire", {})
    last = post(client, f"/reasons/department/{codes[-1]}/retire", {}, **{"Accept-Language": "en"})
    assert last.status_code == 302
    assert reason_choices("department", "en") == [(codes[-1], "Other")]
    page = client.get(PAGE).get_data(as_text=True)
    assert "A list keeps one reason at least" in page
    assert post(client, "/reasons/department/nothing/retire", {}).status_code == 404


def test_only_admins(client: Any, database: Any, admins: None) -> None:
    log_in(client, "manager@example.com")
    assert client.get(PAGE).status_code == 403
    assert client.post("/reasons/department/spa/retire").status_code in (400, 403)
    assert 'href="/reasons/"' not in client.get("/contracts/").get_data(as_text=True)


def test_the_property_form_keeps_the_at_risk_drop_from_1_to_100(
    client: Any, database: Any, admins: None
) -> None:
    log_in(client, "admin@example.com")
    path = "/properties/MAD/edit"
    form = client.get(path).get_data(as_text=True)
    assert 'name="at_risk_drop_pct"' in form and 'value="25"' in form
    for bad in ("0", "100.5", "0.99999", "lots"):
        data = {"csrf_token": csrf_token(client, path), **FORM, "at_risk_drop_pct": bad}
        refused = client.post(path, data=data)
        body = refused.get_data(as_text=True)
        assert refused.status_code == 400 and f'value="{bad}"' in body, bad
        field = body[
            body.index('for="at_risk_drop_pct"') : body.index(
                "</div>", body.index('for="at_risk_drop_pct"')
            )
        ]
        assert 'class="error"' in field, bad  # said next to the field
        if bad != "lots":
            assert "The drop is a percentage from 1 to 100" in field, bad
    spanish = client.post(
        path,
        data={"csrf_token": csrf_token(client, path), **FORM, "at_risk_drop_pct": "0"},
        headers={"Accept-Language": "es"},
    ).get_data(as_text=True)
    assert "La caída es un porcentaje de 1 a 100" in spanish
    saved = client.post(
        path, data={"csrf_token": csrf_token(client, path), **FORM, "at_risk_drop_pct": "30.5"}
    )
    assert saved.status_code == 302
    mad = database.scalar(select(Property).where(Property.code == "MAD"))
    assert mad.at_risk_drop_pct == Decimal("30.5")
    entry = database.scalar(
        select(AuditEntry)
        .where(AuditEntry.action == "edit_property")
        .order_by(AuditEntry.id.desc())
    )
    assert entry.changes["at_risk_drop_pct"] == {"before": "25", "after": "30.5"}
