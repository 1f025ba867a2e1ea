"""Properties of settle() over generated valid settlement documents."""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from babel.numbers import get_currency_precision
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hotelattrition.domain import parse_document, settle, settlement_to_json

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CURRENCIES = ["EUR", "USD", "JPY", "KWD"]
ROOM_TYPES = ["DBL", "KNG", "SUI"]


def _scaled(coefficient: int, places: int) -> str:
    return format(Decimal(coefficient).scaleb(-places), "f")


money = st.builds(_scaled, st.integers(0, 50_000_000), st.integers(0, 4)) | st.sampled_from(
    ["0", "129.00", "99.99", "0.01", "1000"]
)
pcts = st.builds(_scaled, st.integers(0, 1_000_000), st.just(4)) | st.sampled_from(
    ["0", "10", "20", "12.5", "50", "100"]
)
rates = st.builds(_scaled, st.integers(0, 5_000_000), st.integers(0, 4))


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid settlement document: every section optional, every rule respected."""
    arrival = date(2027, 3, 1) + timedelta(days=draw(st.integers(0, 60)))
    nights = [arrival + timedelta(days=i) for i in range(draw(st.integers(1, 4)))]
    doc: dict[str, Any] = {
        "currency": draw(st.sampled_from(CURRENCIES)),
        "arrival": arrival.isoformat(),
        "departure": (nights[-1] + timedelta(days=1)).isoformat(),
        "block": [],
        "pickup": [],
    }
    for night in nights:
        for room_type in draw(st.lists(st.sampled_from(ROOM_TYPES), unique=True, max_size=3)):
            rooms = draw(st.integers(0, 60))
            row = {"night": night.isoformat(), "room_type": room_type, "rooms": rooms}
            doc["block"].append({**row, "rate": draw(rates)})
            if draw(st.booleans()):
                doc["pickup"].append({**row, "rooms": draw(st.integers(0, 80))})
    for key in ("outside_block", "resold"):
        chosen = draw(st.lists(st.sampled_from(nights), unique=True, max_size=len(nights)))
        doc[key] = [{"night": n.isoformat(), "rooms": draw(st.integers(0, 20))} for n in chosen]
    if draw(st.booleans()):
        doc["room_attrition"] = {
            "allowance_pct": draw(pcts),
            "basis": draw(st.sampled_from(["cumulative", "per_night"])),
            "minimum_rounding": draw(st.sampled_from(["exact", "up", "down", "nearest"])),
            "rate": draw(st.sampled_from(["average", "lowest", "highest"]) | rates),
            "damages_pct": draw(pcts),
            "credit_resold": draw(st.booleans()),
            "credit_outside_block": draw(st.booleans()),
            "tax_pct": draw(pcts),
        }
    if draw(st.booleans()):
        doc["fnb"] = {
            "minimum": draw(money),
            "actual": draw(money),
            "allowance_pct": draw(pcts),
            "damages_pct": draw(pcts),
            "service_charge_pct": draw(pcts),
            "tax_pct": draw(pcts),
            "tax_on_service_charge": draw(st.booleans()),
        }
    names = draw(st.lists(st.sampled_from(["AV", "Transfers", "Spa"]), unique=True, max_size=3))
    doc["services"] = [
        {
            "name": n,
            "minimum": draw(money),
            "actual": draw(money),
            "allowance_pct": draw(pcts),
            "damages_pct": draw(pcts),
            "tax_pct": draw(pcts),
        }
        for n in names
    ]
    if draw(st.booleans()):
        steps = draw(st.lists(pcts, unique_by=Decimal, max_size=4))
        doc["meeting_room"] = {
            "rental": draw(money),
            "tax_pct": draw(pcts),
            "scale": [{"min_pickup_pct": s, "charge_pct": draw(pcts)} for s in steps],
        }
    if draw(st.booleans()):
        days = draw(st.lists(st.integers(0, 400), unique=True, min_size=1, max_size=4))
        doc["cancellation"] = {
            "schedule": [{"min_days": d, "pct": draw(pcts)} for d in days],
            "rooms_damages_pct": draw(pcts),
            "fnb_damages_pct": draw(pcts),
            "include_meeting_room": draw(st.booleans()),
            "include_services": draw(st.booleans()),
            "services_damages_pct": draw(pcts),
            "credit_resold": draw(st.booleans()),
            "tax_pct": draw(pcts),
        }
        if draw(st.booleans()):
            on = arrival - timedelta(days=draw(st.integers(-5, 500)))
            doc["cancellation"]["cancelled_on"] = on.isoformat()
    return doc


def result(doc: dict[str, Any]) -> dict[str, Any]:
    return settlement_to_json(settle(parse_document(doc)))


def amount_of(out: dict[str, Any], *kinds: str) -> Decimal:
    return sum((Decimal(ln["amount"]) for ln in out["lines"] if ln["kind"] in kinds), Decimal(0))


def uncancelled(doc: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    doc.get("cancellation", {}).pop("cancelled_on", None)
    return doc


@SETTINGS
@given(documents())
def test_totals_add_up(doc: dict[str, Any]) -> None:
    out = result(doc)
    subtotal = sum(
        (Decimal(ln["amount"]) for ln in out["lines"] if ln["kind"] != "tax"), Decimal(0)
    )
    tax = amount_of(out, "tax")
    assert Decimal(out["subtotal"]) == subtotal
    assert Decimal(out["tax"]) == tax
    assert Decimal(out["total"]) == Decimal(out["subtotal"]) + Decimal(out["tax"])


@SETTINGS
@given(documents())
def test_amounts_have_the_currency_minor_unit_places(doc: dict[str, Any]) -> None:
    out = result(doc)
    places = get_currency_precision(doc["currency"])
    shape = re.compile(r"-?\d+" + (rf"\.\d{{{places}}}" if places else ""))
    written = [out["subtotal"], out["tax"], out["total"]]
    written += [ln[k] for ln in out["lines"] for k in ("amount", "unit_amount")]
    for text in written:
        assert shape.fullmatch(text), text
        assert not (text.startswith("-") and Decimal(text).is_zero()), text
    assert re.fullmatch(r"\d+\.\d\d", out["rooms"]["pickup_pct"])


@SETTINGS
@given(documents())
def test_lines_are_never_zero_and_taxes_follow_a_charged_line(doc: dict[str, Any]) -> None:
    out = result(doc)
    kinds = [ln["kind"] for ln in out["lines"]]
    for i, line in enumerate(out["lines"]):
        assert not Decimal(line["amount"]).is_zero()
        assert line["description"]
        if line["kind"] == "tax":
            assert i > 0 and kinds[i - 1] != "tax"
            assert (Decimal(line["amount"]) < 0) == (Decimal(out["lines"][i - 1]["amount"]) < 0)
        if Decimal(line["amount"]) < 0:
            assert line["kind"] in ("resale_credit", "tax")
        if line["kind"] == "fnb_service_charge":
            assert kinds[i - 1] == "fnb_attrition"


@SETTINGS
@given(documents())
def test_status(doc: dict[str, Any]) -> None:
    out = result(doc)
    cancelled = "cancelled_on" in doc.get("cancellation", {})
    assert (out["status"] == "cancelled") == cancelled
    if not cancelled:
        assert out["status"] == ("attrition" if out["lines"] else "no_damages")
        assert all(not ln["kind"].startswith(("cancellation", "resale")) for ln in out["lines"])
    else:
        assert out["rooms"]["shortfall"] == "0"
        attrition = {"room_attrition", "fnb_attrition", "meeting_room", "service_attrition"}
        assert not attrition & {ln["kind"] for ln in out["lines"]}
        assert -amount_of(out, "resale_credit") <= amount_of(out, "cancellation_rooms")


@SETTINGS
@given(documents(), st.data())
def test_more_pickup_never_raises_room_damages(doc: dict[str, Any], data: st.DataObject) -> None:
    assume(doc["block"] and "room_attrition" in doc)
    doc = uncancelled(doc)
    row = data.draw(st.sampled_from(doc["block"]))
    key = (row["night"], row["room_type"])
    now = sum(p["rooms"] for p in doc["pickup"] if (p["night"], p["room_type"]) == key)
    more = copy.deepcopy(doc)
    more["pickup"] = [p for p in doc["pickup"] if (p["night"], p["room_type"]) != key]
    more["pickup"].append(
        {"night": key[0], "room_type": key[1], "rooms": now + data.draw(st.integers(1, 50))}
    )
    assert amount_of(result(more), "room_attrition") <= amount_of(result(doc), "room_attrition")


@SETTINGS
@given(documents())
def test_per_night_shortfall_is_never_below_the_cumulative_one(doc: dict[str, Any]) -> None:
    doc = uncancelled(doc)
    clause = {**doc.get("room_attrition", {}), "minimum_rounding": "exact"}
    per_night = result({**doc, "room_attrition": {**clause, "basis": "per_night"}})
    cumulative = result({**doc, "room_attrition": {**clause, "basis": "cumulative"}})
    assert Decimal(per_night["rooms"]["shortfall"]) >= Decimal(cumulative["rooms"]["shortfall"])
    assert per_night["rooms"]["minimum"] == cumulative["rooms"]["minimum"]


@SETTINGS
@given(documents(), st.sampled_from(["exact", "up", "down", "nearest"]))
def test_zero_allowance_full_pickup_owes_nothing_for_rooms(
    doc: dict[str, Any], rounding: str
) -> None:
    doc = uncancelled(doc)
    doc["pickup"] = [{k: b[k] for k in ("night", "room_type", "rooms")} for b in doc["block"]]
    clause = {**doc.get("room_attrition", {}), "allowance_pct": "0", "minimum_rounding": rounding}
    out = result({**doc, "room_attrition": clause})
    assert "room_attrition" not in {ln["kind"] for ln in out["lines"]}
    assert out["rooms"]["shortfall"] == "0"
    assert out["rooms"]["minimum"] == str(out["rooms"]["contracted"])


@SETTINGS
@given(documents(), pcts, pcts)
def test_raising_damages_pct_never_lowers_damages(doc: dict[str, Any], a: str, b: str) -> None:
    low, high = sorted((a, b), key=Decimal)

    def with_pct(pct: str) -> dict[str, Any]:
        changed = copy.deepcopy(doc)
        changed.setdefault("room_attrition", {})["damages_pct"] = pct
        if "fnb" in changed:
            changed["fnb"]["damages_pct"] = pct
        for service in changed["services"]:
            service["damages_pct"] = pct
        if "cancellation" in changed:
            for key in ("rooms_damages_pct", "fnb_damages_pct", "services_damages_pct"):
                changed["cancellation"][key] = pct
        return changed

    for kind in (
        "room_attrition",
        "fnb_attrition",
        "service_attrition",
        "cancellation_rooms",
        "cancellation_fnb",
        "cancellation_service",
    ):
        assert amount_of(result(with_pct(low)), kind) <= amount_of(result(with_pct(high)), kind)


@SETTINGS
@given(documents())
def test_cumulative_room_line_matches_an_exact_fraction(doc: dict[str, Any]) -> None:
    """An independent oracle: Fraction arithmetic, rounded half up to the minor unit."""
    doc = uncancelled(doc)
    clause = {
        **doc.get("room_attrition", {}),
        "basis": "cumulative",
        "minimum_rounding": "exact",
        "rate": "average",
    }
    out = result({**doc, "room_attrition": clause})
    credit_outside = clause.get("credit_outside_block", False)
    credit_resold = clause.get("credit_resold", True)
    c = sum(b["rooms"] for b in doc["block"])
    assume(c > 0)
    p = sum(r["rooms"] for r in doc["pickup"])
    p += sum(r["rooms"] for r in doc["outside_block"]) if credit_outside else 0
    r = sum(x["rooms"] for x in doc["resold"]) if credit_resold else 0
    m = c * (100 - Fraction(clause.get("allowance_pct", "0"))) / 100
    rate = sum(b["rooms"] * Fraction(b["rate"]) for b in doc["block"]) / c
    due = max(Fraction(0), m - p - r) * rate * Fraction(clause.get("damages_pct", "100")) / 100
    unit = Fraction(1, 10 ** get_currency_precision(doc["currency"]))
    whole, rest = divmod(due / unit, 1)
    expected = (whole + (1 if rest >= Fraction(1, 2) else 0)) * unit
    assert amount_of(out, "room_attrition") == Decimal(expected.numerator) / expected.denominator
    assert out["rooms"]["picked_up"] == p
