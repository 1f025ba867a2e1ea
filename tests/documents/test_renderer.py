"""The renderer process: it renders the bytes an in-process render makes, and fails as one does."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from typing import Any

import pytest

from hotelattrition.documents import RenderError, renderer
from hotelattrition.documents.invoices import invoice_pdf
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.invoices import issue_invoice
from tests.invoicing import stay_document


@pytest.fixture
def forked() -> Iterator[renderer.Renderer]:
    renderer.start()
    started = renderer.take()
    assert started is not None
    assert renderer.take() is None  # handed over once
    yield started
    started.close(kill=True)


@pytest.fixture
def snapshot(database: Any, create_property: Any) -> dict[str, Any]:
    create_property("MAD", "EUR", locale="es_ES", tax_id="B12345678", legal_name="Gran Vía SL")
    return dict(issue_invoice(import_contract(stay_document()).contract).snapshot)


def test_the_process_renders_the_bytes_this_process_renders(
    forked: renderer.Renderer, snapshot: dict[str, Any]
) -> None:
    pdf = forked.invoice_pdf(snapshot)
    assert pdf.startswith(b"%PDF") and pdf == invoice_pdf(snapshot)
    assert forked.invoice_pdf(snapshot) == pdf  # and again, for as long as it is open


def test_a_failed_render_is_a_render_error_and_the_process_renders_on(
    forked: renderer.Renderer, snapshot: dict[str, Any]
) -> None:
    with pytest.raises(RenderError, match="'lines'"):
        forked.invoice_pdf({k: v for k, v in snapshot.items() if k != "lines"})
    assert forked.invoice_pdf(snapshot).startswith(b"%PDF")


def test_a_renderer_gone_is_a_render_error(
    forked: renderer.Renderer, snapshot: dict[str, Any]
) -> None:
    os.kill(forked.pid, signal.SIGKILL)
    with pytest.raises(RenderError, match="renderer process ended"):
        forked.invoice_pdf(snapshot)
    with pytest.raises(RenderError, match="closed"):
        forked.invoice_pdf(snapshot)


def test_closing_ends_and_reaps_the_process(forked: renderer.Renderer) -> None:
    forked.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(forked.pid, os.WNOHANG)


def test_the_specimen_renders_as_a_whole_invoice() -> None:
    # The renderer warms up on it: a specimen the template refuses would warm up nothing.
    from hotelattrition.documents.invoices import invoice_html

    html = invoice_html(renderer.SPECIMEN)
    assert "SPECIMEN-1" in html and "Ana Núñez" in html
    assert invoice_pdf(renderer.SPECIMEN).startswith(b"%PDF")


def test_the_renderer_warms_up_only_while_nothing_is_asked() -> None:
    read, write = os.pipe()
    with os.fdopen(read, "rb") as requests, os.fdopen(write, "wb") as asking:
        assert renderer.warm_up(requests)
        asking.write(b"x")
        asking.flush()
        assert not renderer.warm_up(requests)  # a document waits: it goes first


def test_the_warmed_up_renderer_renders_the_bytes_of_a_fresh_process(
    snapshot: dict[str, Any], tmp_path: Any
) -> None:
    # A process that rendered the specimen first and one that did not make the same PDF.
    import json
    import subprocess
    import sys

    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(snapshot))
    script = (
        "import json, sys\n"
        "from hotelattrition.documents import renderer\n"
        "from hotelattrition.documents.invoices import invoice_pdf\n"
        "if sys.argv[2] == 'warm':\n"
        "    invoice_pdf(renderer.SPECIMEN)\n"
        "sys.stdout.buffer.write(invoice_pdf(json.load(open(sys.argv[1]))))\n"
    )
    cold, warm = (
        subprocess.run(
            [sys.executable, "-c", script, str(path), mode], capture_output=True, check=True
        ).stdout
        for mode in ("cold", "warm")
    )
    assert cold.startswith(b"%PDF") and warm == cold


def test_weasyprint_loads_without_searching_for_its_libraries() -> None:
    # ctypes' find_library runs ldconfig, gcc and ld for each name WeasyPrint tries.
    import subprocess
    import sys

    script = (
        "import subprocess\n"
        "spawned = []\n"
        "init = subprocess.Popen.__init__\n"
        "def counting(self, args, *a, **k):\n"
        "    spawned.append(args)\n"
        "    init(self, args, *a, **k)\n"
        "subprocess.Popen.__init__ = counting\n"
        "from hotelattrition.documents import renderer\n"
        "renderer._load_render().prepare()\n"
        "print(spawned)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
