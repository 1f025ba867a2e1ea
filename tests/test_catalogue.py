"""The Spanish catalogue translates every string the code and the templates use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
EXTRACT = [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg"]
EXTRACT += ["-k", "_l", "-k", "lazy_gettext", "-k", "document_label:1c,2", "--no-location"]
CATALOGUE = ROOT / "hotelattrition/translations/es/LC_MESSAGES/messages.po"
Extracted = list[tuple[str, str | None]]  # (message id, context)


def first(message_id: str | tuple[str, ...]) -> str:
    """A message's id; a plural one by its singular."""
    return message_id if isinstance(message_id, str) else message_id[0]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Extracted:
    """The message ids `make translations` extracts (babel.cfg, the same keywords)."""
    pot = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    subprocess.run(
        [*EXTRACT, "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        return [(first(m.id), m.context) for m in read_po(f) if m.id]


def test_every_extracted_string_has_its_spanish(extracted: Extracted) -> None:
    with CATALOGUE.open("rb") as f:
        spanish = read_po(f)
    translated = {(first(m.id), m.context) for m in spanish if m.id and all(m.string)}
    assert [key for key in extracted if key not in translated] == []


def test_the_invoice_speaks_its_documents_words(extracted: Extracted) -> None:
    # A Spanish invoice says "Base total" and "Factura rectificativa": its words have the
    # context "invoice", apart from the pages' "Subtotal" and "Nota de crédito".
    assert ("Subtotal", "invoice") in extracted
    assert ("Subtotal", None) in extracted


def test_every_template_folder_is_extracted(extracted: Extracted) -> None:
    # Babel's extractor skips folders whose name starts with "_" or ".": a template kept in
    # one would never reach the catalogue (the charts' legend once stayed in English).
    hidden = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "templates").rglob("*")
        if p.is_dir() and p.name.startswith(("_", "."))
    ]
    assert hidden == []
    assert ("picked up", None) in extracted
