"""The demo contracts: settlement documents generated deterministically from a fixed seed.

Every figure comes from one `random.Random(SEED)`, drawn in the same order whatever `today` is,
and every date is an offset from `today`: the demo looks the same on any day, only shifted.
Each contract is a list of documents to import in order, with growing `as_of` dates, so the
pickup snapshots show the pace of the group.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .properties import PropertyData

SEED = 20270310
AV, TRANSFERS, SPA = "Audio-visual package", "Airport transfers", "Spa package"
# Group rates per room type and currency: (lowest, highest, step).
RATES = {
    "EUR": {"TWN": (110, 165, 5), "DBL": (125, 185, 5), "KNG": (160, 235, 5), "STE": (255, 320, 5)},
    "MXN": {"TWN": (2800, 3900, 50), "DBL": (3100, 4400, 50), "KNG": (4200, 5900, 50),
            "STE": (7200, 9500, 50)},
}  # fmt: skip
# Money per currency: F&B per contracted room night, meeting room, services; and rounding step.
AMOUNTS: dict[str, dict[str, tuple[int, int]]] = {
    "EUR": {"fnb_per_night": (55, 110), "meeting": (2500, 9000), AV: (3000, 9000),
            TRANSFERS: (1200, 3500), SPA: (2000, 6000), "event_fnb": (6000, 18000)},
    "MXN": {"fnb_per_night": (1200, 2400), "meeting": (50000, 180000), AV: (60000, 180000),
            TRANSFERS: (25000, 70000), SPA: (40000, 120000), "event_fnb": (120000, 360000)},
}  # fmt: skip
STEPS = {"EUR": 100, "MXN": 1000}
SCHEDULES = {
    "four": [(180, "25"), (90, "50"), (30, "75"), (0, "100")],
    "three": [(120, "30"), (60, "60"), (0, "100")],
    "short": [(90, "50"), (45, "75"), (0, "100")],
}
SCALES = {
    "standard": [("90", "0"), ("75", "50"), ("0", "100")],
    "generous": [("85", "0"), ("70", "40"), ("0", "80")],
}
# Days before arrival of the pickup snapshots, with the share of the final pickup reached.
PACE = [(90, Decimal("0.30")), (60, Decimal("0.55")), (30, Decimal("0.80")), (7, Decimal("0.95"))]
AFTER_DEPARTURE = 2  # the final actuals are entered two days after the group left


@dataclass(frozen=True)
class Spec:
    """One demo contract, in the words of a sales manager; numbers are drawn around these."""

    prop: str
    account: str
    name: str
    arrive: int  # days from today
    nights: int
    rooms: dict[str, int]  # rooms per night per room type
    status: str = "definite"  # tentative, definite, settled; cancelled when `cancelled` is set
    lead: int = 180  # signed this many days before arrival (never after today)
    fill: float = 0.9  # final pickup as a share of the block
    ra: dict[str, Any] | None = field(default_factory=dict)  # None: no room attrition clause
    fnb: float | None = 1.0  # share of the F&B minimum spent; None: no F&B clause
    fnb_terms: dict[str, Any] = field(default_factory=dict)
    meeting: str | None = None  # a SCALES key
    services: tuple[tuple[str, float], ...] = ()  # (name, share of its minimum spent)
    schedule: str | None = "three"  # a SCHEDULES key; None: no cancellation clause
    cancel_terms: dict[str, Any] = field(default_factory=dict)
    cancelled: int | None = None  # cancelled this many days before arrival
    outside: int = 0  # attendees per night staying outside the block (final)
    resold: int = 0  # rooms per night the hotel resold (known after the stay)
    rebooking: dict[str, Any] | None = None  # the rebooking clause (issue 16), if any


# Rebooking clauses: damages paid become a credit (100 % within 12 months, 50 % within 24),
# or damages are held and waived if the group books again within 18 months.
CREDIT_PAID = {
    "mode": "credit_paid",
    "windows": [{"months": 12, "pct": "100"}, {"months": 24, "pct": "50"}],
    "counts_to": "signing",
    "affiliates": False,
}
WAIVE_ON_REBOOK = {
    "mode": "waive_on_rebook",
    "windows": [{"months": 18, "pct": "100"}],
    "counts_to": "signing",
    "affiliates": False,
}

# fmt: off
SPECS: tuple[Spec, ...] = (
    # Hotel Castellana Madrid (EUR)
    Spec("MAD", "Novalia Pharma", "Novalia Oncology Congress", -75, 3, {"DBL": 60, "STE": 6},
         status="settled", fill=0.64, ra={"basis": "cumulative", "minimum_rounding": "exact",
         "credit_outside_block": True}, fnb=0.82, meeting="standard", services=((AV, 0.7),),
         schedule="four", outside=4, rebooking=CREDIT_PAID | {"room_nights_pct": "80"}),
    Spec("MAD", "Novalia Pharma", "Novalia Sales Kick-off", 120, 3, {"DBL": 45, "KNG": 15},
         ra={"basis": "per_night", "minimum_rounding": "up", "rate": "lowest"},
         meeting="standard", services=((AV, 1.0),), schedule="four"),
    Spec("MAD", "Novalia Pharma", "Novalia Advisory Board", 40, 2, {"KNG": 18},
         ra={"minimum_rounding": "nearest", "rate": "highest", "allowance_pct": "10"},
         meeting="generous", lead=150),
    Spec("MAD", "Familia García Ortega", "García-Ortega Wedding", -20, 2,
         {"DBL": 24, "TWN": 8, "STE": 3}, status="settled", fill=0.98,
         ra={"minimum_rounding": "down", "allowance_pct": "15"}, fnb=1.12, lead=300),
    Spec("MAD", "Meseta Tours", "Meseta Tours Spring Series", -45, 4, {"TWN": 30, "DBL": 10},
         status="settled", fill=0.6, ra={"rate": "120.00", "damages_pct": "80",
         "credit_resold": False, "allowance_pct": "10"}, fnb=None, schedule="short", resold=4,
         rebooking=WAIVE_ON_REBOOK),
    Spec("MAD", "Meseta Tours", "Meseta Tours Autumn Series", 200, 4, {"TWN": 30, "DBL": 10},
         status="tentative", ra={"rate": "120.00", "damages_pct": "80", "credit_resold": False,
         "allowance_pct": "10"}, fnb=None, schedule="short", lead=240),
    Spec("MAD", "Meseta Tours", "Meseta Tours Madrid & Toledo", 25, 2, {"TWN": 20},
         ra={"damages_pct": "80", "allowance_pct": "10"}, fnb=None, schedule="short", lead=120),
    Spec("MAD", "CD Olímpico Valencia", "CD Olímpico away match", 5, 2, {"TWN": 16, "STE": 2},
         ra={"basis": "per_night", "allowance_pct": "0"}, fnb=1.0, services=((TRANSFERS, 1.0),),
         schedule="short", lead=40),
    Spec("MAD", "Lumen Automotive", "Lumen Top Achievers Incentive", -1, 4,
         {"KNG": 22, "STE": 4}, fill=0.95, fnb=1.0, services=((SPA, 1.0), (TRANSFERS, 1.0)),
         schedule="four", lead=200),
    Spec("MAD", "Helix Biotech", "Helix Biotech Investor Summit", -30, 3, {"DBL": 40, "KNG": 10},
         meeting="standard", services=((AV, 0),), schedule="four", cancelled=70, resold=18),
    Spec("MAD", "Arco Seguros", "Arco Seguros Regional Meeting", 60, 2, {"DBL": 35},
         meeting="standard", services=((AV, 0),), schedule="three", cancelled=70,
         cancel_terms={"include_meeting_room": False, "services_damages_pct": "50",
                       "rooms_damages_pct": "80"}),
    Spec("MAD", "Colegio de Arquitectos de Madrid", "Annual Architecture Forum", -10, 1, {},
         status="settled", ra=None, fnb=0.9, services=((AV, 1.05),), schedule="short"),
    Spec("MAD", "Sociedad Ibérica de Cardiología", "Congreso Nacional de Cardiología", 300, 4,
         {"DBL": 80, "KNG": 30, "STE": 6}, ra={"basis": "per_night", "minimum_rounding": "down",
         "rate": "highest"}, meeting="standard", services=((AV, 1.0),), schedule="four", lead=330),
    Spec("MAD", "Lumen Automotive", "Lumen Dealer Launch", 150, 2, {"KNG": 30},
         status="tentative", meeting="generous", lead=170),
    Spec("MAD", "Helix Biotech", "Helix R&D Offsite", -9, 2, {"DBL": 20, "KNG": 6},
         fill=0.7, ra={"minimum_rounding": "up"}, fnb=0.95, meeting="generous", lead=90),
    Spec("MAD", "Danubia Artists Management", "Vienna Chamber Orchestra Tour", -60, 3,
         {"TWN": 26}, status="settled", fill=0.97, ra={"allowance_pct": "10"}, fnb=1.08,
         schedule="short", lead=220),
    # Gran Caribe Cancún (MXN)
    Spec("CUN", "Blue Lagoon Weddings", "Smith-Hernández Destination Wedding", -40, 3,
         {"KNG": 30, "STE": 5}, status="settled", fill=0.78, fnb=0.88,
         fnb_terms={"tax_on_service_charge": False}, services=((SPA, 0.6),), lead=320),
    Spec("CUN", "Blue Lagoon Weddings", "Miller-Ruiz Wedding", 90, 3, {"KNG": 25, "STE": 4},
         fnb_terms={"tax_on_service_charge": False}, services=((SPA, 1.0),), lead=280),
    Spec("CUN", "Blue Lagoon Weddings", "Patel-Gómez Wedding", 240, 3, {"KNG": 40, "STE": 6},
         status="tentative", fnb_terms={"tax_on_service_charge": False}, lead=270),
    Spec("CUN", "Northwind Insurance", "Northwind President's Club", -100, 5,
         {"KNG": 50, "STE": 8}, status="settled", fill=0.74, ra={"minimum_rounding": "nearest"},
         fnb=0.8, meeting="standard", services=((TRANSFERS, 0.9), (SPA, 0.5)), schedule="four"),
    Spec("CUN", "Northwind Insurance", "Northwind President's Club 2028", 280, 5,
         {"KNG": 55, "STE": 8}, meeting="standard", services=((TRANSFERS, 1.0), (SPA, 1.0)),
         schedule="four", lead=310),
    Spec("CUN", "Sol Maya Tours", "Sol Maya Spring Allotment", -25, 6, {"DBL": 20, "TWN": 15},
         status="settled", fill=0.66, ra={"basis": "per_night", "minimum_rounding": "down",
         "rate": "lowest", "damages_pct": "75"}, fnb=None, schedule="short", outside=3,
         resold=3),
    Spec("CUN", "Sol Maya Tours", "Sol Maya Summer Allotment", 70, 6, {"DBL": 20, "TWN": 15},
         ra={"basis": "per_night", "rate": "lowest", "damages_pct": "75"}, fnb=None,
         schedule="short"),
    Spec("CUN", "Club Deportivo Tiburones", "Tiburones Preseason Camp", 3, 5, {"TWN": 24, "DBL": 6},
         ra={"basis": "per_night", "minimum_rounding": "nearest", "rate": "3500.00"},
         services=((TRANSFERS, 1.0),), schedule="short", lead=60),
    Spec("CUN", "Vireo Pharmaceuticals", "Vireo LATAM Medical Congress", -55, 3,
         {"DBL": 50, "KNG": 20, "STE": 5}, status="settled", fill=0.83,
         ra={"rate": "highest", "allowance_pct": "15"}, fnb=0.97, meeting="standard",
         services=((AV, 0.75),), schedule="four"),
    Spec("CUN", "Vireo Pharmaceuticals", "Vireo Sales Incentive", -15, 4, {"KNG": 35, "STE": 5},
         services=((SPA, 0),), meeting="generous", schedule="four", cancelled=100, resold=14),
    Spec("CUN", "Aurora Tech", "Aurora Tech Hackathon Retreat", 45, 3, {"DBL": 40},
         fnb_terms={"allowance_pct": "0"}, schedule="three", cancelled=50,
         cancel_terms={"credit_resold": False, "include_services": False, "fnb_damages_pct": "50"},
         services=((AV, 0),)),
    Spec("CUN", "Asociación Mexicana de Turismo", "Tourism Leaders Forum", 14, 1, {}, ra=None,
         services=((AV, 1.0),), schedule="short", lead=100),
    Spec("CUN", "Aurora Tech", "Aurora Tech Leadership Offsite", -2, 4, {"KNG": 20, "STE": 2},
         fill=0.9, ra={"credit_outside_block": True}, meeting="generous", outside=2, lead=150),
    Spec("CUN", "Club Deportivo Tiburones", "Tiburones away game", -6, 2, {"TWN": 18},
         status="settled", fill=1.0, ra={"allowance_pct": "0", "basis": "per_night"}, fnb=1.02,
         schedule="short", lead=45),
    # Credits (issue 16): an earlier stay whose credit the Spring Allotment uses in part, and
    # one whose credit expired (its 24-month window closed).
    Spec("CUN", "Sol Maya Tours", "Sol Maya Winter Allotment", -420, 5, {"DBL": 30, "TWN": 20},
         status="settled", fill=0.5, ra={"basis": "per_night", "rate": "lowest"}, fnb=None,
         schedule="short", lead=200, rebooking=CREDIT_PAID),
    Spec("MAD", "Arco Seguros", "Arco Seguros Convention 2024", -800, 2, {"DBL": 40},
         status="settled", fill=0.6, fnb=None, schedule="short", lead=200,
         rebooking=CREDIT_PAID),
)
# fmt: on


@dataclass
class DemoContract:
    code: str
    documents: list[dict[str, Any]]  # to import in order, `as_of` growing


def demo_contracts(today: date, properties: Sequence[PropertyData]) -> list[DemoContract]:
    """The demo contracts for `today`; the same figures whatever `today` is."""
    rng = random.Random(SEED)
    by_code = {p.code: p for p in properties}
    counters: dict[str, int] = {}
    contracts = []
    for spec in SPECS:
        counters[spec.prop] = counters.get(spec.prop, 0) + 1
        code = f"{spec.prop}-{counters[spec.prop]:03d}"
        contracts.append(_contract(code, spec, by_code[spec.prop], today, rng))
    return contracts


def _money(value: Decimal | float | int) -> str:
    return format(Decimal(value).quantize(Decimal("0.01")), "f")


def _draw(rng: random.Random, bounds: tuple[int, int], step: int) -> int:
    low, high = bounds
    return rng.randrange(low // step, high // step + 1) * step


def _contract(
    code: str, spec: Spec, prop: PropertyData, today: date, rng: random.Random
) -> DemoContract:
    cur, amounts = prop.currency, AMOUNTS[prop.currency]
    arrival = today + timedelta(days=spec.arrive)
    departure = arrival + timedelta(days=spec.nights)
    nights = [arrival + timedelta(days=i) for i in range(spec.nights)]
    # Draw every figure first, in the same order whatever the dates are.
    rates = {t: _draw(rng, RATES[cur][t][:2], RATES[cur][t][2]) for t in spec.rooms}
    block: dict[tuple[date, str], int] = {}
    for i, night in enumerate(nights):
        shoulder = 0.8 if spec.nights >= 3 and i in (0, spec.nights - 1) else 1.0
        for room_type, rooms in spec.rooms.items():
            block[night, room_type] = max(1, round(rooms * shoulder))
    final = {key: max(0, round(rooms * spec.fill * rng.uniform(0.9, 1.1)))
             for key, rooms in block.items()}  # fmt: skip
    room_nights = sum(block.values())
    step = STEPS[cur]
    if room_nights:
        low, high = amounts["fnb_per_night"]
        fnb_min = _draw(rng, (room_nights * low, room_nights * high), step)
    else:
        fnb_min = _draw(rng, amounts["event_fnb"], step)
    fnb_spent = Decimal(fnb_min) * Decimal(str(spec.fnb or 0)) * Decimal(rng.randint(97, 103)) / 100
    rental = _draw(rng, amounts["meeting"], step)
    services = [(name, _draw(rng, amounts[name], step), share) for name, share in spec.services]

    terms = _terms(spec, prop, arrival, departure, block, rates, fnb_min, rental, services)
    signed_on = min(arrival - timedelta(days=spec.lead), today - timedelta(days=3))
    cancelled_on = arrival - timedelta(days=spec.cancelled) if spec.cancelled else None
    head = {"code": code, "property": prop.code, "account": spec.account, "name": spec.name}
    if spec.status != "tentative":
        head["signed_on"] = signed_on.isoformat()
    status = "tentative" if spec.status == "tentative" else "definite"

    def snapshot(as_of: date, share: Decimal, status: str, final_day: bool) -> dict[str, Any]:
        doc = head | {"status": status, "as_of": as_of.isoformat()} | terms
        if status == "cancelled":  # why it went: the import asks a cancelled group's reason
            doc["lost_reason"] = "event_cancelled"
        doc["pickup"] = [
            {"night": n.isoformat(), "room_type": t, "rooms": r}
            for (n, t), rooms in sorted(final.items()) if (r := int(rooms * share))
        ]  # fmt: skip
        if spec.outside:
            doc["outside_block"] = [{"night": n.isoformat(), "rooms": int(spec.outside * share)}
                                    for n in nights if int(spec.outside * share)]  # fmt: skip
        if final_day and spec.resold:
            doc["resold"] = [{"night": n.isoformat(), "rooms": spec.resold} for n in nights]
        if final_day and "fnb" in doc and not cancelled_on:
            doc["fnb"] = doc["fnb"] | {"actual": _money(fnb_spent)}
        if final_day and services and not cancelled_on:
            doc["services"] = [
                s | {"actual": _money(Decimal(minimum) * Decimal(str(spent)))}
                for s, (_, minimum, spent) in zip(doc["services"], services, strict=True)
            ]
        return doc

    stages = [(arrival - timedelta(days=d), share) for d, share in PACE]
    stages.append((departure + timedelta(days=AFTER_DEPARTURE), Decimal(1)))
    documents = []
    for as_of, share in stages:
        if as_of < signed_on or as_of > today or (cancelled_on and as_of >= cancelled_on):
            continue
        final_day = as_of > departure
        settled = final_day and spec.status == "settled"
        documents.append(snapshot(as_of, share, "settled" if settled else status, final_day))
    paced = len(documents)
    if cancelled_on:
        doc = snapshot(cancelled_on, Decimal(0), "cancelled", False)
        doc["cancellation"] = {"cancelled_on": cancelled_on.isoformat()} | doc["cancellation"]
        documents.append(doc)
        if (after := departure + timedelta(days=AFTER_DEPARTURE)) <= today:
            last = snapshot(after, Decimal(0), "cancelled", True)
            documents.append(last | {"cancellation": doc["cancellation"]})
    first = documents[0]["as_of"] if documents else None
    if (len(documents) < 2 or not paced) and first != signed_on.isoformat():
        # Signed recently, far ahead or cancelled early: first the contract as signed.
        documents.insert(0, snapshot(signed_on, Decimal(0), status, False))
    return DemoContract(code, _changes(documents))


def _changes(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The documents that change something: a snapshot equal to the one before says nothing."""
    kept: list[dict[str, Any]] = []
    for doc in documents:
        if not kept or {**kept[-1], "as_of": None} != {**doc, "as_of": None}:
            kept.append(doc)
    return kept


