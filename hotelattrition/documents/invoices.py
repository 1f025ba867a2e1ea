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

from ..domain.figures import Figures
from ..domain.tax_ids import tax_id_label
from .templates import catalogue, environment, language_of


def document_label(context: str, message: str) -> tuple[str, str]:
    """A document's word, marked for extraction (`make translations`); translated at render."""
    return context, message


# The documents' words, translated by the catalogues (messages.po) under the context "invoice",
# apart from the pages' words: a Spanish invoice says "Base total" and "Cuota" where a page
# says "Subtotal" and "Impuestos".
LABELS: dict[str, tuple[str, str]] = {
    "invoice": document_label("invoice", "Invoice"),
    "debit_note": document_label("invoice", "Debit note"),
    "credit_note": document_label("invoice", "Credit note"),
    "number": document_label("invoice", "Number"),
    "issued_on": document_label("invoice", "Date of issue"),
    "due_on": document_label("invoice", "Due date"),
    "bill_to": document_label("invoice", "Bill to"),
    "tax_id": document_label("invoice", "Tax ID"),
    "contract": document_label("invoice", "Group contract"),
    "group": document_label("invoice", "Group"),
    "stay": document_label("invoice", "Stay"),
    "arrival_departure": document_label("invoice", "{arrival} \u2013 {departure}"),
    "line": document_label("invoice", "#"),
    "concept": document_label("invoice", "Concept and how it is calculated"),
    "tax_rate": document_label("invoice", "Tax"),
    "amount": document_label("invoice", "Amount"),
    "tax_breakdown": document_label("invoice", "Tax breakdown"),
    "rate": document_label("invoice", "Rate"),
    "base": document_label("invoice", "Base"),
    "tax": document_label("invoice tax amount", "Tax"),
    "no_tax": document_label("invoice", "No tax is charged on these amounts."),
    "subtotal": document_label("invoice", "Subtotal"),
    "total": document_label("invoice", "Total"),
    "total_credit": document_label("invoice", "Total credited"),
    "payment": document_label("invoice", "Payment"),
    "pay_by": document_label("invoice", "Please pay {total} by {due_on}, quoting {number}."),
    "terms": document_label("invoice", "Payment terms: {days} days from the date of issue."),
    "pay_to": document_label("invoice", "Pay by bank transfer to {payee}:"),
    "iban": document_label("invoice", "IBAN"),
    "bic": document_label("invoice", "BIC / SWIFT"),
    "credited": document_label(
        "invoice", "This credit note cancels lines {lines} of {original} issued on {issued_on}."
    ),
    "credited_share": document_label(
        "invoice",
        "This credit note cancels {pct} of every line of {original} issued on {issued_on}.",
    ),
    "credited_amount": document_label(
        "invoice", "This credit note takes {amount} off {original} issued on {issued_on}."
    ),
    "reason": document_label("invoice", "Reason"),
    "refund": document_label(
        "invoice", "The amount will be set against the balance of {original} or refunded."
    ),
    "settlement": document_label(
        "invoice", "Settlement of the contract's {status} clause as of {issued_on}."
    ),
    "status.attrition": document_label("invoice", "attrition"),
    "status.cancelled": document_label("invoice", "cancellation"),
    "page": document_label("invoice", "Page"),
}
TEMPLATE = "documents/invoice.html"


@cache
def _words(language: str) -> dict[str, str]:
    """The document's words in a language, from its compiled catalogue."""
    words = catalogue(language)
    return {key: str(words.pgettext(context, text)) for key, (context, text) in LABELS.items()}


def invoice_context(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The template's values: the snapshot's figures formatted in its locale and language."""
    lang = language_of(snapshot["language"])
    words = _words(lang)
    figures, currency = Figures(snapshot["locale"]), snapshot["currency"]

    def money(value: str) -> str:
        return figures.money(Decimal(value), currency)

    def day(value: str | None) -> str:
        return figures.day(date.fromisoformat(value)) if value else ""

    def pct(value: str | None) -> str:
        return "" if value is None else figures.percent(Decimal(value), places=3)

    issued_on, total = day(snapshot["issued_on"]), money(snapshot["total"])
    contract, credits = snapshot["contract"], snapshot.get("credits")
    notes = []
    if credits and credits.get("share"):  # a share of every line (a rebooking's percentage)
        notes.append(
            words["credited_share"].format(
                pct=pct(credits["share"]),
                original=credits["number"],
                issued_on=day(credits["issued_on"]),
            )
        )
        notes.append(words["refund"].format(original=credits["number"]))
    elif credits and not credits["lines"]:  # an amount off the invoice (a waiver of part)
        notes.append(
            words["credited_amount"].format(
                amount=money(credits["amount"]),
                original=credits["number"],
                issued_on=day(credits["issued_on"]),
            )
        )
        notes.append(words["refund"].format(original=credits["number"]))
    elif credits:
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
        # NIF, RFC, EIN or VAT by the party's country; "Tax ID" where none is known (and in
        # buyers frozen before the country was kept).
        "seller_tax_label": tax_id_label(snapshot["seller"].get("country", "")) or words["tax_id"],
        # A buyer frozen before its country was kept is taken for a domestic one.
        "buyer_tax_label": tax_id_label(
            snapshot["buyer"].get("country") or snapshot["seller"].get("country", "")
        )
        or words["tax_id"],
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
        "payment": _payment(snapshot["seller"], words) if not credits else {},
    }


def _payment(seller: dict[str, Any], words: dict[str, str]) -> dict[str, str]:
    """Where and when to pay: the terms, the payee and its bank account, as the seller had them.

    Snapshots frozen before the bank details were kept have none of these: nothing is shown.
    """
    days = seller.get("payment_terms_days")
    has_bank = seller.get("iban") or seller.get("bic")
    return {
        "terms": words["terms"].format(days=days) if days else "",
        "pay_to": words["pay_to"].format(payee=seller["legal_name"]) if has_bank else "",
        "iban": seller.get("iban", ""),
        "bic": seller.get("bic", ""),
    }


def invoice_html(snapshot: dict[str, Any]) -> str:
    """The document's finished HTML, its stylesheet inline."""
    template = environment(snapshot["locale"]).get_template(TEMPLATE)
    return template.render(invoice_context(snapshot))


def invoice_pdf(snapshot: dict[str, Any]) -> bytes:
    """The document as PDF bytes."""
    from .render import render_pdf  # WeasyPrint, loaded by the first render only

    return render_pdf(invoice_html(snapshot))
