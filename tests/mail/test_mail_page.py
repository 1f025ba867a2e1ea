"""The Mail sent page: admins and managers see what was sent, and each body; others do not."""

from __future__ import annotations

import re
from typing import Any

import pytest

from hotelattrition import jobs
from hotelattrition.models import Account
from tests.conftest import csrf_token, log_in
from tests.mail.test_reminders import NOW, planned  # noqa: F401  (the fixture)


@pytest.fixture
def office(planned: Any, create_user: Any, create_property: Any, smtp_server: Any) -> Any:  # noqa: F811
    create_property("CUN", "MXN", locale="es_MX", country="MX", timezone="America/Cancun")
    create_user("admin@hotel.example", "admin")
    create_user("manager@hotel.example", "manager", ("MAD",))
    create_user("other@hotel.example", "manager", ("CUN",))
    create_user("accounting@hotel.example", "accounting", ("MAD",))
    jobs.run_reminders(NOW, here=True)
    return planned


def test_a_manager_sees_the_mail_of_their_properties_and_each_body(
    client: Any, office: Any
) -> None:
    log_in(client, "manager@hotel.example")
    page = client.get("/mail/").get_data(as_text=True)
    assert 'href="/mail/"' in page  # in the navigation
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td>\s*<td><a href=\"(/mail/\d+)\">([^<]+)</a>", page)
    assert len(rows) == 4
    assert (
        "lucia@acme.example",
        "Fecha de corte dentro de 19 días: Acme sales conference (G-100)",
    ) in {(to, subject) for to, _, subject in rows}
    assert page.count('class="badge badge-mail-sent"') == 4
    path = next(p for to, p, s in rows if s.startswith("Cut-off"))
    shown = client.get(path).get_data(as_text=True)
    assert "The cut-off date of Acme sales conference is Feb 20, 2027" in shown
    assert "ana@hotel.example" in shown and "Message-ID" in shown
    html = client.get(f"{path}/html")
    assert html.mimetype == "text/html" and "<table>" in html.get_data(as_text=True)
    filtered = client.get("/mail/?state=failed").get_data(as_text=True)
    assert "No mail yet." in filtered
    found = client.get("/mail/?q=lucia").get_data(as_text=True)
    assert found.count("lucia@acme.example") == 2 and "ana@hotel.example" not in found
    by_code = client.get("/mail/?q=g-100").get_data(as_text=True)
    assert by_code.count("(G-100)</a>") == 4


def test_the_spanish_page_speaks_spanish(client: Any, office: Any) -> None:
    log_in(client, "admin@hotel.example")
    client.post(
        "/language",
        data={"language": "es", "next": "/mail/", "csrf_token": csrf_token(client, "/mail/")},
    )
    page = client.get("/mail/").get_data(as_text=True)
    assert "Correo enviado" in page and "enviado</span>" in page and "Intentos" in page


def test_others_see_no_mail(client: Any, office: Any) -> None:
    log_in(client, "other@hotel.example")  # a manager of another property
    assert "No mail yet." in client.get("/mail/").get_data(as_text=True)
    assert client.get("/mail/1").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client, "/mail/")})
    log_in(client, "accounting@hotel.example")
    assert client.get("/mail/").status_code == 403
    assert 'href="/mail/"' not in client.get("/contracts/").get_data(as_text=True)


def test_the_account_form_keeps_the_contacts_language(
    client: Any, office: Any, database: Any
) -> None:
    account = database.get(Account, office.account_id)
    log_in(client, "accounting@hotel.example")
    path = f"/accounts/{account.id}/edit"
    form = client.get(path).get_data(as_text=True)
    assert '<option selected value="es">Español</option>' in form
    data = {
        "name": account.name, "billing_address": "", "country": "", "tax_id": "",
        "contact_name": "Lucía", "contact_email": "lucia@acme.example", "contact_phone": "",
        "contact_language": "en", "parent_id": "", "csrf_token": csrf_token(client, path),
    }  # fmt: skip
    shown = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "Reminders in Spanish" in shown
    assert client.post(path, data=data).status_code == 302
    assert account.contact_language == "en"
    refused = client.post(path, data=data | {"contact_language": "fr"})
    assert refused.status_code == 400
    assert 'value="lucia@acme.example"' in refused.get_data(as_text=True)  # nothing typed lost
