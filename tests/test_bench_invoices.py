"""The invoice benchmark runs end to end on a tiny size (correctness only, no timing)."""

from __future__ import annotations

import pytest

from bench import __main__ as bench_main
from bench import invoices


def test_the_invoices_section_runs_and_reports_its_targets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = invoices.run(count=2, rounds=1)
    assert [f.name for f in figures] == [
        "issue path per invoice (median)",
        "render_pdf vs WeasyPrint defaults",
    ]
    assert all(f.value > 0 and f.passed is not None for f in figures)
    out = capsys.readouterr().out
    assert "subsetting by fontTools, not HarfBuzz" in out
    assert "not base.css: WeasyPrint's HTML5 UA stylesheet" in out
    assert "invoices" in bench_main.SECTIONS
