"""The OpenAPI description of the JSON API."""

from __future__ import annotations

from typing import Any

from ...domain.limits import (
    FIRST_DATE,
    LAST_DATE,
    MAX_STAY_NIGHTS,
    ROOM_TYPE_MAX,
    SERVICE_NAME_MAX,
)
from ...domain.money import known_currencies, money_currencies

_DECIMAL = {"type": "string", "pattern": r"^-?\d{1,12}(\.\d{1,4})?$"}
_PCT = {**_DECIMAL, "description": "percentage from 0 to 100"}
_DATE = {
    "type": "string",
    "format": "date",
    # Years 2000 to 2100 only: an earlier or later date is a typing mistake.
    "pattern": r"^(20\d\d|2100)-\d\d-\d\d$",
    "description": f"a date from {FIRST_DATE} to {LAST_DATE}",
}
NOT_MONEY = sorted(known_currencies() - money_currencies())
_CURRENCY = {
    "type": "string",
    "pattern": "^[A-Z]{3}$",
    "not": {"enum": NOT_MONEY},
    "description": (
        "ISO 4217 code of a currency that is money (EUR, USD, MXN...); codes that are no money "
        "to owe are refused: XXX, XTS, metals (XAU, XAG, XPT, XPD), units of account and funds "
        "(XDR, XBA to XBD, XSU, XUA...)"
    ),
}
_COUNT = {"type": "integer", "minimum": 0}


