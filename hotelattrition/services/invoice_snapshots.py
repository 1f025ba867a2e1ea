"""The frozen content of an invoice or credit note: plain JSON values, built before numbering.

Amounts are decimal strings and dates ISO strings, so the snapshot hashes the same on every
engine and renders the same PDF years later, whatever the contract or property became.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from ..domain import Settlement, settlement_to_json
from ..domain.figures import Figures
from ..domain.money import HUNDRED, ZERO, round_money
from ..domain.waivers import Group, Share, split_waiver
from ..domain.wording import SENTENCES
from ..models import Contract, Invoice
from . import ServiceError

VERSION = 1


def plain(value: Any) -> Any:
    """A JSON value for a figure: Decimal and date as strings, containers converted."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def text(value: Decimal) -> str:
    return format(value, "f")


def document_locale(locale: str, language: str) -> str:
    """Format with the property's locale when its language is the document's, else English."""
    return locale if locale.replace("-", "_").split("_")[0].lower() == language else "en"


def invoice_snapshot(
    contract: Contract,
    settlement: Settlement,
    document: dict[str, Any],
    *,
    language: str,
    title: str,
    issued_on: date,
    due_on: date,
) -> dict[str, Any]:
    """The snapshot of an invoice (or debit note) for the contract's settlement; no number yet."""
    prop, account = contract.property, contract.account
    described = settlement_to_json(settlement, language)["lines"]
    lines, taxes = _lines_and_taxes(settlement, described, language)
    return {
        "version": VERSION,
        "kind": "invoice",
        "title": title,
        "number": None,
        "issued_on": issued_on.isoformat(),
        "due_on": due_on.isoformat(),
        "language": language,
        "locale": document_locale(prop.locale, language),
        "currency": settlement.currency,
        "seller": {
            "code": prop.code,
            "name": prop.name,
            "legal_name": prop.legal_name,
            "address": prop.address,
            "country": prop.country,
            "tax_id": prop.tax_id or "",
            "payment_instructions": prop.payment_instructions,
            "payment_terms_days": prop.payment_terms_days,
            "iban": prop.iban,
            "bic": prop.bic,
        },
        "buyer": {
            "name": account.name,
            "address": account.billing_address,
            "country": account.country,
            "tax_id": account.tax_id or "",
            "contact_name": account.contact_name,
            "contact_email": account.contact_email,
        },
        "contract": {
            "code": contract.code,
            "name": contract.name,
            "status": contract.status,
            "signed_on": contract.signed_on.isoformat() if contract.signed_on else None,
            "arrival": contract.arrival.isoformat(),
            "departure": contract.departure.isoformat(),
        },
        "settlement_status": settlement.status,
        "settled_on": issued_on.isoformat(),
        "lines": lines,
        "taxes": taxes,
        "tax_breakdown": tax_breakdown(taxes),
        "subtotal": text(settlement.subtotal),
        "tax": text(settlement.tax),
        "total": text(settlement.total),
        "credits": None,
        "document": document,
    }


