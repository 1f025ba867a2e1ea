"""An invoice, debit note or credit note as HTML and PDF, from its frozen snapshot (a dict).

The snapshot holds raw values (amounts as decimal strings, ISO dates); this module formats them
with Babel in the document's locale and labels the document in its language (English or
Spanish; the property's language, not the reader's).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .. import ROOT

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "invoice": "Invoice",
        "debit_note": "Debit note",
        "credit_note": "Credit note",
        "number": "Number",
        "issued_on": "Date of issue",
        "due_on": "Due date",
        "bill_to": "Bill to",
        "tax_id": "Tax ID",
        "contract": "Group contract",
        "group": "Group",
        "stay": "Stay",
        "arrival_departure": "{arrival} \u2013 {departure}",
        "line": "#",
        "concept": "Concept and how it is calculated",
        "tax_rate": "Tax",
        "amount": "Amount",
        "tax_breakdown": "Tax breakdown",
        "rate": "Rate",
        "base": "Base",
        "tax": "Tax",
        "no_tax": "No tax is charged on these amounts.",
        "subtotal": "Subtotal",
        "total": "Total",
        "total_credit": "Total credited",
        "payment": "Payment",
        "pay_by": "Please pay {total} by {due_on}, quoting {number}.",
        "credited": "This credit note cancels lines {lines} of {original} issued on {issued_on}.",
        "reason": "Reason",
        "refund": "The amount will be set against the balance of {original} or refunded.",
        "settlement": "Settlement of the contract's {status} clause as of {issued_on}.",
        "status.attrition": "attrition",
        "status.cancelled": "cancellation",
        "page": "Page",
    },
    "es": {
        "invoice": "Factura",
        "debit_note": "Nota de débito",
        "credit_note": "Factura rectificativa",
        "number": "Número",
        "issued_on": "Fecha de emisión",
        "due_on": "Vencimiento",
        "bill_to": "Facturar a",
        "tax_id": "NIF",
        "contract": "Contrato de grupo",
        "group": "Grupo",
        "stay": "Estancia",
        "arrival_departure": "{arrival} \u2013 {departure}",
        "line": "N.º",
        "concept": "Concepto y cálculo",
        "tax_rate": "Impuesto",
        "amount": "Importe",
        "tax_breakdown": "Desglose de impuestos",
        "rate": "Tipo",
        "base": "Base imponible",
        "tax": "Cuota",
        "no_tax": "Estos importes no llevan impuestos.",
        "subtotal": "Base total",
        "total": "Total",
        "total_credit": "Total rectificado",
        "payment": "Pago",
        "pay_by": "Por favor, pague {total} antes del {due_on} indicando {number}.",
        "credited": "Esta factura rectificativa anula las líneas {lines} de {original} "
        "emitida el {issued_on}.",
        "reason": "Motivo",
        "refund": "El importe se compensará con el saldo de {original} o se reembolsará.",
        "settlement": "Liquidación de la cláusula de {status} del contrato al {issued_on}.",
        "status.attrition": "desgaste",
        "status.cancelled": "cancelación",
        "page": "Página",
    },
}
TEMPLATE = "documents/invoice.html"


@cache
def _environment() -> Environment:
    # A plain Jinja environment, not Flask's: documents render without an app or a request.
    return Environment(
        loader=FileSystemLoader(ROOT / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def invoice_context(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The template's values: the snapshot's figures formatted in its locale and language."""
    lang = snapshot["language"] if snapshot["language"] in LABELS else "en"
    words = LABELS[lang]
    locale, currency = snapshot["locale"], snapshot["currency"]

    def money(value: str) -> str:
        return format_currency(Decimal(value), currency, locale=locale)

    def day(value: str | None) -> str:
        return format_date(date.fromisoformat(value), "long", locale=locale) if value else ""

    def pct(value: str | None) -> str:
        return "" if value is None else format_decimal(Decimal(value), locale=locale) + " %"

    issued_on, total = day(snapshot["issued_on"]), money(snapshot["total"])
    contract, credits = snapshot["contract"], snapshot.get("credits")
    notes = []
    if credits:
        lines = ", ".join(str(n) for n in credits["lines"])
        notes.append(
            words["credited"].format(
                lines=lines, original=credits["number"], issued_on=day(credits["issued_on"])
            )
        )
        notes.append(words["refund"].format(original=credits["number"]))
    else:
        notes.append(
            words["pay_by"].format(
                total=total, due_on=day(snapshot["due_on"]), number=snapshot["number"]
            )
        )
    return {
        "lang": lang,
        "words": words,
        "title": words[snapshot["title"]],
        "number": snapshot["number"],
        "issued_on": issued_on,
        "due_on": day(snapshot["due_on"]) if not credits else "",
        "seller": snapshot["seller"],
        "buyer": snapshot["buyer"],
        "contract": contract,
        "stay": words["arrival_departure"].format(
            arrival=day(contract["arrival"]), departure=day(contract["departure"])
        ),
        "basis": words["settlement"].format(
            status=words.get("status." + snapshot["settlement_status"], ""),
            issued_on=day(snapshot["settled_on"]),
        ),
        "lines": [
            {
                "number": line["number"],
                "label": line["label"],
                "description": line["description"],
                "tax_pct": pct(line["tax_pct"]),
                "amount": money(line["amount"]),
            }
            for line in snapshot["lines"]
        ],
        "taxes": [
            {"rate": pct(t["tax_pct"]), "base": money(t["base"]), "amount": money(t["amount"])}
            for t in snapshot["tax_breakdown"]
        ],
        "subtotal": money(snapshot["subtotal"]),
        "tax": money(snapshot["tax"]),
        "total": total,
        "credits": credits,
        "reason": credits["reason"] if credits else "",
        "notes": notes,
        "payment_instructions": snapshot["seller"].get("payment_instructions", ""),
    }


def invoice_html(snapshot: dict[str, Any]) -> str:
    """The document's finished HTML, its stylesheet inline."""
    return _environment().get_template(TEMPLATE).render(invoice_context(snapshot))


def invoice_pdf(snapshot: dict[str, Any]) -> bytes:
    """The document as PDF bytes."""
    from .render import render_pdf  # WeasyPrint, loaded by the first render only

    return render_pdf(invoice_html(snapshot))
