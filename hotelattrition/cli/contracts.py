"""`hotelattrition contract ...`: group contracts in and out as settlement documents."""

from __future__ import annotations

import json
from typing import Any

import click
from flask.cli import AppGroup

from ..domain.codec import load_json
from ..services.contract_documents import money_text
from ..services.contracts import export_contract, import_contract
from .edge import committing


@click.group("contract", cls=AppGroup)
def contract_group() -> None:
    """Group contracts in and out as settlement documents."""


@contract_group.command("import")
@click.argument("file", type=click.File("rb"))
def contract_import(file: Any) -> None:
    """Create or update a contract from a settlement document with contract keys."""
    with committing():
        # The codec's own decoder: exact numbers, repeated keys kept to be refused.
        result = import_contract(load_json(file.read()))
        contract = result.contract
        code = contract.code
        settlement = contract.settlement
        assert settlement is not None  # import_contract settles every contract it saves
        total = money_text(settlement.total, contract.property.currency)
    verb = "created" if result.created else ("updated" if result.terms_changed else "unchanged")
    click.echo(
        f"{verb} contract {code}: {result.actuals_changed} actual figures recorded, "
        f"settlement total {total}"
    )


@contract_group.command("export")
@click.argument("code")
def contract_export(code: str) -> None:
    """Write a contract's settlement document to standard output."""
    with committing():
        doc = export_contract(code)
    click.echo(json.dumps(doc, indent=2, ensure_ascii=False))


@contract_group.command("dispute-window")
@click.argument("code")
@click.argument("days", type=int)
def contract_dispute_window(code: str, days: int) -> None:
    """Let the contract's damages invoices be disputed DAYS after their issue date."""
    from ..services.disputes import set_dispute_window

    with committing():
        set_dispute_window(code, days)
    click.echo(f"contract {code}: invoices may be disputed {days} days after issue")