def _lines_and_taxes(
    settlement: Settlement, described: list[dict[str, Any]], language: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Charged lines numbered from 1, and tax items each naming the lines they tax."""
    words = SENTENCES[language]
    lines: list[dict[str, Any]] = []
    taxes: list[dict[str, Any]] = []
    untaxed: list[dict[str, Any]] = []  # lines since the last tax line: a tax follows its lines
    for line, out in zip(settlement.lines, described, strict=True):
        figures = line.figures
        if line.kind != "tax":
            label = words["label." + line.kind].format(name=figures.get("name"))
            row = {
                "number": len(lines) + 1,
                "kind": line.kind,
                "name": figures.get("name"),
                "label": label[:1].upper() + label[1:],
                "description": out["description"],
                "quantity": out["quantity"],
                "unit_amount": out["unit_amount"],
                "amount": out["amount"],
                "tax_pct": None,
                "figures": plain(dict(figures)),
            }
            lines.append(row)
            untaxed.append(row)
            continue
        taxed = [
            row
            for row in untaxed
            if row["kind"] in figures["taxes"] and row["name"] == figures.get("name")
        ]
        base = sum((Decimal(row["amount"]) for row in taxed), ZERO)
        if base != figures["base"]:
            raise ServiceError(f"tax line {out['description']!r} does not match its lines")
        for row in taxed:
            row["tax_pct"] = text(figures["tax_pct"])
            untaxed.remove(row)
        taxes.append(
            {
                "item": len(taxes) + 1,
                "tax_pct": text(figures["tax_pct"]),
                "base": text(base),
                "amount": text(line.amount),
                "lines": [row["number"] for row in taxed],
                "description": out["description"],
            }
        )
    return lines, taxes


def tax_breakdown(taxes: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Tax items summed by rate, lowest rate first."""
    bases: dict[Decimal, Decimal] = defaultdict(Decimal)
    amounts: dict[Decimal, Decimal] = defaultdict(Decimal)
    for item in taxes:
        rate = Decimal(item["tax_pct"])
        bases[rate] += Decimal(item["base"])
        amounts[rate] += Decimal(item["amount"])
    return [
        {"tax_pct": text(rate), "base": text(bases[rate]), "amount": text(amounts[rate])}
        for rate in sorted(bases)
    ]


def credit_snapshot(
    original: Invoice,
    chosen: list[int],
    earlier: list[Invoice],
    *,
    reason: str,
    issued_on: date,
) -> dict[str, Any]:
    """A credit note negating the chosen lines of the original and the tax on them.

    `earlier` are the original's credit notes so far: a tax item whose last lines this note
    credits takes exactly what is left of it, so crediting every line nets the original to 0.
    """
    source = original.snapshot
    currency = source["currency"]
    picked = set(chosen)
    credited = {n for note in earlier for n in note.snapshot["credits"]["lines"]}
    lines = [
        line
        | {"number": i, "credits_line": line["number"], "amount": text(-Decimal(line["amount"]))}
        for i, line in enumerate((ln for ln in source["lines"] if ln["number"] in picked), 1)
    ]
    renumber = {line["credits_line"]: line["number"] for line in lines}
    readded = _amounts_given_back(source, earlier, picked, credited | picked, lines)
    taxes: list[dict[str, Any]] = []
    for item in source["taxes"]:
        selected = [n for n in item["lines"] if n in picked]
        if not selected:
            continue
        back = readded.get(item["item"], [])
        base = sum((Decimal(source["lines"][n - 1]["amount"]) for n in selected), ZERO)
        base -= sum((Decimal(lines[n - 1]["amount"]) for n in back), ZERO)
        if set(item["lines"]) <= credited | picked:
            so_far = sum(
                (
                    Decimal(t["amount"])
                    for note in earlier
                    for t in note.snapshot["taxes"]
                    if t["credits_item"] == item["item"]
                ),
                ZERO,
            )
            amount = Decimal(item["amount"]) + so_far  # what is left of this tax
        else:
            amount = round_money(base * Decimal(item["tax_pct"]) / HUNDRED, currency)
        taxes.append(
            {
                "item": len(taxes) + 1,
                "credits_item": item["item"],
                "tax_pct": item["tax_pct"],
                "base": text(-base),
                "amount": text(-amount),
                "lines": [renumber[n] for n in selected] + back,
                "description": item["description"],
            }
        )
    return _credit_note(
        original, lines, taxes, issued_on, {"lines": sorted(picked), "reason": reason}
    )


def _credit_note(
    original: Invoice,
    lines: list[dict[str, Any]],
    taxes: list[dict[str, Any]],
    issued_on: date,
    credits: dict[str, Any],
) -> dict[str, Any]:
    """A credit note of `original` with these lines and taxes, its totals summed from them;
    `credits` says what it credits (whole lines, a share or an amount) and why."""
    source = original.snapshot
    subtotal = sum((Decimal(line["amount"]) for line in lines), ZERO)
    tax = sum((Decimal(t["amount"]) for t in taxes), ZERO)
    keep = ("language", "locale", "currency", "seller", "buyer", "contract")
    return {k: source[k] for k in keep} | {
        "version": VERSION,
        "kind": "credit_note",
        "title": "credit_note",
        "number": None,
        "issued_on": issued_on.isoformat(),
        "due_on": issued_on.isoformat(),
        "settlement_status": source["settlement_status"],
        "settled_on": source["settled_on"],
        "lines": lines,
        "taxes": taxes,
        "tax_breakdown": tax_breakdown(taxes),
        "subtotal": text(subtotal),
        "tax": text(tax),
        "total": text(subtotal + tax),
        "credits": {"number": original.number, "issued_on": source["issued_on"]} | credits,
        "document": None,
    }


def share_snapshot(
    original: Invoice, share: Decimal, *, reason: str, issued_on: date
) -> dict[str, Any]:
    """A credit note for `share` percent of every line of the original and of its tax.

    Each line and each tax item is taken at the percentage, to the currency's minor unit; the
    note credits no whole line (`credits.lines` is empty), so the rest stays payable.
    """
    source = original.snapshot
    currency = source["currency"]
    lines = [
        line
        | {
            "number": line["number"],
            "credits_line": line["number"],
            "amount": text(-round_money(Decimal(line["amount"]) * share / HUNDRED, currency)),
        }
        for line in source["lines"]
    ]
    by_number = {line["number"]: Decimal(line["amount"]) for line in lines}
    taxes = [
        {
            "item": item["item"],
            "credits_item": item["item"],
            "tax_pct": item["tax_pct"],
            "base": text(sum((by_number[n] for n in item["lines"]), ZERO)),
            "amount": text(-round_money(Decimal(item["amount"]) * share / HUNDRED, currency)),
            "lines": item["lines"],
            "description": item["description"],
        }
        for item in source["taxes"]
    ]
    credits = {"lines": [], "share": text(share), "reason": reason}
    return _credit_note(original, lines, taxes, issued_on, credits)


def _amounts_given_back(
    source: dict[str, Any],
    earlier: list[Invoice],
    picked: set[int],
    done: set[int],
    lines: list[dict[str, Any]],
) -> dict[int | None, list[int]]:
    """Lines (appended to `lines`) giving back what earlier credit notes of an amount took off
    a tax group that this note finishes crediting: without them the group's lines, credited in
    full, would credit that amount twice. Per tax item (None: untaxed), their numbers."""
    taxed = {n for t in source["taxes"] for n in t["lines"]}
    untaxed = {line["number"] for line in source["lines"]} - taxed
    words = SENTENCES[source["language"]]
    back: dict[int | None, list[int]] = {}
    for note in earlier:
        if note.snapshot["credits"]["lines"]:
            continue  # a note of lines: the tax items' "what is left" already counts it
        owner = {n: t["credits_item"] for t in note.snapshot["taxes"] for n in t["lines"]}
        for row in note.snapshot["lines"]:
            item = owner.get(row["number"])
            group = set(source["taxes"][item - 1]["lines"]) if item else untaxed
            if not (group & picked and group <= done):
                continue
            number = len(lines) + 1
            lines.append(
                row
                | {
                    "number": number,
                    "credits_line": None,
                    "amount": text(-Decimal(row["amount"])),
                    "description": words["waiver.given_back"].format(number=note.number),
                }
            )
            back.setdefault(item, []).append(number)
    return back


def _waiver_groups(
    snapshot: dict[str, Any], lines: set[int]
) -> tuple[list[Group], list[dict[str, Any] | None]]:
    """The tax groups of these lines (one per tax item, then the untaxed lines) for a waiver."""
    groups: list[Group] = []
    items: list[dict[str, Any] | None] = []
    taxed: set[int] = set()
    for item in snapshot["taxes"]:
        mine = [n for n in item["lines"] if n in lines]
        taxed |= set(item["lines"])
        if not mine:
            continue
        base = sum((Decimal(snapshot["lines"][n - 1]["amount"]) for n in mine), ZERO)
        tax = round_money(base * Decimal(item["tax_pct"]) / HUNDRED, snapshot["currency"])
        if set(item["lines"]) <= lines:
            tax = Decimal(item["amount"])
        groups.append(Group(base + tax, Decimal(item["tax_pct"])))
        items.append(item)
    untaxed = sum(
        (Decimal(ln["amount"]) for ln in snapshot["lines"] if ln["number"] in lines - taxed), ZERO
    )
    if untaxed:
        groups.append(Group(untaxed, None))
        items.append(None)
    return groups, items


def _waiver_rows(
    snapshot: dict[str, Any],
    lines: set[int],
    amount: Decimal,
    reason: str,
    first: int,
) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any] | None, Share, int]]]:
    """The waiver's lines (one per tax group it reaches, negative) numbered from `first`."""
    groups, items = _waiver_groups(snapshot, lines)
    shares = split_waiver(amount, groups, snapshot["currency"])
    words = SENTENCES[snapshot["language"]]
    money = Figures(snapshot["locale"]).money
    shown = money(amount, snapshot["currency"])
    label = words["label.waiver"]
    rows: list[dict[str, Any]] = []
    placed: list[tuple[dict[str, Any] | None, Share, int]] = []
    for item, share in zip(items, shares, strict=True):
        if share.base + share.tax == 0:
            continue
        number = first + len(rows)
        reduced = sorted(
            lines & set(item["lines"])
            if item
            else lines - {n for t in snapshot["taxes"] for n in t["lines"]}
        )
        said = words["waiver.lines" if len(reduced) == 1 else "waiver.lines_plural"].format(
            numbers=", ".join(map(str, reduced))
        )
        rows.append(
            {
                "number": number,
                "kind": "waiver",
                "name": None,
                "label": label[:1].upper() + label[1:],
                "description": words["waiver"].format(
                    reason=reason,
                    share=money(share.base + share.tax, snapshot["currency"]),
                    amount=shown,
                    lines=said,
                ),
                "quantity": None,
                "unit_amount": None,
                "amount": text(-share.base),
                "tax_pct": item["tax_pct"] if item else None,
                "figures": {"waived": text(amount)},
            }
        )
        placed.append((item, share, number))
    return rows, placed


