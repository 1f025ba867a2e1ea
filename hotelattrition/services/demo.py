"""Demo data: two hotels, about thirty group contracts with pickup history, one user per role.

`load_demo_data(today)` fills an empty database through the ordinary services (properties,
users, contract imports), so the demo data obeys every rule real data does. It adds and
flushes; the caller (the CLI) commits. The contracts are generated deterministically
(`demo_contracts`): the same figures on any day, with dates relative to `today`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import func, select

from ..extensions import db
from ..models import Account, AccountCredit, Contract, Invoice, RevenueSnapshot, RoomNightSnapshot
from . import ServiceError
from .accounts import AccountDetails, update_account
from .contracts import import_contract
from .credits import issue_with_credits
from .demo_care import load_demo_care
from .demo_contracts import demo_contracts
from .demo_entries import date_entries
from .demo_history import demo_history
from .demo_surveys import load_demo_surveys
from .invoice_payments import record_payment
from .lost_business import record_lost_business
from .properties import PropertyData, create_property
from .settlement_decisions import decide_convert
from .users import create_user

log = logging.getLogger(__name__)

ACTOR = "demo"


class DemoLogin(NamedTuple):
    """A demo login; `properties` empty means every property (an admin sees them all)."""

    email: str
    role: str
    password: str
    properties: tuple[str, ...]

    @property
    def scope(self) -> str:
        return ", ".join(self.properties) if self.properties else "all properties"


DEMO_USERS: tuple[DemoLogin, ...] = (
    DemoLogin("admin@demo.hotelattrition.test", "admin", "admin-demo-2027", ()),
    DemoLogin("manager@demo.hotelattrition.test", "manager", "manager-demo-2027",
              ("MAD", "CUN")),
    DemoLogin("accounting@demo.hotelattrition.test", "accounting", "accounting-demo-2027",
              ("MAD", "CUN")),
    DemoLogin("sales@demo.hotelattrition.test", "sales", "sales-demo-2027", ("MAD",)),
    DemoLogin("viewer@demo.hotelattrition.test", "viewer", "viewer-demo-2027", ("CUN",)),
)  # fmt: skip

DEMO_PROPERTIES: tuple[PropertyData, ...] = (
    PropertyData(
        code="MAD",
        name="Hotel Castellana Madrid",
        currency="EUR",
        locale="es_ES",
        country="ES",
        legal_name="Hotel Castellana Madrid, S.L.",
        address="Paseo de la Castellana 57, 28046 Madrid, España",
        tax_id="ESB12345674",
        timezone="Europe/Madrid",
        payment_terms_days=30,
        invoice_prefix="MAD",
        iban="ES91 2100 0418 4502 0005 1332",
        bic="CAIXESBBXXX",
        payment_instructions="CaixaBank, Paseo de la Castellana 51, 28046 Madrid",
        room_types="TWN DBL KNG STE",
        rates={
            "room_tax_pct": "10",
            "fnb_service_charge_pct": "0",
            "fnb_tax_pct": "10",
            "meeting_room_tax_pct": "21",
            "services_tax_pct": "21",
            "cancellation_tax_pct": "0",
        },
    ),
    PropertyData(
        code="CUN",
        name="Gran Caribe Cancún",
        currency="MXN",
        locale="es_MX",
        country="MX",
        legal_name="Gran Caribe Cancún, S.A. de C.V.",
        address="Blvd. Kukulcán km 12.5, Zona Hotelera, 77500 Cancún, Q.R., México",
        tax_id="GCC150312AB1",
        timezone="America/Cancun",
        payment_terms_days=15,
        invoice_prefix="CUN",
        bic="BCMRMXMMXXX",
        payment_instructions=(
            "BBVA México, sucursal Zona Hotelera Cancún\n"
            "Cuenta 0123456789 · CLABE 012 691 00123456789 6\n"
            "Transferencias SPEI en MXN"
        ),
        room_types="TWN DBL KNG STE",
        rates={
            "room_tax_pct": "19",
            "fnb_service_charge_pct": "15",
            "fnb_tax_pct": "16",
            "meeting_room_tax_pct": "16",
            "services_tax_pct": "16",
            "cancellation_tax_pct": "0",
        },
    ),
)


# Billing details of some demo accounts, so their invoices show a full "Bill to".
DEMO_ACCOUNTS: tuple[AccountDetails, ...] = (
    AccountDetails(
        name="Novalia Pharma", billing_address="Calle de Serrano 41\n28001 Madrid",
        country="ES", tax_id="A58818501", contact_name="Lucía Pérez",
        contact_email="eventos@novalia.example", contact_phone="+34 915 550 123",
    ),
    AccountDetails(
        name="Colegio de Arquitectos de Madrid",
        billing_address="Calle de Hortaleza 63\n28004 Madrid", country="ES", tax_id="Q2867002D",
        contact_name="Jorge Ruiz", contact_email="congresos@coam.example",
    ),
    AccountDetails(
        name="Helix Biotech", billing_address="Leopoldstraße 28\n80802 München\nDeutschland",
        country="DE", tax_id="DE136695976", contact_name="Anna Weber",
        contact_email="events@helix.example",
    ),
    AccountDetails(
        name="Asociación Mexicana de Turismo",
        billing_address="Av. Paseo de la Reforma 222\n06600 Ciudad de México, CDMX",
        country="MX", tax_id="AMT980101AB1", contact_name="Mariana López",
        contact_email="eventos@amt.example",
    ),
    AccountDetails(
        name="Vireo Pharmaceuticals",
        billing_address="100 Summer Street\nBoston, MA 02110\nUnited States", country="US",
        tax_id="04-2103594", contact_name="Dana Brooks", contact_email="meetings@vireo.example",
    ),
)  # fmt: skip


@dataclass
class DemoSummary:
    """What `load_demo_data` added, and the logins to try it with."""

    properties: int
    contracts: int
    accounts: int
    imports: int  # documents imported (one per contract and snapshot date)
    room_night_snapshots: int
    revenue_snapshots: int
    users: int
    statuses: dict[str, int] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)
    survey_answers: int = 0


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _lose_one(statuses: dict[str, int]) -> None:
    """The earliest tentative group went to a rival hotel: the demo shows lost business too."""
    lost = db.session.scalars(
        select(Contract).where(Contract.status == "tentative").order_by(Contract.arrival)
    ).first()
    if lost is None:
        return
    record_lost_business(lost, "other_hotel", "Hotel Rival", ACTOR)
    statuses["tentative"] -= 1
    statuses["lost"] = statuses.get("lost", 0) + 1


# Stays converted under their rebooking clause and paid in full: Novalia's credit is open (its
# Sales Kick-off may use it), Sol Maya's is used in part by its Spring Allotment, Arco's expired.
PAID_CREDITS = ("Novalia Oncology Congress", "Sol Maya Winter Allotment",
                "Arco Seguros Convention 2024")  # fmt: skip
HELD = "Meseta Tours Spring Series"  # waive_on_rebook: held until Meseta books again
USES_CREDIT = "Sol Maya Spring Allotment"


def _credits() -> None:
    """Account credits to look at: open, used in part, expired, and a held invoice.

    Invoices and payments are dated by the hotels' clocks: demo data loaded for a day ahead of
    them (as tests do) has stays not over yet, and gets no credits.
    """
    names = (*PAID_CREDITS, HELD, USES_CREDIT)
    found = db.session.scalars(
        select(Contract).where(Contract.name.in_(names)).order_by(Contract.arrival)
    )
    by_name = {c.name: c for c in found}  # the latest edition (earlier ones are history)
    if any(c.departure >= c.property.today() for c in by_name.values()):
        log.info("demo credits skipped: the demo's stays are not over by the hotels' clocks")
        return
    for name in PAID_CREDITS:
        contract = by_name[name]
        decide_convert(contract, ACTOR, note="demo: the clause converts what was paid")
        credit = db.session.scalars(
            select(AccountCredit).where(AccountCredit.contract_id == contract.id)
        ).one()
        invoice = db.session.get(Invoice, credit.invoice_id)
        assert invoice is not None
        today = contract.property.today()
        record_payment(invoice.number, invoice.total, today, f"TR-{contract.code}", ACTOR)
    decide_convert(by_name[HELD], ACTOR, note="demo: waived if Meseta books again")
    issue_with_credits(by_name[USES_CREDIT], ACTOR)


def load_demo_data(today: date) -> DemoSummary:
    """Fill an empty database with the demo hotels, contracts and users; flush, never commit."""
    existing = _count(Contract)
    if existing:
        raise ServiceError(
            f"the database already has {existing} contract{'s' if existing != 1 else ''}; "
            "demo data goes only into an empty database"
        )
    for prop in DEMO_PROPERTIES:
        create_property(prop)
    for login in DEMO_USERS:
        name = f"Demo {login.role.capitalize()}"
        create_user(login.email, login.role, login.password, login.properties, name)
    imports = 0
    statuses: dict[str, int] = {}
    for contract in demo_contracts(today, DEMO_PROPERTIES):
        for document in contract.documents:
            result = import_contract(document, ACTOR)
            imports += 1
        status = result.contract.status
        statuses[status] = statuses.get(status, 0) + 1
    for documents in demo_history(today, DEMO_PROPERTIES):  # earlier editions (issue 17)
        for document in documents:
            result = import_contract(document, ACTOR)
            imports += 1
        statuses[result.contract.status] = statuses.get(result.contract.status, 0) + 1
    for details in DEMO_ACCOUNTS:
        account = db.session.scalar(select(Account).where(Account.name == details.name))
        if account is not None:
            update_account(ACTOR, account, details)
    _lose_one(statuses)
    # Asked by the demo's sales user: a detractor's follow-up is theirs.
    asker = next(login.email for login in DEMO_USERS if login.role == "sales")
    survey_answers = load_demo_surveys(asker, today)
    _credits()
    load_demo_care(today, DEMO_PROPERTIES, statuses)  # at risk, complaints, follow-ups
    date_entries(db.session.scalars(select(Contract)))  # entered at the inquiry, not today
    db.session.flush()
    log.info("demo data loaded: %d properties, %d users", len(DEMO_PROPERTIES), len(DEMO_USERS))
    return DemoSummary(
        properties=len(DEMO_PROPERTIES),
        contracts=_count(Contract),
        accounts=_count(Account),
        imports=imports,
        room_night_snapshots=_count(RoomNightSnapshot),
        revenue_snapshots=_count(RevenueSnapshot),
        users=len(DEMO_USERS),
        statuses=dict(sorted(statuses.items())),
        logins=list(DEMO_USERS),
        survey_answers=survey_answers,
    )