def _object(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return (
        {
            "type": "object",
            "additionalProperties": False,
            "properties": properties,
            "required": list(required),
        }
        if required
        else {"type": "object", "additionalProperties": False, "properties": properties}
    )


def _rows(properties: dict[str, Any], required: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "array", "items": _object(properties, required)}


DOCUMENT = _object(
    {
        "currency": _CURRENCY,
        "arrival": _DATE,
        "departure": {
            **_DATE,
            "description": (
                f"after arrival, at most {MAX_STAY_NIGHTS} nights after it; "
                f"a date from {FIRST_DATE} to {LAST_DATE}"
            ),
            "x-maxStayNights": MAX_STAY_NIGHTS,
        },
        "block": _rows(
            {
                "night": _DATE,
                "room_type": {"type": "string", "minLength": 1, "maxLength": ROOM_TYPE_MAX},
                "rooms": _COUNT,
                "rate": _DECIMAL,
            },
            ("night", "room_type", "rooms", "rate"),
        ),
        "pickup": _rows(
            {"night": _DATE, "room_type": {"type": "string"}, "rooms": _COUNT},
            ("night", "room_type", "rooms"),
        ),
        "outside_block": _rows({"night": _DATE, "rooms": _COUNT}, ("night", "rooms")),
        "resold": _rows({"night": _DATE, "rooms": _COUNT}, ("night", "rooms")),
        "released": _rows(
            {"night": _DATE, "room_type": {"type": "string"}, "rooms": _COUNT},
            ("night", "room_type", "rooms"),
        ),
        "room_attrition": _object(
            {
                "allowance_pct": _PCT,
                "basis": {"enum": ["cumulative", "per_night"]},
                "minimum_rounding": {"enum": ["exact", "up", "down", "nearest"]},
                "rate": {"oneOf": [{"enum": ["average", "lowest", "highest"]}, _DECIMAL]},
                "damages_pct": _PCT,
                "credit_resold": {"type": "boolean"},
                "credit_outside_block": {"type": "boolean"},
                "tax_pct": _PCT,
                "count_released": {"type": "boolean"},
            }
        ),
        "fnb": _object(
            {
                "minimum": _DECIMAL,
                "actual": _DECIMAL,
                "allowance_pct": _PCT,
                "damages_pct": _PCT,
                "service_charge_pct": _PCT,
                "tax_pct": _PCT,
                "tax_on_service_charge": {"type": "boolean"},
            },
            ("minimum",),
        ),
        "services": _rows(
            {
                "name": {"type": "string", "minLength": 1, "maxLength": SERVICE_NAME_MAX},
                "minimum": _DECIMAL,
                "actual": _DECIMAL,
                "allowance_pct": _PCT,
                "damages_pct": _PCT,
                "tax_pct": _PCT,
            },
            ("name", "minimum"),
        ),
        "meeting_room": _object(
            {
                "rental": _DECIMAL,
                "tax_pct": _PCT,
                "scale": _rows(
                    {"min_pickup_pct": _PCT, "charge_pct": _PCT}, ("min_pickup_pct", "charge_pct")
                ),
            },
            ("rental",),
        ),
        "cancellation": _object(
            {
                "cancelled_on": _DATE,
                "schedule": {
                    **_rows({"min_days": _COUNT, "pct": _PCT}, ("min_days", "pct")),
                    "minItems": 1,
                },
                "rooms_damages_pct": _PCT,
                "fnb_damages_pct": _PCT,
                "include_meeting_room": {"type": "boolean"},
                "include_services": {"type": "boolean"},
                "services_damages_pct": _PCT,
                "credit_resold": {"type": "boolean"},
                "tax_pct": _PCT,
            },
            ("schedule",),
        ),
        "rebooking": {
            **_object(
                {
                    "mode": {"enum": ["credit_paid", "waive_on_rebook"]},
                    "windows": {
                        **_rows(
                            {
                                "months": {"type": "integer", "minimum": 1, "maximum": 120},
                                "pct": _PCT,
                            },
                            ("months", "pct"),
                        ),
                        "minItems": 1,
                        "maxItems": 12,
                    },
                    "counts_to": {"enum": ["signing", "arrival"]},
                    "room_nights_pct": _PCT,
                    "fnb_pct": _PCT,
                    "affiliates": {"type": "boolean"},
                },
                ("mode", "windows"),
            ),
            "description": "The rebooking clause; it never changes the settlement.",
        },
        **{
            key: {"type": "string"}
            for key in ("code", "property", "account", "name", "status", "signed_on", "as_of")
        },
        "dispute_window_days": {
            "type": "integer",
            "minimum": 0,
            "maximum": 365,
            "description": "Days after its issue an invoice may be disputed (contract import).",
        },
    },
    ("currency", "arrival", "departure", "block"),
)
DOCUMENT["description"] = (
    "A settlement document v1. An object that names the same key twice, at any level, is "
    "refused with 'duplicate key' at that key's pointer. Every problem is reported together."
)

_LINE = _object(
    {
        "kind": {"type": "string"},
        "description": {"type": "string"},
        "quantity": {"type": "string"},
        "unit_amount": {"type": "string"},
        "amount": {"type": "string"},
    }
)
SETTLEMENT = _object(
    {
        "currency": {"type": "string"},
        "status": {"enum": ["attrition", "no_damages", "cancelled"]},
        "rooms": _object(
            {
                "contracted": _COUNT,
                "minimum": {"type": "string"},
                "picked_up": _COUNT,
                "resold": _COUNT,
                "shortfall": {"type": "string"},
                "pickup_pct": {"type": "string"},
            }
        ),
        "lines": {"type": "array", "items": _LINE},
        "subtotal": {"type": "string"},
        "tax": {"type": "string"},
        "total": {"type": "string"},
    }
)
ERRORS = _object(
    {
        "errors": {
            "type": "array",
            "items": _object(
                {"pointer": {"type": "string"}, "message": {"type": "string"}},
                ("pointer", "message"),
            ),
        }
    }
)


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "hotelattrition",
        "version": "1",
        "description": "Settle a group contract's attrition and cancellation damages.",
    },
    "paths": {
        "/api/v1/settlements": {
            "post": {
                "summary": "Settle one settlement document (v1)",
                "security": [{"bearer": []}],
                "parameters": [
                    {
                        "name": "language",
                        "in": "query",
                        "required": False,
                        "schema": {"enum": ["en", "es"]},
                        "description": "language of the line descriptions",
                    }
                ],
                "requestBody": {"required": True, "content": _json("SettlementDocument")},
                "responses": {
                    "200": {
                        "description": "the itemised settlement",
                        "content": _json("Settlement"),
                    },
                    "400": {
                        "description": "every problem, by JSON pointer",
                        "content": _json("Errors"),
                    },
                    "401": {"description": "no valid bearer token", "content": _json("Errors")},
                    "415": {"description": "the body is not JSON", "content": _json("Errors")},
                    "405": {
                        "description": "a method other than POST",
                        "headers": {"Allow": {"schema": {"type": "string"}, "description": "POST"}},
                        "content": _json("Errors"),
                    },
                },
            }
        }
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {"SettlementDocument": DOCUMENT, "Settlement": SETTLEMENT, "Errors": ERRORS},
    },
}
