"""The Spanish catalogue translates every string the code and the templates use."""

from __future__ import annotations

import ast
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


def _words(node: ast.expr) -> bool:
    """A literal with words in it (an f-string joining translated parts with ": " has none)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(ch.isalpha() for ch in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_words(part) for part in node.values if isinstance(part, ast.Constant))
    return False


def _unwrapped(tree: ast.AST) -> list[int]:
    """Lines where a form error or a flashed message is a bare literal, not wrapped in _()."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr == "errors" for t in node.targets
        ):
            values = node.value.elts if isinstance(node.value, ast.List) else [node.value]
            lines += [v.lineno for v in values if _words(v)]
        is_flash = isinstance(node, ast.Call) and getattr(node.func, "id", "") == "flash"
        if is_flash and node.args and _words(node.args[0]):
            lines.append(node.lineno)
    return lines


def test_words_the_web_shows_are_wrapped_for_translation() -> None:
    # A literal put on a form field or flashed reached Spanish users in English ("required",
    # "must be a whole number >= 0" on the pickup form): the extractor cannot see it.
    found = {
        path.relative_to(ROOT).as_posix(): lines
        for path in sorted((ROOT / "hotelattrition/web").rglob("*.py"))
        if (lines := _unwrapped(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}


def test_a_document_problem_on_a_form_speaks_to_people() -> None:
    # The codec's "must be a decimal string" reached the contract form as "debe ser una
    # cadena decimal": a form says how to type a number in the user's language instead.
    from flask_babel import gettext

    from hotelattrition.web.contracts.form_document import for_people
    from tests.conftest import make_app

    app = make_app("sqlite://")
    with app.test_request_context(headers={"Accept-Language": "es"}):
        said = for_people("must be a decimal string", gettext)
        assert "cadena" not in said and "12.345,67" in said
        assert for_people("required", gettext) == gettext("required") != "required"


# The refusals a page may show: a NotFound's message as well ("contract X not found" reached
# the Spanish pages in English).
REFUSALS = ("ServiceError", "NotFound")


def _refusals_in_english(tree: ast.AST) -> list[str]:
    """Messages a ServiceError is raised with as a bare literal or f-string, not through _()."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        name = getattr(node.exc.func, "id", getattr(node.exc.func, "attr", ""))
        if name in REFUSALS and node.exc.args and _words(node.exc.args[0]):
            found.append(ast.unparse(node.exc.args[0]))
    return found


# Refusals that never reach a page, each with why: English is their only reader's language.
REFUSALS_LEFT_IN_ENGLISH = {
    "services/batches.py": [  # the web answers 404
        "f'batch {batch_id} not found'",
        "f'batch {batch.id} has no files (yet)'",
    ],
    "services/demo.py": [  # `flask demo-data` only
        "f\"the database already has {existing} contract{('s' if existing != 1 else '')}; "
        'demo data goes only into an empty database"'
    ],
    "services/invoice_snapshots.py": [  # a broken invariant of the code, not the user's input
        "f\"tax line {out['description']!r} does not match its lines\""
    ],
    "services/invoices.py": ["f\"title: must be one of {', '.join(TITLES)}\""],  # CLI only
    "services/users.py": ["f'user {user.email} is deactivated'"],  # `flask create-token` only
}
# Modules whose refusals are still being translated (none left).
REFUSALS_PENDING: set[str] = set()


def test_a_service_refusal_is_written_for_translation() -> None:
    # A ServiceError raised with an f-string reached the Spanish pages in English (payment
    # "amount: ... open", "... is voided already"): services say it with refusals._().
    services = ROOT / "hotelattrition/services"
    found = {
        path.relative_to(ROOT / "hotelattrition").as_posix(): messages
        for path in sorted(services.rglob("*.py"))
        if (messages := _refusals_in_english(ast.parse(path.read_text(encoding="utf-8"))))
    }
    for pending in REFUSALS_PENDING:
        found.pop(pending, None)
    assert found == REFUSALS_LEFT_IN_ENGLISH
