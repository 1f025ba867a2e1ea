"""The demo's earlier editions: annual groups with three or more editions each.

Each account below already has a recent edition in `demo_contracts`; these are the same event
in the years before, 52 weeks apart (same weekdays), with its pickup snapshots at 90, 60, 30
and 7 days before arrival, so the account page's history and suggested block have figures and
curves to read. Drawn from their own seed: the other demo contracts keep their figures.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from .demo_contracts import Spec, _contract
from .properties import PropertyData

SEED = 20270317
YEAR = 364  # days: 52 weeks, the same weekdays


@dataclass(frozen=True)
class Earlier:
    """Earlier editions of a demo spec: `fills` most recent first, one a year back each."""

    name: str  # the demo contract's name whose earlier editions these are
    arrive: int  # that contract's arrival, days from today
    fills: tuple[float, ...]
    reduced: tuple[bool, ...] = ()  # per edition: the block cut by a tenth 45 days out


EARLIER: tuple[tuple[Spec, Earlier], ...] = (
    (
        Spec("MAD", "Novalia Pharma", "Novalia Oncology Congress", 0, 3, {"DBL": 60, "STE": 6},
             status="settled", ra={"basis": "cumulative", "credit_outside_block": True},
             fnb=0.9, meeting="standard", services=(("Audio-visual package", 1.0),),
             schedule="four", lead=300),
        Earlier("Novalia Oncology Congress", -75, (0.81, 0.88), (True, False)),
    ),
    (
        Spec("MAD", "Sociedad Ibérica de Cardiología", "Congreso Nacional de Cardiología", 0, 4,
             {"DBL": 80, "KNG": 30, "STE": 6}, status="settled",
             ra={"basis": "per_night", "minimum_rounding": "down", "rate": "highest"},
             meeting="standard", services=(("Audio-visual package", 1.0),), schedule="four",
             lead=330),
        Earlier("Congreso Nacional de Cardiología", 300, (0.84, 0.87, 0.82), (False, True, False)),
    ),
    (
        Spec("CUN", "Northwind Insurance", "Northwind President's Club", 0, 5,
             {"KNG": 50, "STE": 8}, status="settled", ra={"minimum_rounding": "nearest"},
             fnb=0.95, meeting="standard", services=(("Airport transfers", 0.9),),
             schedule="four", lead=330),
        Earlier("Northwind President's Club", -100, (0.79, 0.84), (False, True)),
    ),
    (
        Spec("CUN", "Vireo Pharmaceuticals", "Vireo LATAM Medical Congress", 0, 3,
             {"DBL": 50, "KNG": 20, "STE": 5}, status="settled",
             ra={"rate": "highest", "allowance_pct": "15"}, fnb=1.0, meeting="standard",
             schedule="four", lead=300),
        Earlier("Vireo LATAM Medical Congress", -55, (0.86, 0.9)),
    ),
)  # fmt: skip


def demo_history(today: date, properties: Sequence[PropertyData]) -> list[list[dict[str, Any]]]:
    """Per earlier edition, its documents to import in order (the same on any day, shifted)."""
    rng = random.Random(SEED)
    by_code = {p.code: p for p in properties}
    counters: dict[str, int] = {}
    out = []
    for spec, earlier in EARLIER:
        for back, fill in enumerate(earlier.fills, 1):
            counters[spec.prop] = counters.get(spec.prop, 0) + 1
            code = f"{spec.prop}-{100 + counters[spec.prop]}"
            arrive = earlier.arrive - back * YEAR
            # Far enough back that the next edition's (its own name) arrival sits a year on.
            edition = replace(spec, arrive=arrive, fill=fill)
            documents = _contract(code, edition, by_code[spec.prop], today, rng).documents
            reduced = earlier.reduced[back - 1] if back <= len(earlier.reduced) else False
            if reduced:
                documents = _reduce(documents, today + timedelta(days=arrive - 45))
            out.append(documents)
    return out


def _reduce(documents: list[dict[str, Any]], on: date) -> list[dict[str, Any]]:
    """The block cut by a tenth in the documents dated on or after `on` (a review date's cut)."""
    out = []
    for doc in documents:
        if date.fromisoformat(doc["as_of"]) >= on:
            block = [row | {"rooms": max(1, row["rooms"] * 9 // 10)} for row in doc["block"]]
            doc = doc | {"block": block}
        out.append(doc)
    return out