def with_waiver(snapshot: dict[str, Any], amount: Decimal, reason: str) -> dict[str, Any]:
    """The invoice snapshot with part of its damages waived before issue: the waiver's lines
    after the charges, each lowering its tax group's base and tax; the total falls by `amount`."""
    numbers = {line["number"] for line in snapshot["lines"]}
    rows, placed = _waiver_rows(snapshot, numbers, amount, reason, len(numbers) + 1)
    taxes = [dict(item) for item in snapshot["taxes"]]
    for item, share, number in placed:
        if item is None:
            continue
        target = taxes[item["item"] - 1]
        target["base"] = text(Decimal(target["base"]) - share.base)
        target["amount"] = text(Decimal(target["amount"]) - share.tax)
        target["lines"] = [*target["lines"], number]
    lines = [*snapshot["lines"], *rows]
    subtotal = sum((Decimal(line["amount"]) for line in lines), ZERO)
    tax = sum((Decimal(t["amount"]) for t in taxes), ZERO)
    return snapshot | {
        "lines": lines,
        "taxes": taxes,
        "tax_breakdown": tax_breakdown(taxes),
        "subtotal": text(subtotal),
        "tax": text(tax),
        "total": text(subtotal + tax),
        "waiver": {"amount": text(amount), "reason": reason},
    }


def amount_credit_snapshot(
    original: Invoice,
    earlier: list[Invoice],
    amount: Decimal,
    *,
    reason: str,
    issued_on: date,
    said: str = "",
) -> dict[str, Any]:
    """A credit note taking `amount` (tax included) off the invoice's lines not yet credited,
    spread over their tax groups as a waiver is; it cancels no line."""
    source = original.snapshot
    credited = {n for note in earlier for n in note.snapshot["credits"]["lines"]}
    open_lines = {line["number"] for line in source["lines"]} - credited
    rows, placed = _waiver_rows(source, open_lines, amount, said or reason, 1)
    taxed = [(item, share, number) for item, share, number in placed if item is not None]
    taxes = [
        {
            "item": i,
            # The original's item: a later note crediting its last lines takes what is left.
            "credits_item": item["item"],
            "tax_pct": item["tax_pct"],
            "base": text(-share.base),
            "amount": text(-share.tax),
            "lines": [number],
            "description": item["description"],
        }
        for i, (item, share, number) in enumerate(taxed, 1)
    ]
    credits = {"lines": [], "amount": text(amount), "reason": reason}
    return _credit_note(original, rows, taxes, issued_on, credits)
