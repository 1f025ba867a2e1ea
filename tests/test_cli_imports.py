"""Each command imports what it uses and no more: measured in real processes, as users run them.

`invoice issue` renders its PDF in a renderer process forked as it starts, so the command's own
process loads no WeasyPrint, nor Alembic nor the web views;
`invoice verify` and `invoice pay` never render, so they load no WeasyPrint; `settle` on one
document loads neither multiprocessing nor Babel's dates (and with them the time-zone lookup).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from hotelattrition.documents.invoices import invoice_pdf
from tests.invoicing import madrid_today, stay_document

YEAR = madrid_today().year

# Runs the command in this interpreter, then prints the top-level names of every module loaded.
PROBE = """
import contextlib, io, sys
from hotelattrition.__main__ import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(sys.argv[1:])
    except SystemExit as done:
        assert not done.code, done.code
print("\\n".join(sys.modules))
"""
WEB = {"alembic", "flask_migrate", "flask_wtf", "flask_login", "hotelattrition.web"}


def _command(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "hotelattrition", *args], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _modules(env: dict[str, str], *args: str) -> set[str]:
    """Every module and package prefix loaded by running `hotelattrition ARGS`."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    names = set(done.stdout.split())
    return names | {name.split(".")[0] for name in names}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A migrated SQLite file database with a property and an invoiceable contract."""
    folder = tmp_path_factory.mktemp("cli-imports")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite'}", "SECRET_KEY": "k"}
    _command(env, "db", "upgrade")
    _command(env, "property", "create", "MAD", "--name", "Madrid", "--currency", "EUR",
             "--locale", "es_ES", "--country", "ES", "--timezone", "Europe/Madrid")  # fmt: skip
    path = folder / "contract.json"
    path.write_text(json.dumps(stay_document("G-100")))
    _command(env, "contract", "import", str(path))
    return env


def test_invoice_issue_leaves_weasyprint_to_its_renderer_and_loads_no_web(
    env: dict[str, str],
) -> None:
    loaded = _modules(env, "invoice", "issue", "G-100")
    assert "hotelattrition.services.invoices" in loaded
    assert not loaded & ({"weasyprint", "hotelattrition.documents.render"} | WEB)
    # ... and yet the PDF is stored: the renderer process made it.
    assert _stored_pdf(env, f"MAD-{YEAR}-000001")[:5] == b"%PDF-"


def test_the_renderer_process_stores_the_bytes_an_in_process_render_makes(
    env: dict[str, str],
) -> None:
    _command(env, "contract", "import", str(_written(env, stay_document("G-300"))))
    number = _command(env, "invoice", "issue", "G-300").strip()
    database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    with closing(sqlite3.connect(database)) as connection:
        (snapshot,) = connection.execute(
            "SELECT snapshot FROM invoices WHERE number = ?", (number,)
        ).fetchone()
    stored = _stored_pdf(env, number)
    assert stored == invoice_pdf(json.loads(snapshot))
    verified = subprocess.run(
        [sys.executable, "-m", "hotelattrition", "invoice", "verify"], capture_output=True,
        text=True, env=env,
    )  # fmt: skip
    assert verified.returncode == 0, verified.stderr  # hash and seal of the stored PDF hold


def _stored_pdf(env: dict[str, str], number: str) -> bytes:
    database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    with closing(sqlite3.connect(database)) as connection:
        row = connection.execute(
            "SELECT content FROM invoice_pdfs JOIN invoices ON invoices.id = invoice_id "
            "WHERE number = ?",
            (number,),
        ).fetchone()
    assert row is not None, f"{number} has no stored PDF"
    return bytes(row[0])


def test_invoice_verify_and_pay_load_no_weasyprint(env: dict[str, str]) -> None:
    _command(env, "contract", "import", str(_written(env, stay_document("G-200"))))
    number = _command(env, "invoice", "issue", "G-200").strip()
    for args in (("invoice", "verify"), ("invoice", "pay", number, "--amount", "1.00",
                                         "--reference", "TR-1")):  # fmt: skip
        loaded = _modules(env, *args)
        assert not loaded & ({"weasyprint"} | WEB), args


def test_invoice_credit_leaves_weasyprint_to_its_renderer_and_loads_no_web(
    env: dict[str, str],
) -> None:
    _command(env, "contract", "import", str(_written(env, stay_document("G-400"))))
    number = _command(env, "invoice", "issue", "G-400").strip()
    loaded = _modules(env, "invoice", "credit", number, "--reason", "wrong group")
    assert "hotelattrition.services.invoices" in loaded
    assert not loaded & ({"weasyprint", "hotelattrition.documents.render"} | WEB)


# Runs a command, then prints whether the cyclic collector is on and how many objects it skips.
GC_PROBE = """
import contextlib, gc, io, sys
from hotelattrition.__main__ import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(sys.argv[1:])
    except SystemExit as done:
        assert not done.code, done.code
print(gc.isenabled(), gc.get_freeze_count())
"""


def test_a_command_runs_with_the_collector_on_and_its_imports_frozen_out_of_it(
    env: dict[str, str],
) -> None:
    # Imported with the collector off, then frozen: neither the imports nor the exit walk them.
    done = subprocess.run(
        [sys.executable, "-c", GC_PROBE, "invoice", "verify"], capture_output=True, text=True,
        env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    enabled, frozen = done.stdout.split()
    assert enabled == "True" and int(frozen) > 100_000


def test_settle_one_document_loads_no_multiprocessing_nor_time_zones(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(stay_document()))
    loaded = _modules(dict(os.environ), "settle", str(path))
    assert "hotelattrition.domain" in loaded
    assert not loaded & {"multiprocessing", "babel.dates", "babel.localtime", "pytz", "flask"}


def test_settle_one_document_loads_nothing_of_babel_nor_shutil(tmp_path: Path) -> None:
    # Babel's data is copied in domain/currencies.py; `settle FILE` builds no argparse parser.
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(stay_document()))
    loaded = _modules(dict(os.environ), "settle", str(path))
    assert "hotelattrition.domain" in loaded
    assert not loaded & {"babel", "shutil", "lzma", "bz2"}


def _written(env: dict[str, str], document: dict) -> Path:
    path = Path(env["DATABASE_URL"].removeprefix("sqlite:///")).with_name("more.json")
    path.write_text(json.dumps(document))
    return path


def test_the_monthly_report_gets_the_web_layer_its_page_templates_need(
    env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "march.html"
    _command(env, "report", "monthly", "--property", "MAD", "--month", "2027-03", "-o", str(out))
    assert "<html" in out.read_text()
