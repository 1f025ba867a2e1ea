"""The sentence for each settlement line, per language, rendered from the line's figures."""

from __future__ import annotations

from decimal import Decimal, localcontext
from functools import cache
from typing import TYPE_CHECKING, Any

from .figures import exponent_of
from .figures import statement_day as day
from .figures import statement_money as money
from .figures import statement_number as number
from .figures import statement_percent as percent
from .money import EXACT, minor_unit, round_money, round_ratio

if TYPE_CHECKING:
    from .settlement import Line

LANGUAGES = ("en", "es")
HUNDRED = Decimal(100)

# Sentences name the clause and every figure a planner needs to redo the sum by hand.
SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "room_attrition": (
            "Room attrition{night}: {keep} of {contracted} contracted room nights{released} = "
            "{minimum}; "
            "{picked_up} picked up{outside}{resold}; {shortfall} short at {rate} ({basis}){share}"
        ),
        "fnb_attrition": (
            "F&B minimum: {keep} of {minimum} = {floor}; actual {actual}; {shortfall} short{share}"
        ),
        "service_attrition": (
            "{name} minimum: {keep} of {minimum} = {floor}; actual {actual}; "
            "{shortfall} short{share}"
        ),
        "fnb_service_charge": "F&B service charge: {service_charge_pct} of {base}",
        "meeting_room": (
            "Meeting room: pickup {pickup_pct} reaches the {min_pickup_pct} step of the sliding "
            "scale; {charge_pct} of the {rental} rental"
        ),
        "cancellation_rooms": "{when}: room revenue {base}{share} × {pct}",
        "cancellation_fnb": "{when}: F&B minimum {base}{share} × {pct}",
        "cancellation_meeting_room": "{when}: meeting-room rental {base} × {pct}",
        "cancellation_service": "{when}: {name} minimum {base}{share} × {pct}",
        "resale_credit": (
            "Resale credit: {resold} resold room nights worth {revenue} at each night's average "
            "block rate{share} × {pct}"
        ),
        "tax": "Tax {tax_pct} on {taxed} ({base})",
        "cancelled": (
            "Cancellation on {cancelled_on}, {days} days before arrival ({tier} step: {pct})"
        ),
        "tier": "{min_days}-day",
        "night": " on the night of {night}",
        "outside": " (outside-block attendees included)",
        "released": " (including {released} released at the cut-off)",
        "resold": "; {resold} resold by the hotel",
        "share": " × {damages_pct} lost-profit share",
        "average": "block-weighted average rate",
        "lowest": "lowest block rate",
        "highest": "highest block rate",
        "fixed": "contracted attrition rate",
        "fraction": "{revenue} / {room_nights} room nights",
        "and": " + ",
        "label.room_attrition": "room attrition",
        "label.fnb_attrition": "F&B attrition",
        "label.fnb_service_charge": "F&B service charge",
        "label.meeting_room": "meeting room",
        "label.service_attrition": "{name}",
        "label.cancellation_rooms": "cancellation, rooms",
        "label.cancellation_fnb": "cancellation, F&B",
        "label.cancellation_meeting_room": "cancellation, meeting room",
        "label.cancellation_service": "cancellation, {name}",
        "label.resale_credit": "resale credit",
        "label.waiver": "waiver",
        "waiver.lines": "line {numbers}",
        "waiver.lines_plural": "lines {numbers}",
        "waiver.given_back": "already credited by {number}",
        "waiver": "{reason}: {share} of the {amount} waived (tax included), off {lines}",
    },
    "es": {
        "room_attrition": (
            "Desgaste de habitaciones{night}: {keep} de {contracted} noches de habitación "
            "contratadas{released} = {minimum}; {picked_up} ocupadas{outside}{resold}; "
            "faltan {shortfall} a {rate} ({basis}){share}"
        ),
        "fnb_attrition": (
            "Mínimo de alimentos y bebidas: {keep} de {minimum} = {floor}; real {actual}; "
            "faltan {shortfall}{share}"
        ),
        "service_attrition": (
            "Mínimo de {name}: {keep} de {minimum} = {floor}; real {actual}; "
            "faltan {shortfall}{share}"
        ),
        "fnb_service_charge": (
            "Cargo por servicio de alimentos y bebidas: {service_charge_pct} de {base}"
        ),
        "meeting_room": (
            "Salón de reuniones: la ocupación del {pickup_pct} alcanza el tramo del "
            "{min_pickup_pct} de la escala; {charge_pct} del alquiler de {rental}"
        ),
        "cancellation_rooms": "{when}: ingresos de habitaciones {base}{share} × {pct}",
        "cancellation_fnb": "{when}: mínimo de alimentos y bebidas {base}{share} × {pct}",
        "cancellation_meeting_room": "{when}: alquiler del salón {base} × {pct}",
        "cancellation_service": "{when}: mínimo de {name} {base}{share} × {pct}",
        "resale_credit": (
            "Crédito por reventa: {resold} noches de habitación revendidas por valor de {revenue} "
            "a la tarifa media del bloqueo de cada noche{share} × {pct}"
        ),
        "tax": "Impuesto {tax_pct} sobre {taxed} ({base})",
        "cancelled": (
            "Cancelación el {cancelled_on}, {days} días antes de la llegada "
            "(tramo de {tier}: {pct})"
        ),
        "tier": "{min_days} días",
        "night": " de la noche del {night}",
        "outside": " (incluidos asistentes fuera del bloqueo)",
        "released": " (incluidas {released} liberadas en la fecha de corte)",
        "resold": "; {resold} revendidas por el hotel",
        "share": " × {damages_pct} de beneficio perdido",
        "average": "tarifa media ponderada del bloqueo",
        "lowest": "tarifa más baja del bloqueo",
        "highest": "tarifa más alta del bloqueo",
        "fixed": "tarifa de desgaste contratada",
        "fraction": "{revenue} / {room_nights} noches de habitación",
        "and": " + ",
        "label.room_attrition": "desgaste de habitaciones",
        "label.fnb_attrition": "desgaste de alimentos y bebidas",
        "label.fnb_service_charge": "cargo por servicio",
        "label.meeting_room": "salón de reuniones",
        "label.service_attrition": "{name}",
        "label.cancellation_rooms": "cancelación, habitaciones",
        "label.cancellation_fnb": "cancelación, alimentos y bebidas",
        "label.cancellation_meeting_room": "cancelación, salón de reuniones",
        "label.cancellation_service": "cancelación, {name}",
        "label.resale_credit": "crédito por reventa",
        "label.waiver": "condonación",
        "waiver.lines": "la línea {numbers}",
        "waiver.lines_plural": "las líneas {numbers}",
        "waiver.given_back": "ya abonado en {number}",
        "waiver": (
            "{reason}: {share} de los {amount} condonados (impuestos incluidos), sobre {lines}"
        ),
    },
}


