"""The contract page's clauses card: every clause with its exact figures, in English and Spanish."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from hotelattrition.services.contracts import import_contract
from tests.conftest import KNOWN_ON, log_in, sample_document

CLAUSES = {
    "room_attrition": {
        "allowance_pct": "15.5",
        "basis": "per_night",
        "rate": "lowest",
        "damages_pct": "80",
        "tax_pct": "10",
        "count_released": True,
    },
    "fnb": {"minimum": "12500.00", "allowance_pct": "10", "service_charge_pct": "22"},
    "meeting_room": {
        "rental": "4000.00",
        "scale": [
            {"min_pickup_pct": "90", "charge_pct": "0"},
            {"min_pickup_pct": "75", "charge_pct": "50"},
            {"min_pickup_pct": "0", "charge_pct": "100"},
        ],
    },
    "services": [
        {"name": "Audio-visual package", "minimum": "6000.00", "allowance_pct": "10"},
        {"name": "Transfers", "minimum": "1250.50"},
    ],
    "cancellation": {
        "schedule": [
            {"min_days": 180, "pct": "25"},
            {"min_days": 90, "pct": "50"},
            {"min_days": 0, "pct": "100"},
        ]
    },
    "rebooking": {"mode": "credit_paid", "windows": [{"months": 12, "pct": "100"}]},
}


@pytest.fixture
def sales(client: Any, create_property: Any, create_user: Any) -> Any:
    create_property("MAD", "EUR")
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    return client


def clause_texts(page: str) -> dict[str, str]:
    """Each clause's words as a reader sees them: tags dropped, spaces collapsed."""
    card = page.split('id="clauses"', 1)[1].split("</section>", 1)[0]
    found = re.findall(r'<dd id="clause-(\w+)">(.*?)</dd>', card, re.S)
    return {
        key: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()) for key, text in found
    }


ENGLISH = {
    "rooms": "allowance 15.5 % · night by night · charged at lowest block rate "
    "· 80 % of the shortfall · tax 10 % "
    "Rooms released at the cut-off still count toward attrition.",
    "fnb": "€12,500.00 · allowance 10 % · 100 % of the shortfall · service charge 22 %",
    "meeting": "€4,000.00 from 90 % pickup: 0 % charged; from 75 % pickup: 50 % charged; "
    "from 0 % pickup: 100 % charged",
    "services": "Audio-visual package: minimum €6,000.00, allowance 10 % "
    "Transfers: minimum €1,250.50, allowance 0 %",
    "cancellation": "180 days or more: 25 %; 90 days or more: 50 %; 0 days or more: 100 %",
    "rebooking": "Damages paid become a credit: within 12 months: 100 %",
    "disputes": "A damages invoice may be disputed 14 days after its issue.",
}
SPANISH = {
    "rooms": "margen 15,5 % · por noche · cobradas a tarifa más baja del bloqueo "
    "· 80 % del déficit · impuesto 10 % "
    "Las habitaciones liberadas en la fecha de corte siguen contando para el desgaste.",
    "fnb": "12.500,00 € · margen 10 % · 100 % del déficit · cargo por servicio 22 %",
    "meeting": "4.000,00 € desde 90 % de ocupación: se cobra el 0 %; "
    "desde 75 % de ocupación: se cobra el 50 %; desde 0 % de ocupación: se cobra el 100 %",
    "services": "Audio-visual package: mínimo 6.000,00 €, margen 10 % "
    "Transfers: mínimo 1.250,50 €, margen 0 %",
    "cancellation": "180 días o más: 25 %; 90 días o más: 50 %; 0 días o más: 100 %",
    "rebooking": "Las penalizaciones pagadas se convierten en crédito: en 12 meses: 100 %",
    "disputes": "Una factura de penalizaciones puede reclamarse hasta 14 días después de su "
    "emisión.",
}


@pytest.mark.parametrize(("language", "expected"), [("en", ENGLISH), ("es", SPANISH)])
def test_the_card_states_each_clause_with_its_figures(
    sales: Any, create_contract: Any, language: str, expected: dict[str, str]
) -> None:
    create_contract(**CLAUSES)
    page = sales.get("/contracts/G-100", headers={"Accept-Language": language})
    assert page.status_code == 200
    texts = clause_texts(page.get_data(as_text=True))
    assert {k: v.replace("\xa0", " ").replace("\u202f", " ") for k, v in texts.items()} == expected


def test_a_contract_without_clauses_says_so(sales: Any) -> None:
    bare = sample_document()
    for section in ("room_attrition", "fnb", "cancellation"):
        del bare[section]
    import_contract({"as_of": KNOWN_ON} | bare)
    page = sales.get("/contracts/G-100").get_data(as_text=True)
    card = page.split('id="clauses"', 1)[1].split("</section>", 1)[0]
    assert "No clauses entered." in card and "<dt>" not in card


def test_review_dates_and_cut_off_are_not_repeated_in_the_card(
    sales: Any, create_contract: Any, database: Any
) -> None:
    contract = create_contract(room_attrition={"allowance_pct": "20"})
    contract.cutoff_on = contract.property.today()
    database.flush()
    page = sales.get("/contracts/G-100").get_data(as_text=True)
    card = page.split('id="clauses"', 1)[1].split("</section>", 1)[0]
    assert "Cut-off" not in card and "Review" not in card
    assert page.count("Rooms released at the cut-off no longer count toward attrition.") == 1
