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
