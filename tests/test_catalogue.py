"""The Spanish catalogue translates every string the code and the templates use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
EXTRACT = [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg"]
EXTRACT += ["-k", "_l", "-k", "lazy_gettext", "--no-location"]
CATALOGUE = ROOT / "hotelattrition/translations/es/LC_MESSAGES/messages.po"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The message ids `make translations` extracts (babel.cfg, the same keywords)."""
    pot = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    subprocess.run(
        [*EXTRACT, "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        return [m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id]


def test_every_extracted_string_has_its_spanish(extracted: list[str]) -> None:
    with CATALOGUE.open("rb") as f:
        spanish = read_po(f)
    missing = [i for i in extracted if i not in spanish or not spanish[i].string]
    assert missing == []


def test_every_template_folder_is_extracted(extracted: list[str]) -> None:
    # Babel's extractor skips folders whose name starts with "_" or ".": a template kept in
    # one would never reach the catalogue (the charts' legend once stayed in English).
    hidden = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "templates").rglob("*")
        if p.is_dir() and p.name.startswith(("_", "."))
    ]
    assert hidden == []
    assert "picked up" in extracted