def _terms(
    spec: Spec,
    prop: PropertyData,
    arrival: date,
    departure: date,
    block: dict[tuple[date, str], int],
    rates: dict[str, int],
    fnb_min: int,
    rental: int,
    services: list[tuple[str, int, float]],
) -> dict[str, Any]:
    """The clause terms of the document (actuals are added per snapshot)."""
    tax = prop.rates
    doc: dict[str, Any] = {
        "currency": prop.currency,
        "arrival": arrival.isoformat(),
        "departure": departure.isoformat(),
        "block": [{"night": n.isoformat(), "room_type": t, "rooms": r, "rate": _money(rates[t])}
                  for (n, t), r in sorted(block.items())],
    }  # fmt: skip
    if spec.ra is not None:
        doc["room_attrition"] = {
            "allowance_pct": "20", "basis": "cumulative", "minimum_rounding": "exact",
            "rate": "average", "damages_pct": "100", "credit_resold": True,
            "credit_outside_block": False, "tax_pct": tax["room_tax_pct"],
        } | spec.ra  # fmt: skip
    if spec.fnb is not None:
        doc["fnb"] = {
            "minimum": _money(fnb_min), "actual": _money(0), "allowance_pct": "10",
            "damages_pct": "100", "service_charge_pct": tax["fnb_service_charge_pct"],
            "tax_pct": tax["fnb_tax_pct"], "tax_on_service_charge": True,
        } | spec.fnb_terms  # fmt: skip
    if services:
        doc["services"] = [
            {"name": name, "minimum": _money(minimum), "actual": _money(0),
             "allowance_pct": "0" if name == TRANSFERS else "10", "damages_pct": "100",
             "tax_pct": tax["services_tax_pct"]}
            for name, minimum, _ in services
        ]  # fmt: skip
    if spec.meeting is not None:
        doc["meeting_room"] = {
            "rental": _money(rental), "tax_pct": tax["meeting_room_tax_pct"],
            "scale": [{"min_pickup_pct": p, "charge_pct": c} for p, c in SCALES[spec.meeting]],
        }  # fmt: skip
    if spec.schedule is not None:
        doc["cancellation"] = {
            "schedule": [{"min_days": d, "pct": p} for d, p in SCHEDULES[spec.schedule]],
            "rooms_damages_pct": "100", "fnb_damages_pct": "100", "include_meeting_room": True,
            "include_services": True, "services_damages_pct": "100", "credit_resold": True,
            "tax_pct": tax["cancellation_tax_pct"],
        } | spec.cancel_terms  # fmt: skip
    if spec.rebooking is not None:
        doc["rebooking"] = spec.rebooking
    return doc