MAX_RATE_PLACES = 4


def rate_text(f: Any, amount: Decimal, currency: str, language: str) -> str:
    """The room rate of a line, with the places that make shortfall × rate give its amount.

    The average rate is exact but often not a short decimal: it is printed with the fewest
    places (the currency's, up to 4) whose product with the shortfall and the lost-profit
    share rounds to the line's amount, and as revenue / room nights when none does.
    """
    if "rate_revenue" not in f:
        return money(f["rate"], currency, language)
    revenue, nights = f["rate_revenue"], f["rate_room_nights"]
    least = -exponent_of(minor_unit(currency))
    with localcontext(EXACT):
        for places in range(least, max(least, MAX_RATE_PLACES) + 1):
            rate = round_ratio(revenue, nights, Decimal(1).scaleb(-places))
            if round_money(f["shortfall"] * rate * f["damages_pct"] / HUNDRED, currency) == amount:
                return money(rate, currency, language, exact=True)
    return SENTENCES[language]["fraction"].format(
        revenue=money(revenue.normalize() if revenue else revenue, currency, language, exact=True),
        room_nights=number(nights, language),
    )


@cache
def sentence_language(language: str | None) -> str:
    """Pick a supported language for sentences ("es_MX" -> "es"); English otherwise."""
    base = (language or "en").replace("-", "_").split("_")[0].lower()
    return base if base in SENTENCES else "en"


def describe(line: Line, currency: str, language: str = "en") -> str:
    """Render the sentence of one line from its figures."""
    lang = sentence_language(language)
    words = SENTENCES[lang]
    f = line.figures

    def m(v: Decimal) -> str:
        return money(v, currency, lang)

    def p(v: Decimal) -> str:
        return percent(v, lang)

    share = (
        words["share"].format(damages_pct=p(f["damages_pct"]))
        if f.get("damages_pct", HUNDRED) != HUNDRED
        else ""
    )
    values: dict[str, Any] = {"share": share, "name": f.get("name")}
    kind = line.kind
    if kind == "room_attrition":
        values |= {
            "night": words["night"].format(night=day(f["night"], lang)) if f["night"] else "",
            "keep": p(HUNDRED - f["allowance_pct"]),
            "contracted": number(f["contracted"], lang),
            "minimum": number(f["minimum"], lang),
            "picked_up": number(f["picked_up"], lang),
            "outside": words["outside"] if f["outside_block_credited"] else "",
            "released": words["released"].format(released=number(f["released_counted"], lang))
            if f.get("released_counted")
            else "",
            "resold": words["resold"].format(resold=f["resold"]) if f["resold"] else "",
            "shortfall": number(f["shortfall"], lang),
            "rate": rate_text(f, line.amount, currency, lang),
            "basis": words[f["rate_basis"]],
        }
    elif kind in ("fnb_attrition", "service_attrition"):
        values |= {
            "keep": p(HUNDRED - f["allowance_pct"]),
            "minimum": m(f["minimum"]),
            "floor": m(f["floor"]),
            "actual": m(f["actual"]),
            "shortfall": m(f["shortfall"]),
        }
    elif kind == "tax":
        labels = [words["label." + k].format(name=f.get("name")) for k in f["taxes"]]
        values |= {
            "tax_pct": p(f["tax_pct"]),
            "taxed": words["and"].join(labels),
            "base": m(f["base"]),
        }
    else:
        values |= {
            k: (p(v) if k.endswith("pct") else m(v)) if isinstance(v, Decimal) else v
            for k, v in f.items()
            if k not in ("name", "amount", "damages_pct")
        }
        if "cancelled_on" in f:
            tier = words["tier"].format(min_days=f["min_days"])
            values["when"] = words["cancelled"].format(
                cancelled_on=day(f["cancelled_on"], lang),
                days=f["days"],
                tier=tier,
                pct=p(f["pct"]),
            )
            values["resold"] = number(f.get("resold", 0), lang)
    return words[kind].format(**values) + " = " + m(line.amount)
