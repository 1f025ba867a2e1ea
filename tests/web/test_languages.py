"""English and Spanish: the browser's language by default, the user's choice when made."""

from __future__ import annotations

from typing import Any

from tests.conftest import csrf_token, log_in


def test_browser_language_is_the_default(
    client: Any, create_contract: Any, create_user: Any
) -> None:
    create_contract()
    create_user("ana@example.com", "sales", ("MAD",))
    log_in(client, "ana@example.com")
    spanish = client.get("/contracts/G-100", headers={"Accept-Language": "es-ES,es;q=0.9"})
    page = spanish.get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Liquidación a día de hoy" in page
    # Money in the contract's currency, written the Spanish way; sentences in Spanish too.
    assert "4.477,00" in page
    assert "Desgaste de habitaciones" in page
    english = client.get("/contracts/G-100", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Settlement as of today" in english


def test_the_users_choice_wins_and_can_be_undone(
    client: Any, create_contract: Any, create_user: Any
) -> None:
    create_contract()
    create_user("ana@example.com", "sales", ("MAD",))
    log_in(client, "ana@example.com")
    token = csrf_token(client, "/contracts/")
    chosen = client.post(
        "/language", data={"csrf_token": token, "language": "es", "next": "/contracts/G-100"}
    )
    assert chosen.headers["Location"] == "/contracts/G-100"
    page = client.get("/contracts/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="es">' in page
    client.post("/language", data={"csrf_token": token, "language": ""})
    page = client.get("/contracts/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en">' in page


def test_an_unknown_language_is_refused(client: Any, create_user: Any) -> None:
    create_user("ana@example.com", "sales")
    log_in(client, "ana@example.com")
    token = csrf_token(client, "/contracts/")
    assert client.post("/language", data={"csrf_token": token, "language": "xx"}).status_code == 400
